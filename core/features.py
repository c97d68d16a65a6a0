"""The feature packages of the suite and where each registers its synced tables.

The sync engine (``core.sync``) knows no feature: each feature registers its own tables with
``core.sync.schema.REGISTRY`` from a module of its own package, listed here. Every entry point (the
``renda`` command, the server, the tests) calls :func:`load_features` once at start, before it syncs.
A new system adds its module to ``FEATURE_SYNC_MODULES``.
"""

from __future__ import annotations

import importlib

FEATURE_SYNC_MODULES = (
    "core.budget.sync",      # budget review and online supervision
    "core.conference.sync",  # presidium e-conference records
    "core.petition.sync",    # letters and visits
    "core.cadre.sync",       # retired cadres
    "core.monitoring.sync",  # machine-room monitoring
    "core.notifications.sync",  # the SMS outbox (a service of every feature)
)


def load_features() -> None:
    """Import every feature's sync registration (idempotent: a module registers once)."""
    for name in FEATURE_SYNC_MODULES:
        importlib.import_module(name)
