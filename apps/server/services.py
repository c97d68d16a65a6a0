"""What the server runs on: one database, the identity, sync and attachment services, wired once at start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from apps.server.settings import ServerSettings
from core import audit
from core.auth.roles import Principal
from core.auth.service import IdentityService
from core.db import make_engine, make_session_factory, migrate
from core.features import load_features
from core.sync.blob_service import BlobService
from core.sync.blobs import BlobStore
from core.sync.server import SyncService
from core.sync.stamping import install_server_hooks


def audit_hook(session: Session, principal: Principal, action: str, target: str, detail: dict[str, Any]) -> None:
    """The sync engine's audit hook: appends to the hash-chained log in the sync transaction."""
    if principal.device_id and "device_id" not in detail:
        detail = dict(detail, device_id=principal.device_id)
    audit.append(session, principal.username, action, target, detail)


@dataclass
class ServerServices:
    settings: ServerSettings
    engine: Engine
    factory: sessionmaker[Session]
    identity: IdentityService
    sync: SyncService
    blobs: BlobService

    @classmethod
    def open(cls, settings: ServerSettings) -> ServerServices:
        """Connect, migrate the schema to the newest version, seed missing roles."""
        load_features()
        engine = make_engine(settings.db_url, server=True)
        migrate(engine)
        factory = make_session_factory(engine)
        install_server_hooks(factory)
        identity = IdentityService(factory, settings.identity_settings())
        identity.ensure_roles()
        settings.blob_dir.mkdir(parents=True, exist_ok=True)
        return cls(settings, engine, factory, identity,
                   SyncService(factory, audit=audit_hook),
                   BlobService(factory, BlobStore(settings.blob_dir), audit=audit_hook))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def audit_page(self, after_seq: int, limit: int) -> list[dict[str, Any]]:
        with self.factory() as session:
            return [audit.entry_as_dict(e) for e in audit.entries_after(session, after_seq, limit)]

    def verify_audit(self) -> audit.ChainReport:
        with self.factory() as session:
            return audit.verify_chain(session)

    def close(self) -> None:
        self.engine.dispose()
