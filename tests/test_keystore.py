"""Tokens and signing keys never land in clear-text files, even where the only keyring would write one."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from core.keystore import keyring_is_secure
from core.sync.keys import KeyStoreError, load_device_key


@pytest.fixture
def plaintext_keyring(tmp_path: Path):  # type: ignore[no-untyped-def]
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")  # type: ignore[misc]
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield tmp_path / "keyring_pass.cfg"
    keyring.set_keyring(previous)


def test_the_test_keyring_counts_as_secure() -> None:
    assert keyring_is_secure()


def test_plaintext_file_backend_is_not_trusted(plaintext_keyring: Path) -> None:
    assert not keyring_is_secure()


def test_device_key_is_refused_rather_than_written_to_a_file(plaintext_keyring: Path) -> None:
    with pytest.raises(KeyStoreError, match="明文"):
        load_device_key("01a21fd1-9b29-7000-ad14-431db820c723")
    assert not plaintext_keyring.exists()


@pytest.mark.warnings_expected
def test_token_is_not_written_to_a_file(plaintext_keyring: Path) -> None:
    from core import remote

    remote._store_token("http://127.0.0.1:1", "staff", "secret-token")
    assert not plaintext_keyring.exists()
    assert remote._load_token("http://127.0.0.1:1", "staff") is None
