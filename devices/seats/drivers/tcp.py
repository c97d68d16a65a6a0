"""Networked seat terminals over TCP: the same flag-delimited byte stream as RS-485.

The console listens (``listen=True``) and terminals or gateways connect; one connection may carry
many seats. The listening side learns which connection each seat speaks on and sends a seat's
frames there; broadcasts and frames for seats not heard from yet go to every connection.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
from typing import ClassVar

from devices.seats.bus import SeatBus
from devices.seats.errors import BusClosedError, BusOperationError
from devices.seats.frames import StreamDecoder, stuff
from devices.seats.protocol import Frame, encode_body

_SLICE = 0.1


class _Connection:
    def __init__(self, sock: socket.socket, decoder: StreamDecoder) -> None:
        self.sock = sock
        self.decoder = decoder
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


class TcpSeatBus(SeatBus):
    """A TCP seat link: a listening console or a connecting terminal / gateway."""

    driver_name: ClassVar[str] = "tcp"

    def __init__(self, host: str = "127.0.0.1", port: int = 9000, listen: bool = False,
                 connect_timeout: float = 5.0) -> None:
        """Listen on or connect to ``host:port``; port 0 with ``listen`` picks a free port (see ``address``)."""
        super().__init__()
        self.host = host
        self._frames: queue.SimpleQueue[Frame | BusOperationError | None] = queue.SimpleQueue()
        self._connections: list[_Connection] = []
        self._routes: dict[int, _Connection] = {}
        self._lock = threading.Lock()
        self._connected = threading.Condition(self._lock)
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        try:
            if listen:
                self._listener = socket.create_server((host, port))
                self._listener.settimeout(_SLICE)
                self._accept_thread = threading.Thread(target=self._accept_loop, name="seat-tcp-accept", daemon=True)
                self._accept_thread.start()
            else:
                sock = socket.create_connection((host, port), timeout=connect_timeout)
                self._add_connection(sock)
        except OSError as exc:
            self._close_all()
            raise BusOperationError(f"cannot {'listen on' if listen else 'connect to'} {host}:{port}: {exc}") from exc

    @property
    def address(self) -> tuple[str, int]:
        """The local (listening) or remote (connected) host and port."""
        if self._listener is not None:
            host, port = self._listener.getsockname()[:2]
            return str(host), int(port)
        with self._lock:
            host, port = self._connections[0].sock.getpeername()[:2]
        return str(host), int(port)

    @property
    def channel_info(self) -> str:
        """``listen host:port`` or ``host:port``."""
        try:
            host, port = self.address
        except (OSError, IndexError):
            return self.host
        return f"{'listen ' if self._listener else ''}{host}:{port}"

    @property
    def connection_count(self) -> int:
        """Number of open connections."""
        with self._lock:
            return len(self._connections)

    def wait_for_connections(self, count: int, timeout: float) -> bool:
        """Wait until at least ``count`` peers are connected; True on success."""
        with self._connected:
            return self._connected.wait_for(lambda: len(self._connections) >= count, timeout=timeout)

    def send(self, frame: Frame) -> None:
        """Send one frame to the connection serving its seat, or to all connections."""
        self._send(encode_body(frame), None if frame.broadcast or frame.from_seat else frame.address)

    def send_body(self, body: bytes) -> None:
        """Send an encoded body to every connection."""
        self._send(body, None)

    def _send(self, body: bytes, address: int | None) -> None:
        self._check_open()
        data = stuff(body)
        with self._lock:
            target = self._routes.get(address) if address is not None else None
            targets = [target] if target is not None else list(self._connections)
        if not targets and self._listener is None:
            raise BusOperationError(f"TCP connection to {self.host} is closed")
        for conn in targets:
            try:
                with conn.lock:
                    self._send_whole(conn, data)
            except OSError as exc:
                if self.closed:
                    raise BusClosedError("TCP link is shut down") from exc
                self._drop_connection(conn)
                if self._listener is None:
                    raise BusOperationError(f"TCP send failed: {exc}") from exc
        self.stats.frames_sent += 1

    def _send_whole(self, conn: _Connection, data: bytes) -> None:
        """Send every byte of ``data`` or fail: a full send buffer makes the sender wait (the socket's short
        timeout serves the reader's shutdown checks), never leaves half a frame on the stream."""
        view = memoryview(data)
        while view:
            try:
                view = view[conn.sock.send(view):]
            except TimeoutError:
                if self.closed:
                    raise BusClosedError("TCP link is shut down") from None

    def _recv_internal(self, timeout: float | None) -> Frame | None:
        try:
            item = self._frames.get(timeout=_SLICE if timeout is None else timeout)
        except queue.Empty:
            return None
        if isinstance(item, BusOperationError):
            self._check_open()
            raise item
        return item

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self.closed:
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.closed:
                sock.close()
                return
            self._add_connection(sock)

    def _add_connection(self, sock: socket.socket) -> None:
        sock.settimeout(_SLICE)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = _Connection(sock, StreamDecoder(self.stats))
        with self._lock:
            self._connections.append(conn)
            self._connected.notify_all()
        conn.thread = threading.Thread(target=self._read_loop, args=(conn,), name="seat-tcp-read", daemon=True)
        conn.thread.start()

    def _read_loop(self, conn: _Connection) -> None:
        learn = self._listener is not None
        while not self.closed:
            try:
                data = conn.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            for frame in conn.decoder.feed(data):
                if learn and frame.from_seat:
                    with self._lock:
                        self._routes[frame.address] = conn
                self._frames.put(frame)
        self._drop_connection(conn)
        if self._listener is None and not self.closed:
            self._frames.put(BusOperationError(f"TCP connection to {self.host} was closed by the peer"))

    def _drop_connection(self, conn: _Connection) -> None:
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
            for address in [a for a, c in self._routes.items() if c is conn]:
                del self._routes[address]
        conn.close()

    def _close_all(self) -> None:
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            conns = list(self._connections)
            self._connections.clear()
            self._routes.clear()
        for conn in conns:
            conn.close()

    def _shutdown_internal(self) -> None:
        with self._lock:
            threads = [self._accept_thread] + [c.thread for c in self._connections]
        self._close_all()
        current = threading.current_thread()
        for thread in threads:
            if thread is not None and thread is not current:
                thread.join(timeout=1.0)
        self._frames.put(None)
