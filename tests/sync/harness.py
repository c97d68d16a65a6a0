"""An in-process sync world for tests: one server database, any number of client stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.auth.principals import principal_for_user
from core.auth.roles import ROLE_CATALOGUE, Principal
from core.db import make_engine, make_session_factory, migrate
from core.ids import uuid7
from core.models.identity import Role, User, UserRole, UserScopeGrant
from core.sync.blob_service import BlobService
from core.sync.blobs import BlobStore
from core.sync.client import LocalStore, SyncClient
from core.sync.schema import REGISTRY
from core.sync.server import SyncService
from core.sync.stamping import install_server_hooks
from core.sync.transport import LocalTransport
from tests.helpers.sqlite import migrated_copy


@dataclass
class World:
    root: Path
    server_url: str
    factory: sessionmaker[Session] = field(init=False)
    service: SyncService = field(init=False)
    blobs: BlobService = field(init=False)

    def __post_init__(self) -> None:
        fresh = False
        if self.server_url.startswith("sqlite:///"):
            path = Path(self.server_url.removeprefix("sqlite:///"))
            fresh = not path.exists()
            if fresh:
                migrated_copy(path)
        engine = make_engine(self.server_url)
        if not fresh:
            migrate(engine)
        self.engine = engine
        self.engines = [engine]
        self.factory = make_session_factory(engine)
        install_server_hooks(self.factory)
        self.service = SyncService(self.factory)
        self.blobs = BlobService(self.factory, BlobStore(self.root / "server-blobs"))
        self._clients = 0
        with self.factory() as s, s.begin():
            for spec in ROLE_CATALOGUE:
                if s.get(Role, spec.name) is None:
                    s.add(Role(name=spec.name, label_zh=spec.label_zh, label_en=spec.label_en,
                               permissions=list(spec.permissions), scopes=list(spec.scopes)))

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()

    def add_user(self, username: str, *roles: str, scopes: tuple[str, ...] = ()) -> str:
        user_id = uuid7()
        with self.factory() as s, s.begin():
            s.add(User(id=user_id, username=username, display_name=username, password_hash="x"))
            s.flush()
            for role in roles:
                s.add(UserRole(user_id=user_id, role=role))
            for scope in scopes:
                s.add(UserScopeGrant(user_id=user_id, scope=scope))
        return user_id

    def set_roles(self, user_id: str, *roles: str) -> None:
        with self.factory() as s, s.begin():
            for row in s.scalars(select(UserRole).where(UserRole.user_id == user_id)):
                s.delete(row)
            s.flush()
            for role in roles:
                s.add(UserRole(user_id=user_id, role=role))

    def principal(self, user_id: str) -> Principal:
        with self.factory() as s:
            return principal_for_user(s, user_id)

    def client(self, user_id: str, page_limit: int = 5000) -> SyncClient:
        self._clients += 1
        name = f"client{self._clients}"
        engine = make_engine(f"sqlite:///{migrated_copy(self.root / (name + '.sqlite3'))}")
        self.engines.append(engine)
        store = LocalStore(engine, self.root / f"{name}-blobs")
        principal = self.principal(user_id)
        store.set_permissions(principal.permissions)
        return SyncClient(store, UserTransport(self, user_id), page_limit=page_limit)

    def server_rows(self, principal: Principal | None = None, live_only: bool = True) -> dict[str, dict[str, dict[str, Any]]]:
        """Server rows per table (masked as ``principal`` would receive them)."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        with self.factory() as s:
            for spec in REGISTRY:
                rows = {}
                for r in s.execute(select(spec.table)).mappings():
                    if live_only and r["deleted"]:
                        continue
                    if principal is not None and not principal.sees_scope(r["scope"]):
                        continue
                    values = dict(r)
                    if principal is not None:
                        for col, rule in spec.masked.items():
                            if not principal.sees_column(rule.permission):
                                values[col] = rule.apply(values[col])
                    rows[r["id"]] = values
                out[spec.name] = rows
        return out


class UserTransport(LocalTransport):
    """A LocalTransport that resolves the user's principal at every call, as a token would."""

    def __init__(self, world: World, user_id: str) -> None:
        super().__init__(world.service, world.principal(user_id), world.blobs)
        self.world = world
        self.user_id = user_id

    def _refresh(self) -> None:
        self.principal = self.world.principal(self.user_id)

    def push(self, device_id: str, mutations: list[dict[str, Any]], after: str | None = None) -> list[dict[str, Any]]:
        self._refresh()
        return super().push(device_id, mutations, after=after)

    def pull(self, cursor: dict[str, Any], limit: int) -> dict[str, Any]:
        self._refresh()
        return super().pull(cursor, limit)

    def checksums(self) -> dict[str, dict[str, int]]:
        self._refresh()
        return super().checksums()


def client_rows(client: SyncClient, live_only: bool = True) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = {}
    with client.store.session() as s:
        for spec in REGISTRY:
            rows = {}
            for r in s.execute(select(spec.table)).mappings():
                if live_only and r["deleted"]:
                    continue
                rows[r["id"]] = dict(r)
            out[spec.name] = rows
    return out
