"""Signed exchange packages (zip): who made a package, and that nobody changed it on the way.

A package's ``manifest.json`` lists the SHA-256 of every other member, so signing the manifest signs the
whole package. The producer signs with its Ed25519 key (the server's key, or a workstation's key from the OS
keyring, see :mod:`core.sync.keys`); the signature travels inside the zip as ``signature.json``::

    {"format": "<scheme format>", "signer": "上海市人大常委会信访办公室",
     "public_key": "<base64>", "signed_at": "2026-11-28T04:00:00+00:00", "signature": "<base64>"}

``signature`` is the Ed25519 signature of ``<scheme domain> + SHA-256(manifest.json bytes)``, followed, in
schemes that bind them, by ``SHA-256(signer + "\\n" + signed_at)``; the domain (the format and ``\\n``) keeps
a signature of one kind of package from passing for another kind.

The receiver keeps a list of trusted producers (name, public key, fingerprint) and imports a package only
when its signature is valid and its signer is on the list. Keys are exchanged once, out of band, and
compared by fingerprint over the phone. Each feature names its own :class:`SigningScheme` (the budget's
district packages, the petition exchange); the code is shared.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey

from core.sync.keys import KeyFormatError, decode_public_key, encode_public_key, fingerprint

SIGNATURE_ENTRY = "signature.json"
MANIFEST_ENTRY = "manifest.json"
MAX_SIGNATURE_BYTES = 4096
ZIP_ERRORS: tuple[type[BaseException], ...] = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError,
                                               NotImplementedError, zlib.error, struct.error, UnicodeDecodeError)
"""What reading a damaged zip raises (a bad header, a broken deflate stream, a truncated file …)."""


class SignatureError(ValueError):
    """A package whose signature is missing, broken or from a producer not on the trusted list (Chinese)."""


@dataclass(frozen=True)
class SigningScheme:
    """One kind of signed package: its signature format and how to tell a clerk to trust a producer."""

    format: str
    """Written into ``signature.json``; a package of another kind is refused."""
    trust_hint: str
    """The command (or screen) that registers a producer's key, named in the refusal message."""
    bind_metadata: bool = False
    """Sign the signer's name and the signing time too (newer schemes), not only the manifest."""

    @property
    def domain(self) -> bytes:
        return self.format.encode("utf-8") + b"\n"

    def message(self, manifest: bytes, signer: str = "", signed_at: str = "") -> bytes:
        body = self.domain + hashlib.sha256(manifest).digest()
        if self.bind_metadata:
            body += hashlib.sha256(f"{signer}\n{signed_at}".encode()).digest()
        return body


@dataclass(frozen=True)
class PackageSignature:
    signer: str
    public_key: str
    signed_at: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def _manifest_bytes(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(MANIFEST_ENTRY)
    except KeyError:
        raise SignatureError(f"“{name}”中没有清单 manifest.json，不是数据包") from None


def sign_package(path: Path, key: SigningKey, signer: str, scheme: SigningScheme) -> PackageSignature:
    """Add the producer's signature to the package at ``path`` (refused when it is already signed)."""
    signer = signer.strip()
    if not signer:
        raise SignatureError("请填写签名单位的名称")
    try:
        with zipfile.ZipFile(path) as archive:
            if SIGNATURE_ENTRY in archive.namelist():
                raise SignatureError(f"“{path.name}”已经签过名")
            manifest = _manifest_bytes(archive, path.name)
    except ZIP_ERRORS as exc:
        raise SignatureError(f"“{path.name}”不是完整的数据包（{exc}）") from exc
    signed = PackageSignature(signer, encode_public_key(key), datetime.now(UTC).isoformat(timespec="seconds"))
    body = {"format": scheme.format, "signer": signed.signer, "public_key": signed.public_key,
            "signed_at": signed.signed_at,
            "signature": base64.b64encode(key.sign(scheme.message(manifest, signed.signer, signed.signed_at))
                                          .signature).decode("ascii")}
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SIGNATURE_ENTRY, json.dumps(body, ensure_ascii=False, indent=2))
    return signed


def read_signature(path: Path, scheme: SigningScheme) -> PackageSignature:
    """The package's signature, checked against its manifest (not yet against the trusted list)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if SIGNATURE_ENTRY not in archive.namelist():
                raise SignatureError(f"“{path.name}”没有签名，无法确认来源，已拒绝导入。请对方用本系统导出并签名后再发送")
            info = archive.getinfo(SIGNATURE_ENTRY)
            if info.file_size > MAX_SIGNATURE_BYTES:
                raise SignatureError(f"“{path.name}”的签名文件过大，已拒绝")
            raw = archive.read(info)
            manifest = _manifest_bytes(archive, path.name)
    except ZIP_ERRORS as exc:
        raise SignatureError(f"“{path.name}”不是完整的数据包（{exc}）") from exc
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SignatureError(f"“{path.name}”的签名文件无法读取") from None
    if not isinstance(data, dict) or data.get("format") != scheme.format:
        raise SignatureError(f"“{path.name}”的签名格式不认识")
    fields: dict[str, str] = {}
    for name in ("signer", "public_key", "signed_at", "signature"):
        value = data.get(name)
        if not isinstance(value, str) or not value:
            raise SignatureError(f"“{path.name}”的签名不完整")
        fields[name] = value
    try:
        verify = decode_public_key(fields["public_key"])
        signature = base64.b64decode(fields["signature"], validate=True)
        verify.verify(scheme.message(manifest, fields["signer"], fields["signed_at"]), signature)
        if (base64.b64encode(signature).decode("ascii") != fields["signature"]
                or encode_public_key(verify) != fields["public_key"]):
            # base64 has spare bits: two spellings of the same bytes would let a changed file still verify
            raise ValueError("not the canonical base64 spelling")
    except (KeyFormatError, binascii.Error, ValueError):
        raise SignatureError(f"“{path.name}”的签名格式不正确") from None
    except (BadSignatureError, CryptoError):
        raise SignatureError(f"“{path.name}”的签名与内容不符：数据包在签名后被改动过，已拒绝导入") from None
    return PackageSignature(fields["signer"], encode_public_key(verify), fields["signed_at"])


class TrustedProducers:
    """The producers whose packages this installation imports: a small JSON file, replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def entries(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SignatureError(f"受信任单位名单 {self.path} 无法读取（{exc}）") from exc
        return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []

    def add(self, name: str, public_key: str) -> dict[str, str]:
        name = name.strip()
        if not name:
            raise SignatureError("请填写单位名称")
        try:
            key = encode_public_key(decode_public_key(public_key))
        except KeyFormatError as exc:
            raise SignatureError(str(exc)) from None
        entries = [e for e in self.entries() if e.get("public_key") != key]
        entry = {"name": name, "public_key": key, "fingerprint": fingerprint(key),
                 "added_at": datetime.now(UTC).isoformat(timespec="seconds")}
        self._write([*entries, entry])
        return entry

    def remove(self, fingerprint_or_name: str) -> bool:
        entries = self.entries()
        kept = [e for e in entries if fingerprint_or_name not in (e.get("fingerprint"), e.get("name"))]
        if len(kept) == len(entries):
            return False
        self._write(kept)
        return True

    def find(self, public_key: str) -> dict[str, str] | None:
        return next((e for e in self.entries() if e.get("public_key") == public_key), None)

    def _write(self, entries: list[dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)


def verify_package(path: Path, trusted: TrustedProducers, scheme: SigningScheme) -> PackageSignature:
    """The signature of a package whose signer is trusted; :class:`SignatureError` otherwise."""
    signed = read_signature(path, scheme)
    entry = trusted.find(signed.public_key)
    if entry is None:
        raise SignatureError(
            f"“{path.name}”由“{signed.signer}”签名（公钥指纹 {signed.fingerprint}），但该单位不在受信任名单中。"
            f"请与对方电话核对指纹后，用 {scheme.trust_hint} 登记其公钥，再导入")
    if not scheme.bind_metadata and entry.get("name"):
        # the older scheme signs only the manifest: the signer's name in the package is a claim, the list is not
        return PackageSignature(str(entry["name"]), signed.public_key, signed.signed_at)
    return signed


def unsigned_copy(path: Path, out: Path) -> Path:
    """The package without its signature entry, for the importer (which checks every other entry)."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SIGNATURE_ENTRY:
                with src.open(info) as fin, dst.open(info.filename, "w") as fout:
                    shutil.copyfileobj(fin, fout)
    return out
