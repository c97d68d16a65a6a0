"""Registers the budget tables with the sync registry (loaded by ``core.features.load_features``)."""

from __future__ import annotations

from core.budget.models import SYNCED_MODELS
from core.budget.work import WORK_MODELS
from core.sync.schema import REGISTRY

for _model in (*SYNCED_MODELS, *WORK_MODELS):
    REGISTRY.register(_model)  # type: ignore[arg-type]
