"""Registers the SMS outbox with the sync registry (loaded by ``core.features.load_features``)."""

from __future__ import annotations

from core.notifications.models import NOTIFICATION_MODELS
from core.sync.schema import REGISTRY

for _model in NOTIFICATION_MODELS:
    REGISTRY.register(_model)  # type: ignore[arg-type]
