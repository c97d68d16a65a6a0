"""Data links of the budget app: pulls from the bureaus over HTTPS and the exchange with district congresses.

See ``docs/budget-links.md``. Pure Python (``requests``); no Qt.
"""

from core.budget.links.adapters import ADAPTERS, BureauAdapter, HttpPullAdapter, Limits, adapter_for, register
from core.budget.links.errors import LinkCancelled, LinkError
from core.budget.links.protocol import Manifest, ManifestEntry, ManifestError, parse_manifest
from core.budget.links.pull import FileOutcome, PullResult, pull
from core.budget.links.settings import LinkSettings, LinkStore, default_store, load_token, store_token

__all__ = ["ADAPTERS", "BureauAdapter", "FileOutcome", "HttpPullAdapter", "Limits", "LinkCancelled", "LinkError",
           "LinkSettings", "LinkStore", "Manifest", "ManifestEntry", "ManifestError", "PullResult", "adapter_for",
           "default_store", "load_token", "parse_manifest", "pull", "register", "store_token"]
