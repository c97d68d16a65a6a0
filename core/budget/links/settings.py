"""Per-bureau link settings kept on this workstation: address, on/off, cursor and the last result.

They live in ``<data folder>/budget-links/links.json`` (``core.paths.data_dir()``), next to the files as
received (``received/<bureau>/``). They are not synced: each workstation that pulls keeps its own cursor,
and a pulled file imports idempotently, so two workstations pulling the same file change nothing twice.
The file is replaced atomically (write a temporary file, then rename), so a crash never leaves half a file.

The access token is not here: it is kept in the operating system's keyring (service
``renda-suite-budget-links``, one entry per bureau), and refused when the keyring would keep it in clear text.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
from keyring.errors import KeyringError

from core.budget.links.errors import LinkError
from core.keystore import keyring_is_secure

KEYRING_SERVICE = "renda-suite-budget-links"


@dataclass(frozen=True)
class LinkSettings:
    """How to reach one bureau and where its pulls stand."""

    bureau: str
    url: str = ""
    enabled: bool = False
    cert_file: str = ""
    """Client certificate (PEM) when the bureau identifies callers by certificate."""
    key_file: str = ""
    ca_file: str = ""
    """The bureau's root certificate, when it is not one the system trusts."""
    interval_minutes: int = 60
    cursor: str = ""
    last_pull: str = ""
    """ISO time (UTC) of the last attempt."""
    last_ok: bool | None = None
    last_message: str = ""

    def next_pull(self) -> datetime | None:
        """When the next scheduled pull is due (None when the link is off or never pulled)."""
        if not self.enabled or not self.last_pull:
            return None
        return datetime.fromisoformat(self.last_pull) + timedelta(minutes=self.interval_minutes)


class LinkStore:
    """Reads and writes the settings file and the folder of received files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "links.json"

    def received_dir(self, bureau: str) -> Path:
        path = self.folder / "received" / bureau
        path.mkdir(parents=True, exist_ok=True)
        return path

    def load_all(self) -> dict[str, LinkSettings]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LinkError(f"数据接口设置文件 {self.path} 无法读取（{exc}）。请联系系统管理员。", "settings") from exc
        known = {f.name for f in fields(LinkSettings)}
        out: dict[str, LinkSettings] = {}
        for name, values in (raw.get("bureaus") or {}).items():
            if isinstance(values, dict):
                out[name] = LinkSettings(**{k: v for k, v in values.items() if k in known and k != "bureau"},
                                         bureau=name)
        return out

    def get(self, bureau: str) -> LinkSettings:
        return self.load_all().get(bureau, LinkSettings(bureau))

    def save(self, settings: LinkSettings) -> None:
        everything = self.load_all()
        everything[settings.bureau] = settings
        self.folder.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"bureaus": {k: {n: v for n, v in asdict(s).items() if n != "bureau"}
                                       for k, s in sorted(everything.items())}},
                          ensure_ascii=False, indent=2)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".links-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def update(self, bureau: str, **changes: Any) -> LinkSettings:
        settings = replace(self.get(bureau), **changes)
        self.save(settings)
        return settings

    def record(self, bureau: str, ok: bool, message: str, cursor: str | None = None) -> LinkSettings:
        """Note the result of a pull; the cursor only moves when given (after a successful import)."""
        changes: dict[str, Any] = {"last_pull": datetime.now(UTC).isoformat(timespec="seconds"),
                                   "last_ok": ok, "last_message": message}
        if cursor is not None:
            changes["cursor"] = cursor
        return self.update(bureau, **changes)


def store_token(bureau: str, token: str) -> None:
    """Keep a bureau's access token in the OS keyring; refused when the keyring is not safe."""
    if not keyring_is_secure():
        raise LinkError("本机没有安全的密钥存储（系统钥匙串），不能保存接口口令。请改用客户端证书，或请管理员配置系统钥匙串。",
                        "keyring")
    try:
        keyring.set_password(KEYRING_SERVICE, bureau, token)
    except KeyringError as exc:
        raise LinkError(f"接口口令无法保存到系统钥匙串（{exc}）。", "keyring") from exc


def load_token(bureau: str) -> str | None:
    if not keyring_is_secure():
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, bureau)
    except KeyringError:
        return None


def forget_token(bureau: str) -> None:
    with contextlib.suppress(KeyringError):
        keyring.delete_password(KEYRING_SERVICE, bureau)


def default_store() -> LinkStore:
    from core.paths import data_dir

    return LinkStore(data_dir() / "budget-links")

