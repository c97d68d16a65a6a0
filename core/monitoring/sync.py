"""Registers the machine-room tables with the sync registry (loaded by ``core.features.load_features``)."""

from __future__ import annotations

from core.monitoring.models import MONITORING_MODELS
from core.sync.schema import REGISTRY

for _model in MONITORING_MODELS:
    REGISTRY.register(_model)  # type: ignore[arg-type]
