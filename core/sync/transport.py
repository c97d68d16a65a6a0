"""How a client reaches the server: over HTTP (requests) or in-process (tests, the embedded demo)."""

from __future__ import annotations

from typing import Any, Protocol

import orjson

from core.auth.roles import Principal
from core.sync.protocol import OutOfTurn


class SyncError(Exception):
    """Sync could not complete; the message is for the user."""


class NetworkError(SyncError):
    """The server could not be reached; work goes on offline."""


class AuthExpired(SyncError):
    """The sign-in expired or was revoked; sign in again."""


class Forbidden(SyncError):
    """The server refused: the user lacks the right."""


class PushOutOfTurn(SyncError):
    """The server took a push before the one sent just ahead of it and applied nothing of it: it is sent again
    once the one ahead is answered."""


class Cancelled(SyncError):
    """The user cancelled; what was done so far is kept and the next sync resumes from there."""


class SyncTransport(Protocol):
    # A transport whose ``pushes_in_flight`` is above 1 is also asked ``push(device_id, mutations, after=…)``:
    # see :data:`core.sync.protocol.PUSH_IN_FLIGHT`.
    def push(self, device_id: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]: ...
    def pull(self, cursor: dict[str, Any], limit: int) -> dict[str, Any]: ...
    def checksums(self) -> dict[str, dict[str, int]]: ...
    def upload_blob(self, sha256: str, data: bytes, filename: str) -> None: ...
    def fetch_blob(self, sha256: str) -> bytes: ...


class LocalTransport:
    """Calls a :class:`SyncService` directly, passing every message through JSON as the wire would."""

    def __init__(self, service: Any, principal: Principal, blobs: Any = None) -> None:
        self.service = service
        self.principal = principal
        self.blobs = blobs

    @staticmethod
    def _wire(obj: Any) -> Any:
        return orjson.loads(orjson.dumps(obj))

    def push(self, device_id: str, mutations: list[dict[str, Any]], after: str | None = None) -> list[dict[str, Any]]:
        try:
            results = self.service.push(self.principal, device_id, self._wire(mutations), after=after)
        except OutOfTurn as exc:  # as the HTTP transport hears it (425)
            raise PushOutOfTurn(str(exc)) from exc
        return self._wire(results)  # type: ignore[no-any-return]

    def pull(self, cursor: dict[str, Any], limit: int) -> dict[str, Any]:
        return self._wire(self.service.pull(self.principal, self._wire(cursor), limit))  # type: ignore[no-any-return]

    def checksums(self) -> dict[str, dict[str, int]]:
        return self._wire(self.service.checksums(self.principal))  # type: ignore[no-any-return]

    def upload_blob(self, sha256: str, data: bytes, filename: str) -> None:
        if self.blobs is None:
            raise SyncError("服务器未配置附件存储")
        self.blobs.accept_upload(self.principal, sha256, data, filename)

    def fetch_blob(self, sha256: str) -> bytes:
        if self.blobs is None:
            raise SyncError("服务器未配置附件存储")
        return self.blobs.serve(self.principal, sha256)  # type: ignore[no-any-return]
