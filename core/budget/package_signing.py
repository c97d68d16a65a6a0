"""Signed district packages: who made a package, and that nobody changed it on the way.

The package's ``manifest.json`` lists the SHA-256 of every file in it, so signing the manifest signs the whole
package. The producer signs with its Ed25519 key (the server's key on the server, the workstation's key from the
OS keyring on a desktop, see :mod:`core.sync.keys`); the signature travels inside the zip as ``signature.json``::

    {"format": "renda-budget-exchange-signature/1", "signer": "上海市人大常委会预算工作委员会",
     "public_key": "<base64>", "signed_at": "2026-11-28T04:00:00+00:00", "signature": "<base64>"}

The receiver keeps a list of trusted producers (name, public key, fingerprint) and imports a package only when
its signature is valid and its signer is on the list. Keys are exchanged once, out of band, and compared by
fingerprint over the phone, as for sync bundles. The mechanism is shared (:mod:`core.sync.package_signing`);
this module names the budget's scheme.
"""

from __future__ import annotations

from pathlib import Path

from nacl.signing import SigningKey

from core.sync import package_signing as _shared
from core.sync.package_signing import (
    MAX_SIGNATURE_BYTES,
    SIGNATURE_ENTRY,
    PackageSignature,
    SignatureError,
    SigningScheme,
    TrustedProducers,
    unsigned_copy,
)

SIGNATURE_FORMAT = "renda-budget-exchange-signature/1"
SCHEME = SigningScheme(SIGNATURE_FORMAT, "renda budget exchange trust")

__all__ = ["MAX_SIGNATURE_BYTES", "SCHEME", "SIGNATURE_ENTRY", "SIGNATURE_FORMAT", "PackageSignature",
           "SignatureError", "TrustedProducers", "read_signature", "sign_package", "unsigned_copy", "verify_package"]


def sign_package(path: Path, key: SigningKey, signer: str) -> PackageSignature:
    """Add the producer's signature to the package at ``path`` (refused when it is already signed)."""
    return _shared.sign_package(path, key, signer, SCHEME)


def read_signature(path: Path) -> PackageSignature:
    """The package's signature, checked against its manifest (not yet against the trusted list)."""
    return _shared.read_signature(path, SCHEME)


def verify_package(path: Path, trusted: TrustedProducers) -> PackageSignature:
    """The signature of a package whose signer is trusted; :class:`SignatureError` otherwise."""
    return _shared.verify_package(path, trusted, SCHEME)
