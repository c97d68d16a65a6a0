"""What a signed-in window works with: the server session, the local store, the sync client.

:func:`sign_in` and :func:`resume` run in a worker (they migrate the local database and talk to the
server); the GUI thread then wraps their :class:`Connection` in a :class:`ClientContext`, which adds
the settings and a change notice that views listen to instead of re-reading everything.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from apps.common.qt import QObject, Signal
from apps.common.settings import ClientSettings
from core.auth.roles import APP_PERMISSIONS, P_ADMIN_USERS, ROLES_BY_NAME
from core.db import create_blank_sqlite, make_engine, migrate
from core.paths import data_dir
from core.remote import RemoteSession, normalize_url
from core.sync.client import LocalStore, SyncClient
from core.sync.transport import SyncTransport

if TYPE_CHECKING:
    from apps.common.sync_status import SyncController


class SignedInUser(Protocol):
    """The part of ``core.remote.UserInfo`` the desktop uses."""

    @property
    def user_id(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def roles(self) -> Iterable[str]: ...
    @property
    def permissions(self) -> Iterable[str]: ...
    @property
    def apps(self) -> Iterable[str]: ...


class RemoteSessionLike(Protocol):
    """The part of ``core.remote.RemoteSession`` the desktop uses."""

    @property
    def me(self) -> SignedInUser: ...
    @property
    def transport(self) -> SyncTransport: ...
    def logout(self) -> None: ...


@dataclass
class Connection:
    """The result of signing in, made in a worker: plain objects, no Qt."""

    server_url: str
    remote: RemoteSessionLike
    store: LocalStore


_migrate_lock = threading.Lock()


def local_db_path(server_url: str, username: str, folder: Path | None = None) -> Path:
    """One local database per server and user: cursors, outboxes and row scopes never mix."""
    slug = re.sub(r"[^A-Za-z0-9_.-]", "_", username)[:40] or "user"
    server = hashlib.sha256(normalize_url(server_url).encode()).hexdigest()[:8]
    return (folder or data_dir()) / f"local-{slug}-{server}.sqlite3"


def open_local_store(server_url: str, username: str, folder: Path | None = None) -> LocalStore:
    """Open (creating and migrating as needed) the user's local store. Slow: call from a worker.

    A new store starts as a copy of the process's blank database at the newest schema (:func:`create_blank_sqlite`):
    a computer whose users sign in one after another, or the demo signing in every role, migrates once."""
    path = local_db_path(server_url, username, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _migrate_lock:  # Alembic's context is process-global (the blank database is migrated on first use)
        if not path.exists():
            create_blank_sqlite(path)
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)
    return LocalStore(engine, path.parent / "blobs")


def sign_in(server_url: str, username: str, password: str, folder: Path | None = None) -> Connection:
    """Open the local store and sign in with its device id. Raises ``core.remote.LoginFailed``."""
    path = local_db_path(server_url, username, folder)
    new = not path.exists()
    store = open_local_store(server_url, username, folder)
    try:
        remote = RemoteSession.login(server_url, username, password, device_id=store.device_id())
    except BaseException:
        store.engine.dispose()
        if new:  # a mistyped user name leaves no empty database behind
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise
    store.set_permissions(frozenset(remote.me.permissions))
    return Connection(server_url, remote, store)


def resume(server_url: str, username: str, folder: Path | None = None) -> Connection | None:
    """Sign in again with the token kept in the OS keyring; None when there is none or it expired."""
    remote = RemoteSession.resume(server_url, username)
    if remote is None:
        return None
    store = open_local_store(server_url, username, folder)
    store.set_permissions(frozenset(remote.me.permissions))
    return Connection(server_url, remote, store)


SignInFunction = Callable[[str, str, str], Connection]


class ChangeNotice(QObject):
    """Tells open views that local data changed (after a sync, after resolving a conflict)."""

    changed = Signal(str)


class ClientContext:
    """Everything a signed-in window needs, passed in rather than fetched from globals."""

    def __init__(self, connection: Connection, settings: ClientSettings) -> None:
        self.connection = connection
        self.server_url = connection.server_url
        self.remote = connection.remote
        self.store = connection.store
        self.settings = settings
        self.sync_client = SyncClient(connection.store, connection.remote.transport)
        self.notice = ChangeNotice()
        self._sync: SyncController | None = None

    @property
    def sync(self) -> SyncController:
        """The one sync controller of this context, shared by all its windows."""
        if self._sync is None:
            from apps.common.sync_status import SyncController

            self._sync = SyncController(self)
        return self._sync

    @property
    def user(self) -> SignedInUser:
        return self.remote.me

    @property
    def display_name(self) -> str:
        me = self.user
        return me.display_name or me.username

    def role_labels(self, english: bool = False) -> list[str]:
        labels = []
        for name in self.user.roles:
            spec = ROLES_BY_NAME.get(name)
            labels.append((spec.label_en if english else spec.label_zh) if spec else name)
        return labels

    def permitted_apps(self) -> list[str]:
        """App permissions of the signed-in user, in catalogue order."""
        granted = set(self.user.apps) | {p for p in self.user.permissions if p.startswith("app.")}
        apps = [p for p in APP_PERMISSIONS if p in granted]
        if P_ADMIN_USERS in set(self.user.permissions):
            apps.append(P_ADMIN_USERS)  # 用户管理, after the business systems
        return apps

    def may(self, permission: str) -> bool:
        return permission in set(self.user.permissions)

    def close(self) -> None:
        """Release the local database (after sign-out, or when the window closes)."""
        self.store.engine.dispose()
