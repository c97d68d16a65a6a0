"""Which OS keyrings the suite trusts with tokens and signing keys.

Secrets go to the operating system's keyring (Windows Credential Manager, macOS Keychain, Secret Service),
never to plain files. A keyring backend that writes secrets to a file in clear text is treated as no keyring
at all: the user then signs in again at each start, and bundle export is refused with a clear message.
"""

from __future__ import annotations

import keyring

_PLAINTEXT_BACKENDS = {"PlaintextKeyring"}


def keyring_is_secure() -> bool:
    """False when the active backend would keep secrets in a clear-text file."""
    backend = keyring.get_keyring()
    chain = getattr(backend, "backends", None) or [backend]
    return not any(type(b).__name__ in _PLAINTEXT_BACKENDS and type(b).__module__.startswith("keyrings.alt")
                   for b in chain)
