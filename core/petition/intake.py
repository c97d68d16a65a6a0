"""What the public portal writes and reads, and the bridge that turns it into cases.

The portal (``apps/portal``) may sit in a DMZ. On PostgreSQL it connects as the role ``renda_portal``,
which may only INSERT into the intake tables below, SELECT the two public views and call
``pet_portal_verify_otp`` (migration 0011). None of these tables is synced: they stay on the server.

- ``pet_submission`` (+ ``pet_submission_file``): everything the submit form sent, personal data and the
  attachments' bytes included, with the tracking code; ``accepted`` until the bridge made a case of it;
- ``pet_portal_rating``: a petitioner's rating of the answer (满意 / 基本满意 / 不满意), at most one a code;
- ``pet_portal_otp``: a request for a one-time SMS code; the bridge draws the code, keeps only its hash
  and sends it by SMS to the case's phone (the portal never learns the phone or the code);
- views ``pet_public_status`` (public fields of a case, or of a submission not yet imported) and
  ``pet_public_stats`` (counts by month, channel, category and district; aggregates only).

Tracking codes: 16 symbols of Crockford's base 32 (80 random bits from :mod:`secrets`) and a check
symbol from Damm's algorithm over GF(32) (x∘y = 2·x + y), which catches every single-symbol error and
every transposition of adjacent symbols. Written ``XXXX-XXXX-XXXX-XXXX-C``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.ids import uuid7
from core.models.base import Base, UTCDateTime, utcnow

log = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
PORTAL_ROLE = "renda_portal"
OTP_TTL = timedelta(minutes=10)
OTP_MAX_ATTEMPTS = 5
OTP_MAX_SENDS_PER_HOUR = 3
"""One-time codes sent for one tracking code within an hour; further requests are not sent."""

# --------------------------------------------------------------------------- tracking codes
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U (read as 1, 1, 0; U is not used)."""
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_READ_AS = {"O": "0", "I": "1", "L": "1"}
DATA_SYMBOLS = 16  # 16 × 5 = 80 random bits


def _times2(x: int) -> int:
    """Multiply by the element 2 in GF(32) = GF(2)[x] / (x⁵ + x² + 1)."""
    x <<= 1
    return x ^ 0b100101 if x & 0b100000 else x


def _damm(values: list[int]) -> int:
    interim = 0
    for v in values:
        interim = _times2(interim) ^ v
    return interim


def check_symbol(data: str) -> str:
    """The check symbol of ``data`` (canonical symbols, no hyphens)."""
    return ALPHABET[_times2(_damm([_VALUE[c] for c in data]))]


def format_code(symbols: str) -> str:
    return "-".join(symbols[i:i + 4] for i in range(0, DATA_SYMBOLS, 4)) + "-" + symbols[DATA_SYMBOLS:]


def new_tracking_code() -> str:
    """A fresh tracking code, e.g. ``7K3M-Q9XT-2B8N-HC4R-5``."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_SYMBOLS))
    return format_code(data + check_symbol(data))


class TrackingCodeError(ValueError):
    """The text is not a tracking code: wrong length or symbols (``kind`` = "format") or a typo ("check")."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def parse_tracking_code(raw: str) -> str:
    """The canonical form of a typed tracking code (spaces, hyphens, case, full-width forms and the
    look-alikes O/I/L forgiven); raises :class:`TrackingCodeError` with a Chinese message otherwise."""
    text_ = unicodedata.normalize("NFKC", raw or "").upper()
    symbols = "".join(_READ_AS.get(c, c) for c in text_ if c not in " -_—–·\t")
    if not symbols:
        raise TrackingCodeError("format", "请填写查询码")
    bad = sorted({c for c in symbols if c not in _VALUE})
    if bad:
        raise TrackingCodeError("format", f"查询码中有不使用的字符“{''.join(bad[:5])}”；查询码只含数字和字母（不含 U）")
    if len(symbols) != DATA_SYMBOLS + 1:
        raise TrackingCodeError("format", f"查询码应为 {DATA_SYMBOLS + 1} 位（不计短横线），现在是 {len(symbols)} 位")
    if _damm([_VALUE[c] for c in symbols]) != 0:
        raise TrackingCodeError("check", "查询码校验不符，可能有一位抄错或相邻两位颠倒，请对照回执或短信核对")
    return format_code(symbols)


def tracking_check(code: str, phone_last4: str) -> str:
    """What ``pet_case.tracking_check`` holds: SHA-256 hex of ``"<code>:<last four digits>"``."""
    return hashlib.sha256(f"{code}:{phone_last4}".encode()).hexdigest()


def otp_hash(code: str, otp: str) -> str:
    return hashlib.sha256(f"{code}:{otp}".encode()).hexdigest()


# --------------------------------------------------------------------------- intake tables
class PetSubmission(Base):
    """A petition as the portal's form sent it, kept until the bridge has registered it as a case."""

    __tablename__ = "pet_submission"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    tracking_code: Mapped[str] = mapped_column(String(24), unique=True)
    tracking_check: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="accepted", index=True)
    """accepted (waiting for the bridge) | imported (a case was made of it)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    client_hash: Mapped[str] = mapped_column(String(64), default="")
    """Keyed hash of the sender's address (abuse handling without keeping the address)."""
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(String(18))
    address: Mapped[str] = mapped_column(String(200), default="")
    district_code: Mapped[str] = mapped_column(String(8), default="")
    kind: Mapped[str] = mapped_column(String(8), default="")
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    persons_involved: Mapped[int] = mapped_column(Integer, default=1)
    case_id: Mapped[str | None] = mapped_column(String(36))
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PetSubmissionFile(Base):
    """An attachment of a submission, bytes included (checked by content on the way in)."""

    __tablename__ = "pet_submission_file"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    submission_id: Mapped[str] = mapped_column(String(36), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PetPortalRating(Base):
    """The petitioner's rating of the answer; the unique code makes it once only."""

    __tablename__ = "pet_portal_rating"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    tracking_code: Mapped[str] = mapped_column(String(24), unique=True)
    satisfaction: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    client_hash: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(12), default="accepted", index=True)
    """accepted | imported (copied into the case) | refused (no answered case with that code)."""
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PetPortalOtp(Base):
    """A request for a one-time code; the bridge fills ``code_hash`` and ``expires_at`` when it sends it."""

    __tablename__ = "pet_portal_otp"
    __table_args__ = (Index("ix_pet_portal_otp_tracking_code", "tracking_code", "requested_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    tracking_code: Mapped[str] = mapped_column(String(24))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    client_hash: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(12), default="requested", index=True)
    """requested | sent | refused (no such case, or too many codes within the hour)."""
    code_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


INTAKE_TABLES = ("pet_submission", "pet_submission_file", "pet_portal_rating", "pet_portal_otp")

# --------------------------------------------------------------------------- the public views
VIEWS = MetaData()  # not Base.metadata: views are made by the migration, not compared as tables
public_status = Table(
    "pet_public_status", VIEWS,
    Column("tracking_code", String), Column("tracking_check", String), Column("case_code", String),
    Column("state", String), Column("channel", String), Column("category_code", String),
    Column("district_code", String), Column("submitted_at", UTCDateTime()), Column("received_on", Date),
    Column("accepted_on", Date), Column("due_on", Date), Column("answered_on", Date),
    Column("closed_on", Date), Column("answer_summary", Text), Column("rated", Integer),
)
public_stats = Table(
    "pet_public_stats", VIEWS,
    Column("month", String), Column("channel", String), Column("category_code", String),
    Column("category_name", String), Column("district_code", String), Column("cases", Integer),
    Column("answered", Integer),
)


def public_status_sql(dialect: str) -> str:
    """The body of ``pet_public_status``: public fields only; no person, no body, no staff, no notes."""
    false = "false" if dialect == "postgresql" else "0"
    return f"""
SELECT c.tracking_code AS tracking_code, c.tracking_check AS tracking_check, c.code AS case_code,
       c.state AS state, c.channel AS channel, c.category_code AS category_code,
       c.district_code AS district_code, CAST(NULL AS TIMESTAMP) AS submitted_at,
       c.received_on AS received_on, c.accepted_on AS accepted_on, c.due_on AS due_on,
       c.answered_on AS answered_on, c.closed_on AS closed_on, c.answer_summary AS answer_summary,
       CASE WHEN c.satisfaction <> '' OR EXISTS (SELECT 1 FROM pet_portal_rating r
                                                 WHERE r.tracking_code = c.tracking_code)
            THEN 1 ELSE 0 END AS rated
  FROM pet_case c
 WHERE c.deleted = {false} AND c.tracking_code IS NOT NULL AND c.tracking_code <> ''
UNION ALL
SELECT s.tracking_code, s.tracking_check, '', 'submitted', '网上', '', s.district_code, s.created_at,
       CAST(NULL AS DATE), CAST(NULL AS DATE), CAST(NULL AS DATE), CAST(NULL AS DATE), CAST(NULL AS DATE),
       '', 0
  FROM pet_submission s
 WHERE s.status = 'accepted'
"""


def public_stats_sql(dialect: str) -> str:
    """The body of ``pet_public_stats``: counts only; a linked repeat petition is counted once."""
    false = "false" if dialect == "postgresql" else "0"
    month = ("to_char(c.received_on, 'YYYY-MM')" if dialect == "postgresql"
             else "strftime('%Y-%m', c.received_on)")
    top = "COALESCE(NULLIF(sub.parent_code, ''), c.category_code, '')"
    name = "COALESCE(top.name, sub.name, '未分类')"
    return f"""
SELECT {month} AS month, c.channel AS channel, {top} AS category_code, {name} AS category_name,
       c.district_code AS district_code, COUNT(*) AS cases,
       SUM(CASE WHEN c.answered_on IS NOT NULL THEN 1 ELSE 0 END) AS answered
  FROM pet_case c
  LEFT JOIN pet_category sub ON sub.code = c.category_code AND sub.deleted = {false}
  LEFT JOIN pet_category top ON top.code = NULLIF(sub.parent_code, '') AND top.deleted = {false}
 WHERE c.deleted = {false} AND c.repeat_of IS NULL
 GROUP BY {month}, c.channel, {top}, {name}, c.district_code
"""


# --------------------------------------------------------------------------- what the portal does
@dataclass(frozen=True)
class SubmissionFile:
    filename: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class SubmissionForm:
    """A validated submission (the portal checks every field before it comes here)."""

    name: str
    phone: str
    subject: str
    content: str
    district_code: str = ""
    kind: str = ""
    id_number: str | None = None
    address: str = ""
    persons_involved: int = 1
    files: tuple[SubmissionFile, ...] = ()


def record_submission(session: Session, form: SubmissionForm, *, client_hash: str = "",
                      now: datetime | None = None) -> str:
    """Insert a submission and its files (INSERT only: the portal's role may do no more); returns the
    tracking code. The caller commits before it shows the receipt."""
    now = now or utcnow()
    for _attempt in range(5):
        code = new_tracking_code()
        sub_id = uuid7()
        try:
            with session.begin_nested():
                session.execute(insert(PetSubmission).values(
                    id=sub_id, tracking_code=code, tracking_check=tracking_check(code, form.phone[-4:]),
                    status="accepted", created_at=now, client_hash=client_hash, name=form.name,
                    phone=form.phone, id_number=form.id_number, address=form.address,
                    district_code=form.district_code, kind=form.kind, subject=form.subject,
                    content=form.content, persons_involved=form.persons_involved))
        except IntegrityError:  # 2⁻⁸⁰ a pair; retried all the same
            continue
        for f in form.files:
            session.execute(insert(PetSubmissionFile).values(
                id=uuid7(), submission_id=sub_id, filename=f.filename, mime=f.mime, size=len(f.data),
                sha256=hashlib.sha256(f.data).hexdigest(), data=f.data))
        return code
    raise RuntimeError("could not draw a free tracking code")


@dataclass(frozen=True)
class PublicStatus:
    tracking_code: str
    case_code: str
    state: str
    channel: str
    district_code: str
    submitted_at: datetime | None
    received_on: date | None
    accepted_on: date | None
    due_on: date | None
    answered_on: date | None
    closed_on: date | None
    answer_summary: str
    rated: bool


_DUMMY_CHECK = "0" * 64


def public_status_of(session: Session, code: str) -> tuple[PublicStatus | None, str]:
    """The public status row of ``code`` (None when unknown) and the check to compare against; the
    same work is done whether the code exists or not."""
    row = session.execute(select(public_status).where(public_status.c.tracking_code == code)
                          .limit(1)).mappings().first()
    if row is None:
        return None, _DUMMY_CHECK
    values = {k: row[k] for k in PublicStatus.__dataclass_fields__ if k != "rated"}
    return PublicStatus(**values, rated=bool(row["rated"])), str(row["tracking_check"])


def verify_phone(session: Session, code: str, phone_last4: str) -> PublicStatus | None:
    """The status of ``code`` when ``phone_last4`` matches; None otherwise (unknown code and wrong digits
    are not told apart, and take the same path)."""
    status, check = public_status_of(session, code)
    ok = hmac.compare_digest(tracking_check(code, phone_last4), check)
    return status if ok and status is not None else None


def request_otp(session: Session, code: str, *, client_hash: str = "", now: datetime | None = None) -> None:
    """Ask for a one-time code for ``code`` (whether the case exists is not told: the bridge decides)."""
    session.execute(insert(PetPortalOtp).values(id=uuid7(), tracking_code=code, requested_at=now or utcnow(),
                                                client_hash=client_hash, status="requested", attempts=0,
                                                used=False))


def verify_otp(session: Session, code: str, otp: str, *, now: datetime | None = None) -> bool:
    """Check and consume a one-time code. On PostgreSQL through ``pet_portal_verify_otp`` (SECURITY
    DEFINER: the portal's role cannot read the table); elsewhere the same steps here."""
    if session.get_bind().dialect.name == "postgresql":
        return bool(session.execute(text("SELECT pet_portal_verify_otp(:c, :o)"), {"c": code, "o": otp}).scalar())
    now = now or utcnow()
    row = session.execute(
        select(PetPortalOtp).where(PetPortalOtp.tracking_code == code, PetPortalOtp.code_hash.is_not(None),
                                   PetPortalOtp.used.is_(False), PetPortalOtp.expires_at > now,
                                   PetPortalOtp.attempts < OTP_MAX_ATTEMPTS)
        .order_by(PetPortalOtp.requested_at.desc()).limit(1)).scalar_one_or_none()
    if row is None:
        return False
    row.attempts += 1
    if hmac.compare_digest(row.code_hash or "", otp_hash(code, otp)):
        row.used = True
        return True
    return False


def record_rating(session: Session, code: str, satisfaction: str, comment: str, *, client_hash: str = "",
                  now: datetime | None = None) -> bool:
    """Insert a rating; False when this code was rated already (the unique code refuses a second)."""
    try:
        with session.begin_nested():
            session.execute(insert(PetPortalRating).values(
                id=uuid7(), tracking_code=code, satisfaction=satisfaction, comment=comment,
                created_at=now or utcnow(), client_hash=client_hash, status="accepted"))
    except IntegrityError:
        return False
    return True


def public_statistics(session: Session) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(select(public_stats)).mappings()]


# --------------------------------------------------------------------------- the bridge (server side)
PORTAL_ACTOR = "portal"
from core.petition.notices import OTP as OTP_TEMPLATE  # noqa: E402
from core.petition.notices import RECEIPT as RECEIPT_TEMPLATE  # noqa: E402


def _queue_sms(session: Session, **kwargs: Any) -> bool:
    """Queue an SMS through the notifications outbox, in this transaction."""
    from core.notifications import queue_sms

    queue_sms(session, **kwargs)
    return True


def register_submission(session: Session, sub: PetSubmission, now: datetime) -> tuple[Any, list[bytes]]:
    """Register one submission as a case (channel 网上) through the petition service — the same checks,
    clock, history and audit as the desk — with its files listed in the attachment store; returns the case
    and the files' bytes for the blob store. The receipt SMS is queued by the service."""
    from core.auth.roles import P_PETITION_CASE
    from core.models.registry import Attachment
    from core.petition.models import PetPetitioner
    from core.petition.scopes import case_scope
    from core.petition.service import Actor, CaseInput, PetitionerInput, register_case

    received = sub.created_at.astimezone(SHANGHAI).date()
    person = PetitionerInput(name=sub.name, phone=sub.phone or "", id_number=sub.id_number or "",
                             address=sub.address or "", district_code=sub.district_code)
    data = CaseInput(channel="网上", subject=sub.subject[:200], content=sub.content, received_on=received,
                     kind=sub.kind or "申诉求决类", district_code=sub.district_code,
                     persons_involved=sub.persons_involved, petitioner=person, tracking_code=sub.tracking_code,
                     tracking_check=sub.tracking_check)
    case = register_case(session, Actor.of(PORTAL_ACTOR, {P_PETITION_CASE}), data, today=received, now=now,
                         receipt_key=f"{RECEIPT_TEMPLATE}:{sub.id}")
    petitioner = session.get(PetPetitioner, case.petitioner_id) if case.petitioner_id else None
    if petitioner is not None:
        petitioner.note = "网上信访"
    blobs: list[bytes] = []
    files = session.execute(select(PetSubmissionFile).where(PetSubmissionFile.submission_id == sub.id)).scalars()
    for f in files:
        session.add(Attachment(sha256=f.sha256, size=f.size, mime=f.mime, filename=f.filename,
                               owner_table="pet_case", owner_id=case.id, owner_scope=case_scope(None)))
        blobs.append(f.data)
    return case, blobs


def import_submissions(session: Session, *, blob_put: Any = None, now: datetime | None = None,
                       limit: int = 200) -> dict[str, int]:
    """The bridge: accepted submissions become cases (and receipt SMS), ratings go into their cases,
    one-time codes are drawn and sent. Safe to run in several processes at once (rows are claimed with
    SKIP LOCKED on PostgreSQL; SQLite serialises writers). ``blob_put(bytes)`` stores attachment bytes."""
    from core import audit
    from core.auth.roles import P_PETITION_CASE
    from core.petition.models import SATISFACTION, PetCase
    from core.petition.service import Actor, PetitionRefused, transition

    now = now or utcnow()
    counts = {"cases": 0, "ratings": 0, "otps": 0, "refused": 0}
    pg = session.get_bind().dialect.name == "postgresql"

    def claim(stmt: Any) -> Any:
        return stmt.with_for_update(skip_locked=True) if pg else stmt

    subs = session.execute(claim(select(PetSubmission).where(PetSubmission.status == "accepted")
                                 .order_by(PetSubmission.created_at).limit(limit))).scalars().all()
    for sub in subs:
        try:
            with session.begin_nested():
                case, blobs = register_submission(session, sub, now)
        except PetitionRefused as refused:  # the portal checks the same rules: a refusal here is a fault
            sub.status, sub.imported_at = "refused", now
            audit.append(session, PORTAL_ACTOR, "petition.portal.refused", sub.tracking_code, {"reason": str(refused)})
            counts["refused"] += 1
            continue
        for data in blobs:
            if blob_put is not None:
                blob_put(data)
        sub.status, sub.case_id, sub.imported_at = "imported", case.id, now
        counts["cases"] += 1

    ratings = session.execute(claim(select(PetPortalRating).where(PetPortalRating.status == "accepted")
                                    .order_by(PetPortalRating.created_at).limit(limit))).scalars().all()
    for rating in ratings:
        case = session.execute(select(PetCase).where(PetCase.tracking_code == rating.tracking_code,
                                                     PetCase.deleted.is_(False))).scalars().first()
        if (case is None or case.answered_on is None or case.satisfaction
                or rating.satisfaction not in SATISFACTION):
            rating.status = "refused"
            counts["refused"] += 1
        else:
            rated_on = rating.created_at.astimezone(SHANGHAI).date()
            if case.state == "answered":  # the workflow's 评价 step, with its history
                transition(session, Actor.of(PORTAL_ACTOR, {P_PETITION_CASE}), case, "rate",
                           {"rating": rating.satisfaction, "note": rating.comment or ""}, today=rated_on, now=now)
            case.satisfaction = rating.satisfaction
            case.rated_on = rated_on
            rating.status = "imported"
            counts["ratings"] += 1
        rating.imported_at = now

    otps = session.execute(claim(select(PetPortalOtp).where(PetPortalOtp.status == "requested")
                                 .order_by(PetPortalOtp.requested_at).limit(limit))).scalars().all()
    for otp in otps:
        case = session.execute(select(PetCase).where(PetCase.tracking_code == otp.tracking_code,
                                                     PetCase.deleted.is_(False))).scalars().first()
        recent = session.execute(select(func.count()).select_from(PetPortalOtp).where(
            PetPortalOtp.tracking_code == otp.tracking_code, PetPortalOtp.status == "sent",
            PetPortalOtp.requested_at > now - timedelta(hours=1))).scalar_one()
        if case is None or case.petitioner_id is None or recent >= OTP_MAX_SENDS_PER_HOUR:
            otp.status = "refused"
            counts["refused"] += 1
            continue
        one_time = f"{secrets.randbelow(10**6):06d}"
        otp.code_hash, otp.expires_at, otp.status = otp_hash(otp.tracking_code, one_time), now + OTP_TTL, "sent"
        # Older codes of the same tracking code stop working once a new one is sent.
        session.execute(update(PetPortalOtp).where(PetPortalOtp.tracking_code == otp.tracking_code,
                                                   PetPortalOtp.id != otp.id, PetPortalOtp.status == "sent")
                        .values(used=True))
        _queue_sms(session, template_key=OTP_TEMPLATE, params={"code": one_time},
                   recipient=("pet_petitioner", case.petitioner_id, "phone"), scope=case.scope or "petition",
                   dedup_key=f"{OTP_TEMPLATE}:{otp.id}")
        counts["otps"] += 1
    return counts


def run_bridge(factory: Any, *, blob_put: Any = None, limit: int = 200) -> dict[str, int]:
    """One pass of the bridge in its own transaction (``factory`` makes server sessions, stamping hooks
    installed); repeated while a pass was full."""
    from core.db import transaction

    total = {"cases": 0, "ratings": 0, "otps": 0, "refused": 0}
    for _ in range(50):
        with transaction(factory) as session:
            counts = import_submissions(session, blob_put=blob_put, limit=limit)
        for k, v in counts.items():
            total[k] += v
        if max(counts.values()) < limit:
            break
    return total
