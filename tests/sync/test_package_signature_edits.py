"""A signed package's signature file cannot be changed by a single character and still be accepted.

base64 leaves spare bits in its last character, so two spellings decode to the same bytes; the signature and the
public key must be written in their one canonical spelling. Schemes that bind the signer and the time refuse any
edit of them too; the older scheme, which signs only the manifest, names the signer from the trusted list.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from core.sync.keys import encode_public_key
from core.sync.package_signing import (
    SIGNATURE_ENTRY,
    PackageSignature,
    SignatureError,
    SigningScheme,
    TrustedProducers,
    read_signature,
    sign_package,
    verify_package,
)

BOUND = SigningScheme("test-bound-signature/1", "renda test trust", bind_metadata=True)
MANIFEST_ONLY = SigningScheme("test-manifest-signature/1", "renda test trust")
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _package(path: Path) -> Path:
    data = b"line\n"
    manifest = {"format": "test/1", "members": {"data.txt": {"size": len(data),
                                                             "sha256": hashlib.sha256(data).hexdigest()}}}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("data.txt", data)
    return path


def _with_signature(signed: Path, out: Path, text: str) -> Path:
    with zipfile.ZipFile(signed) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, text.encode("utf-8") if name == SIGNATURE_ENTRY else src.read(name))
    return out


def _signature_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(SIGNATURE_ENTRY).decode("utf-8")


def _other_spelling(text: str) -> str:
    """The same bytes in base64 with a different last data character (its spare bits set)."""
    body = text.rstrip("=")
    spare = {2: 4, 1: 2}[len(text) - len(body)]
    last = B64.index(body[-1])
    assert last % (1 << spare) == 0, "a canonical spelling has its spare bits clear"
    other = body[:-1] + B64[last + 1] + text[len(body):]
    assert base64.b64decode(other, validate=True) == base64.b64decode(text, validate=True)
    return other


@pytest.mark.parametrize("scheme", [BOUND, MANIFEST_ONLY], ids=["bound", "manifest-only"])
@pytest.mark.parametrize("field", ["signature", "public_key"])
def test_a_second_spelling_of_the_same_bytes_is_refused(tmp_path: Path, scheme: SigningScheme, field: str) -> None:
    package = _package(tmp_path / "p.zip")
    sign_package(package, SigningKey.generate(), "市人大", scheme)
    body = json.loads(_signature_text(package))
    body[field] = _other_spelling(body[field])
    respelled = _with_signature(package, tmp_path / "respelled.zip", json.dumps(body, ensure_ascii=False, indent=2))
    with pytest.raises(SignatureError, match="签名格式不正确"):
        read_signature(respelled, scheme)


def _single_edits(text: str) -> list[tuple[int, str]]:
    """Every position of the text with one other character in it (whitespace stays whitespace-free)."""
    edits = []
    for pos, char in enumerate(text):
        if char.isspace():
            continue
        for replacement in ("9", "8", "A", "+", "\u4e00"):
            if replacement != char:
                edits.append((pos, replacement))
                break
    return edits


def _value_span(text: str, name: str) -> range:
    start = text.index(f'"{name}": "') + len(f'"{name}": "')
    return range(start, text.index('"', start))


@pytest.mark.parametrize("scheme", [BOUND, MANIFEST_ONLY], ids=["bound", "manifest-only"])
def test_every_single_character_edit_of_the_signature_file_is_refused(tmp_path: Path, scheme: SigningScheme) -> None:
    key = SigningKey.generate()
    package = _package(tmp_path / "p.zip")
    original = sign_package(package, key, "上海市人大常委会信访办公室", scheme)
    trust = TrustedProducers(tmp_path / "trusted.json")
    trust.add("信访办（名单中登记的名称）", encode_public_key(key))
    text = _signature_text(package)
    claims = set(_value_span(text, "signer")) | set(_value_span(text, "signed_at"))
    accepted: list[tuple[int, str]] = []
    for pos, replacement in _single_edits(text):
        edited = _with_signature(package, tmp_path / "edited.zip", text[:pos] + replacement + text[pos + 1:])
        try:
            signed = verify_package(edited, trust, scheme)
        except SignatureError as exc:
            assert str(exc) and "Traceback" not in str(exc)
        else:
            accepted.append((pos, replacement))
            # an unsigned claim that was edited never reaches the clerk: the name is the trusted list's
            assert signed == PackageSignature("信访办（名单中登记的名称）", original.public_key, signed.signed_at)
    if scheme.bind_metadata:
        assert accepted == []
    else:
        assert accepted and all(pos in claims for pos, _ in accepted)
