"""The portal on a real uvicorn in a background thread (for the load bench, screenshots and tests)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.applications import Starlette


@contextmanager
def serve_in_thread(app: Starlette, host: str = "127.0.0.1", timeout: float = 20, port: int = 0) -> Iterator[str]:
    """Serve ``app`` on ``port`` of ``host`` (a free one when 0 or taken); yields its base URL and stops the
    server afterwards."""
    import uvicorn

    sock = socket.socket()
    try:
        sock.bind((host, port))
    except OSError:
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


@contextmanager
def demo_portal(db_url: str, port: int = 8780) -> Iterator[str]:
    """The portal beside the demo server, on its database (the server's bridge registers what it receives)."""
    from apps.portal.app import create_app
    from apps.portal.settings import PortalSettings

    app = create_app(PortalSettings(db_url=db_url, secure_cookies=False))
    try:
        with serve_in_thread(app, port=port) as url:
            yield url
    finally:
        app.state.portal.engine.dispose()
