"""What the bridge hands the SMS outbox: the receipt (template petition.receipt with the case number and
the tracking code) and one-time codes (petition.otp), addressed to the petitioner's phone column, once.

The outbox's own delivery (Kannel, retries) is tested with the outbox; here a recorder stands in for its
``queue_sms`` to pin the call the bridge makes."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.petition.intake import SubmissionForm, import_submissions, otp_hash, record_submission, request_otp
from core.petition.models import PetCase


def test_receipt_and_one_time_code_are_queued(server_session: Callable[[], AbstractContextManager[Session]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    recorder = types.ModuleType("core.notifications")
    recorder.queue_sms = lambda session, **kw: calls.append(kw)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "core.notifications", recorder)
    with server_session() as s:
        code = record_submission(s, SubmissionForm(name="周八", phone="13300003333", subject="停车难",
                                                   content="小区停车位严重不足，夜间乱停车堵塞消防通道。", district_code="310107"))
    with server_session() as s:
        import_submissions(s)
        case = s.execute(select(PetCase)).scalar_one()
        request_otp(s, code)
    with server_session() as s:
        import_submissions(s)
        import_submissions(s)  # nothing twice
    receipt, otp = calls
    assert receipt == {"template_key": "petition.receipt", "params": {"code": case.code, "tracking": code},
                       "recipient": ("pet_petitioner", case.petitioner_id, "phone"), "scope": "petition",
                       "dedup_key": receipt["dedup_key"]}
    assert otp["template_key"] == "petition.otp" and otp["recipient"] == receipt["recipient"]
    sent = otp["params"]["code"]
    assert len(sent) == 6 and sent.isdigit() and otp["dedup_key"].startswith("petition.otp:")
    with server_session() as s:
        from core.petition.intake import PetPortalOtp

        stored = s.execute(select(PetPortalOtp.code_hash)).scalar_one()
    assert stored == otp_hash(code, sent) and sent not in str(stored)
