"""Queueing an SMS: what a feature calls, on a client (offline) or on the server, in its own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from core.models.base import utcnow
from core.notifications.models import QUEUED, NtfMessage
from core.notifications.templates import TemplateError, get_template

_NAMESPACE = uuid.UUID("6f1d3c1e-5d0b-4e53-9a3e-2b7c1f0a9e21")


def message_id(dedup_key: str) -> str:
    """The row id of the message with ``dedup_key``: the same on every device, so one event is one message."""
    return str(uuid.uuid5(_NAMESPACE, dedup_key))


def queue_sms(session: Session, *, template_key: str, params: Mapping[str, Any],
              recipient: tuple[str, str, str], scope: str, dedup_key: str,
              queued_at: datetime | None = None) -> NtfMessage:
    """Queue an SMS in ``session``'s transaction (committed by the caller, with the change that causes it).

    ``recipient`` is (table, row id, column) of the phone number, e.g. ``("pet_petitioner", pid, "phone")``;
    the server reads it when it sends, so the caller never needs to see the number. ``scope`` is the
    feature's scope for the row (who sees the message and its status). ``dedup_key`` names the event
    (e.g. ``"petition:accepted:<case id>"``): queueing the same key again, here or on another device,
    gives the same message, sent once. The parameters are checked against the template now
    (:class:`TemplateError` with a Chinese message).
    """
    if not dedup_key or len(dedup_key) > 200:
        raise TemplateError("短信的去重键必须是 1 至 200 个字符")
    table, row_id, column = recipient
    if not (table and row_id and column):
        raise TemplateError("短信必须指明收件人所在的表、记录和字段")
    if not scope:
        raise TemplateError("短信必须指明范围")
    clean = dict(params)
    get_template(template_key).render(clean)  # refuses missing or unknown parameters now, not at send time
    mid = message_id(dedup_key)
    existing = session.get(NtfMessage, mid)
    if existing is not None:
        return existing
    msg = NtfMessage(id=mid, channel="sms", template_key=template_key, params=clean, recipient_table=table, recipient_id=row_id,
                     recipient_column=column, target_scope=scope, dedup_key=dedup_key,
                     queued_at=queued_at or utcnow(), status=QUEUED, attempts=0, last_error="", gateway_id="",
                     parts=0)
    session.add(msg)
    return msg
