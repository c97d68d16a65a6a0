"""Ed25519 signing keys for sync bundles, and the enrolment of devices on the server.

- A client device's signing key lives in the OS keyring (service ``renda-suite``, name
  ``device-key:<device id>``), never in a plain file. It is made the first time it is needed.
- The server's signing key lives in the server's data folder, in ``sync-signing.key`` (owner-only
  permissions, 0600 on POSIX; a file readable by others is refused).
- A device is enrolled on the server with its public key (:class:`core.models.identity.Device`);
  a client learns the server's public key once (:func:`trust_server_key`) and keeps it in ClientState.

Public keys travel as standard base64 of the 32 raw bytes (44 characters). A fingerprint (16 hex digits
in four groups) lets two people compare keys over the phone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import keyring.errors
from nacl.exceptions import CryptoError
from nacl.signing import SigningKey, VerifyKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.ids import is_uuid
from core.keystore import keyring_is_secure
from core.models.identity import Device, User
from core.models.syncstate import ClientState

if TYPE_CHECKING:
    from core.sync.client import LocalStore

KEYRING_SERVICE = "renda-suite"
SERVER_KEY_FILE = "sync-signing.key"
SERVER_KEY_STATE = "server_public_key"  # ClientState key holding the trusted server public key


class KeyStoreError(Exception):
    """A key could not be made, read or stored; the text says what to do, in plain words."""


class KeyFormatError(ValueError):
    """A public key given by a person is not a valid Ed25519 public key."""


class EnrolmentError(ValueError):
    """A device cannot be enrolled as asked; the text says why."""


# ------------------------------------------------------------------------------------ encoding
def encode_public_key(key: VerifyKey | SigningKey) -> str:
    """The public key as base64 text (44 characters), the form shown to people and stored on the server."""
    verify = key.verify_key if isinstance(key, SigningKey) else key
    return base64.b64encode(bytes(verify)).decode("ascii")


def decode_public_key(text: str) -> VerifyKey:
    """Parse a public key typed or pasted by a person; raises :class:`KeyFormatError` with the reason."""
    if not isinstance(text, str):
        raise KeyFormatError("公钥应为一段文字")
    cleaned = "".join(text.split())
    raw = b""
    try:
        if len(cleaned) == 64 and all(c in "0123456789abcdefABCDEF" for c in cleaned):
            raw = bytes.fromhex(cleaned)
        elif cleaned.isascii():
            standard = cleaned.replace("-", "+").replace("_", "/")
            raw = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise KeyFormatError("公钥格式不正确：应为 44 个字符的 base64 文本（在笔记本上运行 renda sync keys 查看）")
    try:
        return VerifyKey(raw)
    except (CryptoError, ValueError, TypeError):
        raise KeyFormatError("公钥格式不正确") from None


def fingerprint(key: str | VerifyKey | SigningKey) -> str:
    """A short fingerprint such as ``3f2a-9c41-07be-d5e0`` to compare keys by eye or over the phone."""
    if isinstance(key, str):
        key = decode_public_key(key)
    verify = key.verify_key if isinstance(key, SigningKey) else key
    digest = hashlib.sha256(bytes(verify)).hexdigest()[:16]
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


# ------------------------------------------------------------------------------------ device keys
def device_key_name(device_id: str) -> str:
    """The keyring entry name of a device's signing key."""
    return f"device-key:{device_id}"


def load_device_key(device_id: str, create: bool = True) -> SigningKey:
    """This device's signing key from the OS keyring, made and stored the first time when ``create``."""
    name = device_key_name(device_id)
    if not keyring_is_secure():
        raise KeyStoreError("系统密码库不可用（当前后端会把密钥写入明文文件），不能保存本机的签名密钥。"
                            "请在 Windows 账户下使用，或请管理员配置系统密码库")
    try:
        stored = keyring.get_password(KEYRING_SERVICE, name)
    except keyring.errors.KeyringError as exc:
        raise KeyStoreError(f"无法读取系统密码库（{exc}）。请确认已登录 Windows 账户，或联系管理员") from exc
    if stored:
        try:
            seed = base64.b64decode(stored, validate=True)
            return SigningKey(seed)
        except (binascii.Error, ValueError, CryptoError, TypeError):
            raise KeyStoreError("系统密码库中本机的签名密钥已损坏。请联系管理员重新登记本机") from None
    if not create:
        raise KeyStoreError("本机还没有签名密钥。请先运行 renda sync keys 生成，并请管理员登记")
    key = SigningKey.generate()
    encoded = base64.b64encode(bytes(key)).decode("ascii")
    try:
        keyring.set_password(KEYRING_SERVICE, name, encoded)
        readback = keyring.get_password(KEYRING_SERVICE, name)
    except keyring.errors.KeyringError as exc:
        raise KeyStoreError(f"无法把签名密钥存入系统密码库（{exc}）") from exc
    if readback != encoded:
        raise KeyStoreError("系统密码库不可用，无法保存本机的签名密钥。请联系管理员配置密码库后重试")
    return key


def device_public_key(device_id: str) -> str:
    """This device's public key (base64), making the key pair the first time."""
    return encode_public_key(load_device_key(device_id))


# ------------------------------------------------------------------------------------ server key
def server_key_path(data_dir: Path) -> Path:
    """Where the server keeps its bundle-signing key."""
    return Path(data_dir) / SERVER_KEY_FILE


def load_server_key(data_dir: Path, create: bool = True) -> SigningKey:
    """The server's signing key from ``data_dir``; made with owner-only permissions the first time."""
    path = server_key_path(data_dir)
    if not path.exists():
        if not create:
            raise KeyStoreError(f"服务器数据目录 {data_dir} 中没有签名密钥文件 {SERVER_KEY_FILE}")
        path.parent.mkdir(parents=True, exist_ok=True)
        key = SigningKey.generate()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_server_key(data_dir, create=False)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(base64.b64encode(bytes(key)).decode("ascii") + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return key
    if sys.platform != "win32":
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise KeyStoreError(f"签名密钥文件 {path} 可被其他用户读取，已拒绝使用。请执行 chmod 600 {path}")
    try:
        seed = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
        return SigningKey(seed)
    except (OSError, UnicodeDecodeError, binascii.Error, ValueError, CryptoError, TypeError) as exc:
        raise KeyStoreError(f"服务器签名密钥文件 {path} 无法读取或已损坏：{exc}") from exc


def server_public_key(data_dir: Path) -> str:
    """The server's public key (base64), to be given to each client once."""
    return encode_public_key(load_server_key(data_dir))


# ------------------------------------------------------------------------------------ client trust
def trusted_server_key(store: LocalStore) -> str | None:
    """The server public key this client trusts for replies, if it has been set."""
    value = store.get_state(SERVER_KEY_STATE)
    return str(value) if value else None


def trust_server_key(store: LocalStore, public_key: str, replace: bool = False) -> str:
    """Remember the server's public key in ClientState; refuses to change it silently.

    Returns the key's fingerprint.
    """
    verify = decode_public_key(public_key)
    encoded = encode_public_key(verify)
    with store.session() as s, s.begin():
        row = s.get(ClientState, SERVER_KEY_STATE)
        if row is not None and row.value and row.value != encoded and not replace:
            raise KeyStoreError(
                f"本机已信任另一把服务器公钥（指纹 {fingerprint(str(row.value))}）。"
                "如确认服务器已更换密钥，请加 --replace 重新设置"
            )
        store.put_state(s, SERVER_KEY_STATE, encoded)
    return fingerprint(verify)


# ------------------------------------------------------------------------------------ enrolment
@dataclass(frozen=True)
class Enrolment:
    """The outcome of enrolling a device."""

    device_id: str
    user_id: str
    username: str
    public_key: str
    fingerprint: str
    created: bool
    replaced: bool


def _find_user(session: Session, user: str) -> User:
    row = session.scalars(select(User).where(User.username == user)).first()
    if row is None and is_uuid(user):
        row = session.get(User, user)
    if row is None:
        raise EnrolmentError(f"服务器上没有用户“{user}”。请核对用户名")
    if not row.is_active:
        raise EnrolmentError(f"用户“{row.username}”已停用，不能为其登记设备")
    return row


def enrol_device_in(session: Session, device_id: str, user: str, public_key: str, *, name: str = "",
                    replace: bool = False, actor: str = "system", audit: bool = True) -> Enrolment:
    """Register (or confirm) a device and its public key in the caller's transaction.

    ``user`` is a username or a user id. Enrolling the same device with the same key again changes
    nothing. A different key is refused unless ``replace`` (a reinstalled laptop); a device already
    enrolled for another user is always refused.
    """
    if not isinstance(device_id, str) or not is_uuid(device_id):
        raise EnrolmentError("设备号格式不正确：应为 36 个字符的编号（在笔记本上运行 renda sync keys 查看）")
    try:
        encoded = encode_public_key(decode_public_key(public_key))
    except KeyFormatError as exc:
        raise EnrolmentError(str(exc)) from None
    owner = _find_user(session, user)
    device = session.get(Device, device_id)
    created = replaced = False
    if device is None:
        device = Device(id=device_id, user_id=owner.id, name=name[:120], public_key=encoded,
                        last_outbox_seq=0, last_cursor={}, last_bundle_no=0)
        session.add(device)
        created = True
    else:
        if device.user_id != owner.id:
            holder = session.get(User, device.user_id)
            raise EnrolmentError(
                f"该设备已登记给用户“{holder.username if holder else device.user_id}”，不能再登记给“{owner.username}”"
            )
        if device.public_key != encoded:
            if not replace:
                raise EnrolmentError(
                    f"该设备已登记了另一把公钥（指纹 {fingerprint(device.public_key)}）。"
                    "如确认笔记本已重装或更换了密钥，请加 --replace 重新登记"
                )
            device.public_key = encoded
            replaced = True
        if name and device.name != name[:120]:
            device.name = name[:120]
    session.flush()
    if audit and (created or replaced):
        from core.audit import append

        append(session, actor, "sync.enrol", device_id,
               {"user": owner.username, "fingerprint": fingerprint(encoded), "replaced": replaced})
    return Enrolment(device_id, owner.id, owner.username, encoded, fingerprint(encoded), created, replaced)


def enrol_device(factory: sessionmaker[Session], device_id: str, user: str, public_key: str, *,
                 name: str = "", replace: bool = False, actor: str = "system", audit: bool = True) -> Enrolment:
    """Register a device and its public key on the server, in its own transaction (see :func:`enrol_device_in`)."""
    with factory() as session, session.begin():
        return enrol_device_in(session, device_id, user, public_key, name=name, replace=replace,
                               actor=actor, audit=audit)
