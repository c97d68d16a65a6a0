"""Registers the retired-cadre tables with the sync registry (loaded by ``core.features.load_features``),
and the greeting SMS template the server sends with."""

from __future__ import annotations

import core.cadre.greetings
import core.cadre.notices  # noqa: F401  (the WeChat notice template)
from core.cadre.models import CADRE_MODELS
from core.cadre.notice_models import NOTICE_MODELS
from core.sync.schema import REGISTRY

for _model in (*CADRE_MODELS, *NOTICE_MODELS):
    REGISTRY.register(_model)  # type: ignore[arg-type]
