"""Signed district packages: a valid signature of a trusted producer is needed; any change after signing is caught."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from core.budget.package_signing import (
    SIGNATURE_ENTRY,
    SignatureError,
    TrustedProducers,
    read_signature,
    sign_package,
    unsigned_copy,
    verify_package,
)
from core.sync.keys import encode_public_key


def _package(path: Path, payments: bytes = b"a,b\n1,2\n") -> Path:
    manifest = {"format": "renda-budget-exchange/1",
                "files": [{"name": "payments.csv", "size": len(payments), "sha256": hashlib.sha256(payments).hexdigest()}]}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("payments.csv", payments)
    return path


def test_a_signed_package_from_a_trusted_producer_verifies_and_imports_without_its_signature(tmp_path: Path) -> None:
    key = SigningKey.generate()
    package = _package(tmp_path / "p.zip")
    signed = sign_package(package, key, "浦东新区人大常委会")
    trust = TrustedProducers(tmp_path / "trusted.json")
    with pytest.raises(SignatureError, match="不在受信任名单中"):
        verify_package(package, trust)
    trust.add("浦东新区人大常委会", encode_public_key(key))
    assert verify_package(package, trust) == signed
    plain = unsigned_copy(package, tmp_path / "plain.zip")
    with zipfile.ZipFile(plain) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "payments.csv"]
    with pytest.raises(SignatureError, match="已经签过名"):
        sign_package(package, key, "浦东新区人大常委会")


def test_unsigned_tampered_and_forged_packages_are_refused(tmp_path: Path) -> None:
    key, other = SigningKey.generate(), SigningKey.generate()
    trust = TrustedProducers(tmp_path / "trusted.json")
    trust.add("市人大", encode_public_key(key))
    with pytest.raises(SignatureError, match="没有签名"):
        verify_package(_package(tmp_path / "unsigned.zip"), trust)

    # Rewriting the manifest (and the files it lists) after signing breaks the signature.
    package = _package(tmp_path / "p.zip")
    sign_package(package, key, "市人大")
    with zipfile.ZipFile(package) as src:
        signature = src.read(SIGNATURE_ENTRY)
    rewritten = _package(tmp_path / "rewritten.zip", payments=b"a,b\n9,9\n")
    with zipfile.ZipFile(rewritten, "a") as archive:
        archive.writestr(SIGNATURE_ENTRY, signature)
    with pytest.raises(SignatureError, match="被改动过"):
        verify_package(rewritten, trust)

    # A package signed by someone else who claims a trusted name is refused by key, not by name.
    forged = _package(tmp_path / "forged.zip")
    sign_package(forged, other, "市人大")
    with pytest.raises(SignatureError, match="不在受信任名单中"):
        verify_package(forged, trust)


def test_the_trusted_list_refuses_a_bad_key_and_forgets_a_producer(tmp_path: Path) -> None:
    trust = TrustedProducers(tmp_path / "trusted.json")
    with pytest.raises(SignatureError, match="公钥格式不正确"):
        trust.add("某区", "not a key")
    entry = trust.add("某区", encode_public_key(SigningKey.generate()))
    assert trust.remove(entry["fingerprint"]) and trust.entries() == []
    assert not trust.remove("某区")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_signature_entry_is_either_valid_or_refused_with_a_message(tmp_path_factory: pytest.TempPathFactory,
                                                                       junk: bytes) -> None:
    package = _package(tmp_path_factory.mktemp("sig") / "p.zip")
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr(SIGNATURE_ENTRY, junk)
    with pytest.raises(SignatureError):
        read_signature(package)
