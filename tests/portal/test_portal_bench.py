"""The portal's load run at a tiny size: every submission that got a receipt is stored exactly once."""

from __future__ import annotations

import pytest

from apps.portal.bench import run_portal_load


@pytest.mark.slow
def test_a_short_load_run_loses_nothing(portal_db: str) -> None:
    result = run_portal_load(portal_db, clients=4, seconds=1.5)
    assert result["portal_submissions"] > 0 and result["portal_requests"] >= 5 * result["portal_submissions"]
    assert result["portal_lost"] == 0 and result["portal_errors"] == 0
    assert result["portal_p99_ms"] > 0 and result["portal_rps"] > 0
