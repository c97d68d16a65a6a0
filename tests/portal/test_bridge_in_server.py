"""The central server runs the bridge by itself: a portal submission becomes a case within seconds."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from core.db import transaction
from core.models.registry import Attachment
from core.petition.intake import SubmissionFile, SubmissionForm, record_submission
from core.petition.models import PetCase
from tests.helpers.live_server import start_live_server
from tests.portal.conftest import PNG


def test_the_server_turns_submissions_into_cases(tmp_path: Path) -> None:
    with start_live_server(tmp_path, demo_users=False, petition_intake_seconds=0.1) as live:
        factory = live.services.factory
        with transaction(factory) as s:
            code = record_submission(s, SubmissionForm(
                name="赵六", phone="13600006789", subject="公交线路调整", content="希望恢复原有公交线路，方便老人出行。" * 2,
                district_code="310113", files=(SubmissionFile("站牌.png", "image/png", PNG),)))
        deadline = time.monotonic() + 10
        case = None
        while case is None and time.monotonic() < deadline:
            with factory() as s:
                case = s.execute(select(PetCase).where(PetCase.tracking_code == code)).scalar_one_or_none()
            if case is None:
                time.sleep(0.05)
        assert case is not None and case.channel == "网上" and case.seq > 0 and case.version == 1
        with factory() as s:
            attachment = s.execute(select(Attachment).where(Attachment.owner_id == case.id)).scalar_one()
        assert live.services.blobs.store.get(attachment.sha256) == PNG
