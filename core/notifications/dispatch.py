"""The server's dispatcher: picks due messages, resolves the number, renders, sends, records the result.

Delivery semantics (see ``docs/notifications.md``):

- **Once per event**: a message's id comes from its dedup key, so the same event queued twice (two devices,
  a retried sync) is one row; a crafted second row with the same key is given up as a duplicate, never sent.
- **At least once per message towards the gateway**: a message is claimed (``sending``, ``attempts`` + 1,
  ``next_attempt_at`` = now + ``sending_timeout``) and committed before the gateway is called. If the
  process dies after the gateway accepted it but before ``sent`` is recorded, the claim expires and the
  message is sent again: Kannel has no idempotency key, so in that window a recipient can get it twice.
  Every other path sends it once.
- Gateway unreachable / busy → ``failed`` with ``next_attempt_at`` (exponential backoff with jitter), after
  ``max_attempts`` → ``gave_up``. Gateway refusal, no number, bad template → ``failed`` with no next attempt.
- Claims use ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several server processes share the work; on
  SQLite the database's single writer serialises claims (a concurrent claim fails and is retried next pass).

Writes go through the ORM on a session factory with the server's stamping hooks
(:func:`core.sync.stamping.install_server_hooks`), so every status change gets a new version and change
number and reaches the clients with their next pull.
"""

from __future__ import annotations

import logging
import random
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from core.models.base import utcnow
from core.notifications.gateway import Gateway, GatewayRejected, GatewayUnavailable
from core.notifications.kannel import DLR_BUFFERED, DLR_DELIVERED, DLR_FAILED, DLR_REJECTED, DLR_SUBMITTED
from core.notifications.models import (
    DELIVERED,
    FAILED,
    GAVE_UP,
    QUEUED,
    SENDING,
    SENT,
    STATUSES,
    NtfAttempt,
    NtfMessage,
)
from core.notifications.sms import sms_parts
from core.notifications.templates import TemplateError, render

log = logging.getLogger("core.notifications.dispatch")

PHONE = re.compile(r"^\+?[0-9]{5,20}$")
REPORT_PATH = "/api/notifications/dlr"


@dataclass(frozen=True)
class DispatchSettings:
    max_attempts: int = 8
    base_delay: float = 30.0
    """Seconds before the first retry; doubled for every further one."""
    max_delay: float = 3600.0
    jitter: float = 0.2
    """Each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]."""
    batch: int = 20
    max_claims: int = 50
    sending_timeout: float = 300.0
    """A claim older than this (the process died while sending) makes the message due again."""
    report_base_url: str = ""
    """The server's address as the gateway reaches it (e.g. ``http://10.0.0.5:8765``); '' for no reports."""

    def delay(self, attempts: int, rng: Callable[[], float]) -> timedelta:
        base = min(self.max_delay, self.base_delay * 2 ** max(0, attempts - 1))
        return timedelta(seconds=base * (1 + self.jitter * (2 * rng() - 1)))


@dataclass
class _Job:
    message_id: str
    attempt_id: str
    token: str
    to: str = ""
    text: str = ""
    error: str = ""


class RecipientError(ValueError):
    pass


def recipient_value(session: Session, msg: NtfMessage, kind: str) -> Any:
    """The value of the message's recipient column (a phone number, an openid) in its row, read as the message
    names it; the row must exist and still be in the message's scope. ``kind`` names the message in refusals."""
    from core.sync.schema import REGISTRY, SchemaError

    try:
        spec = REGISTRY.get(msg.recipient_table)
    except SchemaError:
        raise RecipientError(f"收件人所在的表“{msg.recipient_table}”不存在") from None
    if msg.recipient_column not in spec.user_columns:
        raise RecipientError(f"收件人所在的字段“{msg.recipient_column}”不存在")
    table = spec.table
    row = session.execute(select(table.c[msg.recipient_column], table.c.scope, table.c.deleted)
                          .where(table.c.id == msg.recipient_id)).first()
    if row is None or row.deleted:
        raise RecipientError("收件人的记录不存在")
    if row.scope != msg.scope:
        raise RecipientError(f"收件人的记录不在这条{kind}的范围内")
    return row[0]


@dataclass
class Dispatcher:
    factory: sessionmaker[Session]
    gateway: Gateway
    settings: DispatchSettings = field(default_factory=DispatchSettings)
    clock: Callable[[], datetime] = utcnow
    rng: Callable[[], float] = random.random
    channel: str = "sms"
    """The outbox channel this dispatcher sends (``sms``; ``core.notifications.wechat`` sends ``wechat``)."""

    # ------------------------------------------------------------------------------------- one pass
    def run_once(self) -> dict[str, int]:
        """Send every due message (``batch`` per claim, claims repeated until none is due, at most
        ``max_claims`` per pass so one pass always ends)."""
        counts = dict.fromkeys(STATUSES, 0)
        for _ in range(self.settings.max_claims):
            jobs = self._claim()
            if not jobs:
                break
            for job in jobs:
                status = self._send(job)
                counts[status] = counts.get(status, 0) + 1
        return counts

    def _due(self, now: datetime) -> Any:
        m = NtfMessage
        return and_(m.deleted.is_(False), m.channel == self.channel, or_(
            and_(m.status == QUEUED, or_(m.next_attempt_at.is_(None), m.next_attempt_at <= now)),
            and_(m.status.in_((FAILED, SENDING)), m.next_attempt_at.is_not(None), m.next_attempt_at <= now)))

    def _claim(self) -> list[_Job]:
        now = self.clock()
        jobs: list[_Job] = []
        with self.factory() as session, session.begin():
            session.info["actor"] = "notifications"
            stmt = (select(NtfMessage).where(self._due(now)).order_by(NtfMessage.queued_at, NtfMessage.id)
                    .limit(self.settings.batch).with_for_update(skip_locked=True))
            for msg in session.scalars(stmt):
                if self._duplicate(session, msg):
                    msg.status, msg.next_attempt_at = GAVE_UP, None
                    msg.last_error = "同一事件已有短信，未重复发送"
                    continue
                msg.status = SENDING
                msg.attempts = (msg.attempts or 0) + 1
                msg.next_attempt_at = now + timedelta(seconds=self.settings.sending_timeout)
                job = _Job(msg.id, "", secrets.token_urlsafe(24))
                try:
                    job.to = self._recipient(session, msg)
                    job.text = self._content(msg)
                except (RecipientError, TemplateError) as exc:
                    job.error = str(exc)
                attempt = NtfAttempt(message_id=msg.id, at=now, kind="send", outcome="claimed", detail="",
                                     gateway_id="", dlr_token=job.token)
                session.add(attempt)
                session.flush()
                job.attempt_id = attempt.id
                jobs.append(job)
        return jobs

    @staticmethod
    def _duplicate(session: Session, msg: NtfMessage) -> bool:
        first = session.scalar(select(NtfMessage.id).where(NtfMessage.dedup_key == msg.dedup_key)
                               .order_by(NtfMessage.id).limit(1))
        return first is not None and first != msg.id

    def _content(self, msg: NtfMessage) -> str:
        """What the gateway is given: the rendered SMS text."""
        return render(msg.template_key, msg.params or {})

    def _parts(self, text: str) -> int:
        return sms_parts(text)

    @staticmethod
    def _recipient(session: Session, msg: NtfMessage) -> str:
        phone = re.sub(r"[\s-]", "", str(recipient_value(session, msg, "短信") or ""))
        if not phone:
            raise RecipientError("收件人没有手机号码")
        if not PHONE.match(phone):
            raise RecipientError("收件人的手机号码格式不对")
        return phone

    def _report_url(self, job: _Job) -> str:
        base = self.settings.report_base_url.rstrip("/")
        if not base:
            return ""
        return f"{base}{REPORT_PATH}?attempt={job.attempt_id}&token={job.token}&type=%d"

    def _send(self, job: _Job) -> str:
        outcome, detail, gateway_id = "rejected", job.error, ""
        if not job.error:
            try:
                result = self.gateway.send(to=job.to, text=job.text, message_id=job.message_id,
                                           report_url=self._report_url(job))
                outcome, detail, gateway_id = "sent", result.detail, result.gateway_id
            except GatewayUnavailable as exc:
                outcome, detail = "retry", str(exc)
            except GatewayRejected as exc:
                outcome, detail = "rejected", str(exc)
        return self._record(job, outcome, detail[:500], gateway_id)

    def _record(self, job: _Job, outcome: str, detail: str, gateway_id: str) -> str:
        now = self.clock()
        with self.factory() as session, session.begin():
            session.info["actor"] = "notifications"
            msg = session.get(NtfMessage, job.message_id, with_for_update=True)
            attempt = session.get(NtfAttempt, job.attempt_id)
            assert msg is not None and attempt is not None
            attempt.outcome, attempt.detail, attempt.gateway_id = outcome, detail, gateway_id
            if outcome == "sent":
                msg.sent_at = msg.sent_at or now
                msg.gateway_id, msg.parts, msg.last_error = gateway_id, self._parts(job.text), ""
                if msg.status == SENDING:  # a delivery report may have come first
                    msg.status, msg.next_attempt_at = SENT, None
            elif outcome == "retry" and msg.attempts < self.settings.max_attempts:
                msg.status, msg.last_error = FAILED, detail
                msg.next_attempt_at = now + self.settings.delay(msg.attempts, self.rng)
            elif outcome == "retry":
                msg.status, msg.last_error, msg.next_attempt_at = GAVE_UP, detail, None
                attempt.outcome = GAVE_UP
            else:
                msg.status, msg.last_error, msg.next_attempt_at = FAILED, detail, None
            return msg.status

    # ------------------------------------------------------------------------------------- reports
    def handle_report(self, attempt_id: str, token: str, dlr_type: int, detail: str = "") -> bool:
        return apply_report(self.factory, attempt_id, token, dlr_type, detail, self.clock())

    # ------------------------------------------------------------------------------------- loop
    def run_forever(self, stop: threading.Event, interval: float = 5.0) -> None:
        """Pass after pass until ``stop`` is set (a failed pass is logged and retried at the next)."""
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("%s 消息发送失败，稍后重试", self.channel)
            stop.wait(interval)


def apply_report(factory: sessionmaker[Session], attempt_id: str, token: str, dlr_type: int, detail: str = "",
                 now: datetime | None = None) -> bool:
    """Apply a delivery report; False (nothing changed) when the attempt or its token is wrong."""
    now = now or utcnow()
    with factory() as session, session.begin():
        session.info["actor"] = "notifications"
        attempt = session.get(NtfAttempt, attempt_id) if attempt_id else None
        if attempt is None or not attempt.dlr_token or not secrets.compare_digest(attempt.dlr_token, token):
            return False
        msg = session.get(NtfMessage, attempt.message_id, with_for_update=True)
        if msg is None:
            return False
        session.add(NtfAttempt(message_id=msg.id, at=now, kind="dlr", outcome=str(dlr_type),
                               detail=detail[:500], gateway_id=attempt.gateway_id, dlr_token=""))
        if dlr_type & DLR_DELIVERED:
            msg.status, msg.delivered_at, msg.next_attempt_at = DELIVERED, now, None
            msg.sent_at = msg.sent_at or now
        elif dlr_type & (DLR_FAILED | DLR_REJECTED):
            if msg.status != DELIVERED:
                msg.status, msg.next_attempt_at = FAILED, None
                msg.last_error = "短信中心报告未能送达" if dlr_type & DLR_FAILED else "短信中心拒绝了这条短信"
        elif dlr_type & DLR_SUBMITTED and msg.status == SENDING:
            msg.status, msg.sent_at, msg.next_attempt_at = SENT, msg.sent_at or now, None
        elif dlr_type & DLR_BUFFERED:
            pass  # still on its way
        return True


def status_counts(factory: sessionmaker[Session]) -> dict[str, int]:
    from sqlalchemy import func

    with factory() as session:
        rows = session.execute(select(NtfMessage.status, func.count()).where(NtfMessage.deleted.is_(False))
                               .group_by(NtfMessage.status)).all()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({str(s): int(n) for s, n in rows})
    return counts
