"""The server in a background thread of the current process, for ``renda demo`` and tests."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from apps.server.app import create_app
from apps.server.services import ServerServices
from apps.server.settings import ServerSettings


def uvicorn_config(app: object, settings: ServerSettings) -> uvicorn.Config:
    """uvicorn's settings for ``app``: HTTPS when a certificate and key are given; our logging stays."""
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        host=settings.host,
        port=settings.port,
        ssl_certfile=str(settings.certfile) if settings.certfile else None,
        ssl_keyfile=str(settings.keyfile) if settings.keyfile else None,
        log_config=None,
        lifespan="on",
        timeout_graceful_shutdown=5,
        server_header=False,
    )


class EmbeddedServer:
    """Runs the API with uvicorn in a daemon thread; ``port=0`` in the settings picks a free port.

    ``start()`` returns once the server accepts connections; ``stop()`` shuts it down and closes
    the database. Usable as a context manager.
    """

    def __init__(self, settings: ServerSettings, startup_timeout: float = 30.0) -> None:
        self.settings = settings
        self.startup_timeout = startup_timeout
        self.services: ServerServices | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        scheme = "https" if self.settings.uses_tls else "http"
        return f"{scheme}://{self.settings.host}:{self._port}"

    def start(self) -> EmbeddedServer:
        if self._thread is not None:
            return self
        self.services = ServerServices.open(self.settings)
        # proto=IPPROTO_TCP so asyncio turns on TCP_NODELAY for accepted connections (else 40 ms stalls).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.settings.host, self.settings.port))
            sock.listen(128)
        except OSError:
            sock.close()
            self.services.close()
            raise
        self._port = int(sock.getsockname()[1])
        app = create_app(self.settings, self.services)
        self._server = uvicorn.Server(uvicorn_config(app, self.settings))
        self._thread = threading.Thread(target=self._run, args=(sock,), name="renda-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("内置服务器未能启动，请查看日志")
            time.sleep(0.01)
        return self

    def _run(self, sock: socket.socket) -> None:
        assert self._server is not None
        try:
            self._server.run(sockets=[sock])
        finally:
            sock.close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self.services is not None:
            self.services.close()
        self._server, self._thread, self.services = None, None, None

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
