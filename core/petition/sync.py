"""Registers the petition tables with the sync registry (loaded by ``core.features.load_features``)."""

from __future__ import annotations

import core.petition.notices
import core.petition.textindex  # noqa: F401  (the local text index: derived, never synced)
from core.petition.models import PETITION_MODELS
from core.sync.schema import REGISTRY

for _model in PETITION_MODELS:
    REGISTRY.register(_model)  # type: ignore[arg-type]
