"""The portal on a real uvicorn in a background thread (for the load bench, screenshots and tests)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.applications import Starlette


@contextmanager
def serve_in_thread(app: Starlette, host: str = "127.0.0.1", timeout: float = 20) -> Iterator[str]:
    """Serve ``app`` on a free port of ``host``; yields its base URL and stops the server afterwards."""
    import uvicorn

    sock = socket.socket()
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, lifespan="off", server_header=False, access_log=False,
                            timeout_graceful_shutdown=2, backlog=512)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="portal-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("门户服务没有启动")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
