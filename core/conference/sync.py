"""Registers the conference tables with the sync registry (loaded by ``core.features.load_features``)."""

from __future__ import annotations

from core.conference.records import CONFERENCE_MODELS
from core.sync.schema import REGISTRY

for _model in CONFERENCE_MODELS:
    REGISTRY.register(_model)  # type: ignore[arg-type]
