"""Registers the retired-cadre tables with the sync registry (loaded by ``core.features.load_features``)."""

from __future__ import annotations

from core.cadre.models import CADRE_MODELS
from core.sync.schema import REGISTRY

for _model in CADRE_MODELS:
    REGISTRY.register(_model)  # type: ignore[arg-type]
