"""Notices for retirees (老干部通知公告): drafting, publishing and withdrawing, per-person links, and what
the portal shows.

- A notice is one of 活动 / 讣告 / 文件 / 通知, with a title, a body and an optional reference (the activity,
  the deceased, a document number). It is seen by retirees only once published, and no longer once
  withdrawn. A notice with an ``addressee_id`` is for that one person: it appears on that person's page only.
- Publishing queues a WeChat template message (``cadre.notice``) through the notifications outbox to every
  person with an active WeChat binding (for an addressed notice: to that person only), in the same
  transaction; each person gets one message per notice (dedup key ``cadre.notice:<notice>:<binding>``).
- A per-person link ``/laoganbu/p/<token>``: 256 random bits (``secrets.token_urlsafe(32)``), shown once to
  the clerk; only its SHA-256 is stored, with an expiry (180 days by default) and a revocation time.
- The office's desk lists every notice with its state and WeChat messages (:func:`staff_notices`), and
  drafts, edits (:func:`edit_draft`, drafts only), publishes and withdraws through the same functions as
  ``renda cadre notice``; a refusal names the field at fault (:attr:`NoticeError.field`).
- The portal reads only the views ``cad_public_notice`` and ``cad_public_link`` (migration 0015): on
  PostgreSQL its role may read nothing else.

Errors are :class:`NoticeError` with a Chinese message.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.cadre.models import CadActivity, CadPerson
from core.cadre.notice_models import NOTICE_KINDS, CadNotice, CadNoticeLink, CadWechatBinding
from core.cadre.scopes import RECORD_SCOPE
from core.models.base import utcnow
from core.notifications.wechat import queue_wechat, register_wechat_template

TITLE_MAX, BODY_MAX = 80, 5000
LINK_DAYS, LINK_MAX_DAYS = 180, 730
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
SHANGHAI_OFFSET = timedelta(hours=8)

WECHAT_NOTICE = register_wechat_template(
    "cadre.notice", ("kind", "title", "date"),
    {"first": "{kind}：{title}", "keyword1": "{title}", "keyword2": "{date}", "remark": "点击查看全文。"},
    "老干部通知公告（微信模板消息）")


class NoticeError(ValueError):
    """A notice, or a link, cannot be saved or changed as asked (the message says why, in Chinese).

    ``field`` names the notice's field at fault (``kind``, ``title``, ``body``, ``document_ref``,
    ``activity_id``, ``person_id``, ``addressee_id``), or is empty when the refusal is not about one field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _date_zh(moment: datetime) -> str:
    local = moment + SHANGHAI_OFFSET
    return f"{local.year}年{local.month}月{local.day}日"


# ------------------------------------------------------------------------------------------ staff side
def draft_notice(session: Session, *, kind: str, title: str, body: str = "", activity_id: str | None = None,
                 person_id: str | None = None, document_ref: str = "",
                 addressee_id: str | None = None) -> CadNotice:
    """A new, unpublished notice (checked now: kind, title, body, references)."""
    notice = CadNotice(kind=kind, title=title, body=body, activity_id=activity_id or None,
                       person_id=person_id or None, document_ref=document_ref or "",
                       addressee_id=addressee_id or None, withdrawn=False, scope=RECORD_SCOPE)
    _check(session, notice)
    session.add(notice)
    session.flush()
    return notice


def edit_draft(session: Session, notice_id: str, *, kind: str, title: str, body: str = "",
               activity_id: str | None = None, person_id: str | None = None, document_ref: str = "",
               addressee_id: str | None = None) -> CadNotice:
    """Change a draft (checked as a new one; nothing changes when refused). A published or withdrawn
    notice is not changed: withdraw it and draft a new one."""
    notice = _notice(session, notice_id)
    if notice.withdrawn:
        raise NoticeError("这条通知已经撤回，不能修改；请新建一条")
    if notice.published_at is not None:
        raise NoticeError("这条通知已经发布，不能修改；如需更正，请撤回后新建一条")
    probe = CadNotice(kind=kind, title=title, body=body, activity_id=activity_id or None,
                      person_id=person_id or None, document_ref=document_ref or "", addressee_id=addressee_id or None)
    _check(session, probe)
    for name in ("kind", "title", "body", "activity_id", "person_id", "document_ref", "addressee_id"):
        if getattr(notice, name) != getattr(probe, name):
            setattr(notice, name, getattr(probe, name))
    return notice


def _check(session: Session, notice: CadNotice) -> None:
    notice.title = (notice.title or "").strip()
    notice.body = (notice.body or "").strip()
    notice.document_ref = (notice.document_ref or "").strip()
    if notice.kind not in NOTICE_KINDS:
        raise NoticeError(f"通知类别只能是{'、'.join(NOTICE_KINDS)}", "kind")
    if not notice.title:
        raise NoticeError("请填写通知标题", "title")
    if len(notice.title) > TITLE_MAX:
        raise NoticeError(f"通知标题最多 {TITLE_MAX} 个字，现在 {len(notice.title)} 个字", "title")
    if len(notice.body) > BODY_MAX:
        raise NoticeError(f"通知正文最多 {BODY_MAX} 个字，现在 {len(notice.body)} 个字", "body")
    if len(notice.document_ref) > 100:
        raise NoticeError("文号最多 100 个字", "document_ref")
    if notice.activity_id and _live(session, CadActivity, notice.activity_id) is None:
        raise NoticeError("通知所说的活动不存在", "activity_id")
    if notice.kind == "活动" and not notice.activity_id:
        raise NoticeError("活动通知请选择所说的活动", "activity_id")
    if notice.person_id and _live(session, CadPerson, notice.person_id) is None:
        raise NoticeError("讣告所说的人员不存在", "person_id")
    if notice.kind == "讣告" and not notice.person_id:
        raise NoticeError("讣告请选择逝者", "person_id")
    if notice.addressee_id and _live(session, CadPerson, notice.addressee_id) is None:
        raise NoticeError("通知的收件人不存在", "addressee_id")


def _live(session: Session, model: Any, row_id: str | None) -> Any:
    row = session.get(model, row_id) if row_id else None
    return None if row is None or row.deleted else row


def _notice(session: Session, notice_id: str) -> CadNotice:
    notice = _live(session, CadNotice, notice_id)
    if notice is None:
        raise NoticeError("没有这条通知")
    return notice  # type: ignore[no-any-return]


def publish(session: Session, notice_id: str, now: datetime | None = None) -> tuple[CadNotice, int]:
    """Publish a draft; queues its WeChat messages in the same transaction. Returns (notice, messages)."""
    notice = _notice(session, notice_id)
    if notice.withdrawn:
        raise NoticeError("这条通知已经撤回，不能再发布；请新建一条")
    if notice.published_at is not None:
        raise NoticeError("这条通知已经发布")
    _check(session, notice)
    now = now or utcnow()
    notice.published_at = now
    bindings = select(CadWechatBinding).where(CadWechatBinding.deleted.is_(False),
                                              CadWechatBinding.active.is_(True))
    if notice.addressee_id:
        bindings = bindings.where(CadWechatBinding.person_id == notice.addressee_id)
    path = "/laoganbu/" if notice.addressee_id else f"/laoganbu/n/{notice.id}"
    queued = 0
    for binding in session.scalars(bindings.order_by(CadWechatBinding.id)):
        if not binding.openid:
            continue
        queue_wechat(session, template_key=WECHAT_NOTICE.key,
                     params={"kind": notice.kind, "title": notice.title, "date": _date_zh(now), "path": path},
                     recipient=(CadWechatBinding.__tablename__, binding.id, "openid"), scope=RECORD_SCOPE,
                     dedup_key=f"cadre.notice:{notice.id}:{binding.id}", queued_at=now)
        queued += 1
    return notice, queued


def withdraw(session: Session, notice_id: str, now: datetime | None = None) -> CadNotice:
    """Withdraw a published notice: the portal answers 410 for it from now on."""
    notice = _notice(session, notice_id)
    if notice.withdrawn:
        raise NoticeError("这条通知已经撤回")
    if notice.published_at is None:
        raise NoticeError("这条通知还没有发布，不需要撤回")
    notice.withdrawn, notice.withdrawn_at = True, now or utcnow()
    return notice


def create_link(session: Session, person_id: str, days: int = LINK_DAYS,
                now: datetime | None = None) -> tuple[CadNoticeLink, str]:
    """A new link for a person: (row, token). The token is shown once; only its hash is stored."""
    if _live(session, CadPerson, person_id) is None:
        raise NoticeError("没有这位人员")
    if not 1 <= days <= LINK_MAX_DAYS:
        raise NoticeError(f"链接有效期应为 1 至 {LINK_MAX_DAYS} 天")
    token = secrets.token_urlsafe(32)
    link = CadNoticeLink(person_id=person_id, token_hash=token_hash(token),
                         expires_at=(now or utcnow()) + timedelta(days=days), scope=RECORD_SCOPE)
    session.add(link)
    session.flush()
    return link, token


def revoke_link(session: Session, link_id: str, now: datetime | None = None) -> CadNoticeLink:
    link = _live(session, CadNoticeLink, link_id)
    if link is None:
        raise NoticeError("没有这个链接")
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
    return link  # type: ignore[no-any-return]


def bind_wechat(session: Session, person_id: str, openid: str) -> CadWechatBinding:
    openid = openid.strip()
    if _live(session, CadPerson, person_id) is None:
        raise NoticeError("没有这位人员")
    if not re.fullmatch(r"[A-Za-z0-9_-]{6,64}", openid):
        raise NoticeError("微信 openid 格式不对（6 至 64 位字母、数字、下划线或短横线）")
    held = session.scalar(select(CadWechatBinding.id).where(
        CadWechatBinding.person_id == person_id, CadWechatBinding.openid == openid,
        CadWechatBinding.deleted.is_(False), CadWechatBinding.active.is_(True)))
    if held is not None:
        raise NoticeError("这位老同志已经绑定了这个微信 openid")
    binding = CadWechatBinding(person_id=person_id, openid=openid, active=True, scope=RECORD_SCOPE)
    session.add(binding)
    return binding


def unbind_wechat(session: Session, binding_id: str) -> CadWechatBinding:
    """Switch a WeChat binding off: no more messages to that openid (the row stays, so it syncs)."""
    binding = _live(session, CadWechatBinding, binding_id)
    if binding is None:
        raise NoticeError("没有这个微信绑定")
    if not binding.active:
        raise NoticeError("这个微信绑定已经解除")
    binding.active = False
    return binding  # type: ignore[no-any-return]


@dataclass(frozen=True)
class PersonLink:
    """A per-person link as the desk lists it (the token itself is never kept)."""

    id: str
    expires_at: datetime
    revoked_at: datetime | None

    def state(self, now: datetime | None = None) -> str:
        if self.revoked_at is not None:
            return "已停用"
        expires = _aware(self.expires_at)
        return "已过期" if expires is not None and expires <= (now or utcnow()) else "有效"


@dataclass(frozen=True)
class PersonBinding:
    id: str
    openid: str
    active: bool


def person_links(session: Session, person_id: str) -> list[PersonLink]:
    """The person's links, newest first."""
    rows = session.scalars(select(CadNoticeLink).where(CadNoticeLink.person_id == person_id,
                                                       CadNoticeLink.deleted.is_(False))).all()
    out = [PersonLink(r.id, r.expires_at, _aware(r.revoked_at)) for r in rows]
    return sorted(out, key=lambda r: (_aware(r.expires_at) or datetime.min.replace(tzinfo=UTC), r.id), reverse=True)


def person_bindings(session: Session, person_id: str) -> list[PersonBinding]:
    """The person's WeChat bindings, the active ones first."""
    rows = session.scalars(select(CadWechatBinding).where(CadWechatBinding.person_id == person_id,
                                                          CadWechatBinding.deleted.is_(False))).all()
    return sorted((PersonBinding(r.id, r.openid, bool(r.active)) for r in rows), key=lambda b: (not b.active, b.openid))


def link_address(base: str, token: str) -> str:
    """The address a retiree opens: the portal's public address and ``/laoganbu/p/<token>``."""
    return f"{base.strip().rstrip('/')}/laoganbu/p/{token}"


# ------------------------------------------------------------------------------------------ desk side
DRAFT, PUBLISHED, WITHDRAWN = "draft", "published", "withdrawn"
STATE_LABELS = {DRAFT: "草稿", PUBLISHED: "已发布", WITHDRAWN: "已撤回"}


@dataclass(frozen=True)
class StaffNotice:
    """A notice as the office's desk lists it: every state, what it refers to, and its WeChat messages.

    ``recipients`` is the number of WeChat messages queued for it (one per bound person), ``sent`` how many
    WeChat accepted (sent or delivered) and ``failed`` how many failed or were given up. Whether a retiree
    opened the notice is not recorded (the portal keeps no reading log)."""

    id: str
    kind: str
    title: str
    body: str
    state: str
    published_at: datetime | None
    withdrawn_at: datetime | None
    activity_id: str | None
    activity_title: str
    held_on: date | None
    place: str
    person_id: str | None
    person_name: str
    document_ref: str
    addressee_id: str | None
    addressee_name: str
    recipients: int = 0
    sent: int = 0
    failed: int = 0

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def notice_state(notice: CadNotice) -> str:
    if notice.withdrawn:
        return WITHDRAWN
    return DRAFT if notice.published_at is None else PUBLISHED


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def message_counts(session: Session) -> dict[str, tuple[int, int, int]]:
    """Notice id → (WeChat messages queued, accepted by WeChat, failed or given up)."""
    from core.notifications.models import DELIVERED, FAILED, GAVE_UP, SENT, NtfMessage

    counts: dict[str, list[int]] = {}
    rows = session.execute(select(NtfMessage.dedup_key, NtfMessage.status).where(
        NtfMessage.deleted.is_(False), NtfMessage.template_key == WECHAT_NOTICE.key,
        NtfMessage.dedup_key.startswith("cadre.notice:"))).all()
    for key, status in rows:
        notice_id = key.split(":")[1] if key.count(":") == 2 else ""
        totals = counts.setdefault(notice_id, [0, 0, 0])
        totals[0] += 1
        totals[1] += status in (SENT, DELIVERED)
        totals[2] += status in (FAILED, GAVE_UP)
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def staff_notices(session: Session) -> list[StaffNotice]:
    """Every notice (drafts, published, withdrawn) for the desk: drafts first, then newest published first."""
    names = dict(session.execute(select(CadPerson.id, CadPerson.name).where(CadPerson.deleted.is_(False))).all())
    activities = {a.id: a for a in session.scalars(select(CadActivity).where(CadActivity.deleted.is_(False)))}
    counts = message_counts(session)
    out = []
    for n in session.scalars(select(CadNotice).where(CadNotice.deleted.is_(False))):
        act = activities.get(n.activity_id or "")
        queued, sent, failed = counts.get(n.id, (0, 0, 0))
        out.append(StaffNotice(
            id=n.id, kind=n.kind, title=n.title, body=n.body or "", state=notice_state(n),
            published_at=_aware(n.published_at), withdrawn_at=_aware(n.withdrawn_at), activity_id=n.activity_id,
            activity_title=act.title if act else "", held_on=act.held_on if act else None,
            place=(act.place or "") if act else "", person_id=n.person_id, person_name=names.get(n.person_id or "", ""),
            document_ref=n.document_ref or "", addressee_id=n.addressee_id,
            addressee_name=names.get(n.addressee_id or "", ""), recipients=queued, sent=sent, failed=failed))

    def order(row: StaffNotice) -> tuple[bool, float, str, str]:
        return (row.state != DRAFT, -row.published_at.timestamp() if row.published_at else 0.0, row.title, row.id)

    return sorted(out, key=order)


def activity_choices(session: Session) -> list[tuple[str, str]]:
    """(id, "date title") of the activities a notice may announce, latest first (cancelled ones left out)."""
    rows = session.scalars(select(CadActivity).where(CadActivity.deleted.is_(False), CadActivity.state != "cancelled")
                           .order_by(CadActivity.held_on.desc(), CadActivity.title)).all()
    return [(a.id, f"{a.held_on:%Y-%m-%d} {a.title}" if a.held_on else a.title) for a in rows]


def person_choices(session: Session, *, alive: bool) -> list[tuple[str, str]]:
    """(id, name) of the living (addressees) or of the deceased (for an obituary), by name."""
    rows = session.execute(select(CadPerson.id, CadPerson.name).where(
        CadPerson.deleted.is_(False), CadPerson.alive.is_(alive)).order_by(CadPerson.name, CadPerson.id)).all()
    return [(r[0], r[1]) for r in rows]


def wechat_recipients(session: Session, addressee_id: str | None = None) -> int:
    """How many WeChat messages publishing would queue now: active bindings (of ``addressee_id`` only)."""
    from sqlalchemy import func

    query = select(func.count()).select_from(CadWechatBinding).where(
        CadWechatBinding.deleted.is_(False), CadWechatBinding.active.is_(True), CadWechatBinding.openid != "")
    if addressee_id:
        query = query.where(CadWechatBinding.person_id == addressee_id)
    return int(session.scalar(query) or 0)


# ------------------------------------------------------------------------------------------ portal side
@dataclass(frozen=True)
class PublicNotice:
    id: str
    kind: str
    title: str
    body: str
    published_at: datetime
    document_ref: str
    held_on: date | None
    place: str
    withdrawn: bool


@dataclass(frozen=True)
class LinkHolder:
    person_id: str
    name: str


class LinkGone(Exception):
    """The link existed but has expired or was revoked (the portal answers 410)."""


def _row(r: Any) -> PublicNotice:
    published = r.published_at
    if isinstance(published, str):
        published = datetime.fromisoformat(published)
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    held = r.held_on
    if isinstance(held, str):
        held = date.fromisoformat(held[:10])
    return PublicNotice(id=r.id, kind=r.kind, title=r.title, body=r.body, published_at=published,
                        document_ref=r.document_ref or "", held_on=held, place=r.place or "",
                        withdrawn=bool(r.withdrawn))


_COLUMNS = "id, kind, title, body, published_at, document_ref, held_on, place, withdrawn"


def public_notices(session: Session, addressee_id: str | None = None, limit: int = 50) -> list[PublicNotice]:
    """Published, not withdrawn notices, newest first: those for everyone, and those for ``addressee_id``."""
    where = "addressee_id IS NULL" + (" OR addressee_id = :who" if addressee_id else "")
    rows = session.execute(text(f"SELECT {_COLUMNS} FROM cad_public_notice WHERE withdrawn = :no AND ({where}) "
                                "ORDER BY published_at DESC, id LIMIT :limit"),
                           {"who": addressee_id, "limit": limit, "no": False}).all()
    return [_row(r) for r in rows]


def public_notice(session: Session, notice_id: str, addressee_id: str | None = None) -> PublicNotice | None:
    """One published notice (``withdrawn`` set when it was withdrawn since); None when unknown or not for
    this visitor."""
    if not re.fullmatch(r"[0-9a-f-]{36}", notice_id or ""):
        return None
    row = session.execute(text(f"SELECT {_COLUMNS}, addressee_id FROM cad_public_notice WHERE id = :id"),
                          {"id": notice_id}).first()
    if row is None or (row.addressee_id is not None and row.addressee_id != addressee_id):
        return None
    return _row(row)


def resolve_link(session: Session, token: str, now: datetime | None = None) -> LinkHolder | None:
    """The person a link token is for; None when unknown; :class:`LinkGone` when expired or revoked."""
    if not TOKEN.fullmatch(token or ""):
        return None
    row = session.execute(text("SELECT person_id, person_name, expires_at, revoked_at FROM cad_public_link "
                               "WHERE token_hash = :h"), {"h": token_hash(token)}).first()
    if row is None:
        return None
    expires = row.expires_at
    if isinstance(expires, str):
        expires = datetime.fromisoformat(expires)
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if row.revoked_at is not None or expires <= (now or utcnow()):
        raise LinkGone
    return LinkHolder(person_id=row.person_id, name=row.person_name)
