"""The synced tables of letters and visits (信访).

- ``pet_category``: the two-level taxonomy of matters (an administrator edits it);
- ``pet_body``: the bodies a case is routed to — special committees and working bodies of the Standing
  Committee, the 16 district congresses, and 一府两院一委 (government, court, procuratorate, supervision
  commission) — with how each is reached;
- ``pet_routing_rule``: category + district → body, the clerk's proposal when routing (overridable);
- ``pet_holiday_override``: days an administrator marks as holiday or working day, for years the official
  calendar package does not know yet (the legal clocks read them);
- ``pet_letter_template``: the Word templates of the letters (转送函, 交办函, 告知书 …), bytes in the
  attachment store;
- ``pet_petitioner``: the person (identity and contact masked by role, every clear read audited);
- ``pet_case``: the case (信访件) with its channel, category, district, state, current deadline and the
  other system's number when it came by exchange;
- ``pet_transition``: one step of a case's history with the article it rests on (append-only);
- ``pet_case_link``: a repeat or similar petition linked to an earlier case (counted once);
- ``pet_reception``: the reception queue of visits (来访).

A case and every row that belongs to it (transitions, links, attachments) sit in the office's scope, or
in the scope of the committee it was assigned (交办) to, so a committee's liaison sees its own cases only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.auth.roles import P_PETITION_ADMIN, P_PETITION_CASE, P_PII_CONTACT, P_PII_IDENTITY
from core.models.base import Base, MaskRule, SyncedMixin, UTCDateTime
from core.petition.scopes import REFERENCE_SCOPE, case_scope

CHANNELS = ("来信", "来访", "网上", "电话", "短信")
KINDS = ("建议意见类", "检举控告类", "申诉求决类")
"""Kinds of matter, 信访工作条例 第二十九条至第三十一条."""
COLLECTIVE_THRESHOLD = 5
"""Five or more persons make a collective petition (集体访)."""
BODY_KINDS = ("committee", "working_body", "district_congress", "government", "court", "procuratorate",
              "supervision", "other")
BODY_KIND_LABELS = {
    "committee": "专门委员会", "working_body": "常委会工作机构", "district_congress": "区人大常委会",
    "government": "人民政府", "court": "人民法院", "procuratorate": "人民检察院", "supervision": "监察委员会",
    "other": "其他机关",
}
LINK_KINDS = ("repeat", "similar")
SATISFACTION = ("满意", "基本满意", "不满意")


class PetitionRow(SyncedMixin):
    """Indexes shared by the petition tables; ``extra_indexes`` adds a table's own."""

    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_PETITION_CASE,)
    extra_indexes: ClassVar[tuple[tuple[str, ...], ...]] = ()

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [Index(f"ix_{name}_scope_seq", "scope", "seq"), Index(f"ix_{name}_seq", "seq")]
        for cols in cls.extra_indexes:
            indexes.append(Index(f"ix_{name}_{'_'.join(cols)}", *cols))
        return tuple(indexes)


class ReferenceRow(PetitionRow):
    """A reference table: read by every petition role, written by administrators."""

    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_PETITION_ADMIN,)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return REFERENCE_SCOPE


class CaseRow(PetitionRow):
    """A row that belongs to one case and sits in the case's scope (``committee``: the assigned body)."""

    committee: Mapped[str | None] = mapped_column(String(32))

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return case_scope(values.get("committee"))


class PetCategory(ReferenceRow, Base):
    """A category of matter: a first level (``parent_code`` empty) or a second level under one."""

    __tablename__ = "pet_category"
    sync_label = "信访分类"
    extra_indexes = (("code",),)

    code: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str] = mapped_column(String(16), default="")
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PetBody(ReferenceRow, Base):
    """A body a case can be routed to, and how it is reached (by exchange, by letter)."""

    __tablename__ = "pet_body"
    sync_label = "承办单位"
    extra_indexes = (("code",),)

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20), default="committee")
    district_code: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(80), default="")
    exchange_system: Mapped[str] = mapped_column(String(32), default="")
    """The petition system it exchanges packages with (empty: letters only)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PetRoutingRule(ReferenceRow, Base):
    """Category (first or second level) + district (empty: any) → the body proposed, and how (转送 / 交办)."""

    __tablename__ = "pet_routing_rule"
    sync_label = "分流规则"

    category_code: Mapped[str] = mapped_column(String(16), default="")
    district_code: Mapped[str] = mapped_column(String(8), default="")
    body_code: Mapped[str] = mapped_column(String(32))
    route: Mapped[str] = mapped_column(String(8), default="转送")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(200), default="")


class PetHolidayOverride(ReferenceRow, Base):
    """A day the administrator marks as holiday (``is_workday`` False) or working day (a 调休 Saturday)."""

    __tablename__ = "pet_holiday_override"
    sync_label = "节假日调整"
    extra_indexes = (("day",),)

    day: Mapped[date] = mapped_column(Date)
    is_workday: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(100), default="")


class PetLetterTemplate(ReferenceRow, Base):
    """A Word template of a letter; its .docx is the attachment owned by this row."""

    __tablename__ = "pet_letter_template"
    sync_label = "文书模板"
    extra_indexes = (("kind",),)

    kind: Mapped[str] = mapped_column(String(20))
    """转送函, 交办函, 告知书, 答复意见书, 不予受理告知书 …"""
    name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class PetPetitioner(PetitionRow, Base):
    """A petitioner. Identity and contact are masked for roles without the need; clear reads are audited."""

    __tablename__ = "pet_petitioner"
    sync_label = "信访人"
    sync_masked: ClassVar[dict[str, MaskRule]] = {
        "id_number": MaskRule(P_PII_IDENTITY, "id"),
        "phone": MaskRule(P_PII_CONTACT, "phone"),
        "address": MaskRule(P_PII_CONTACT, "full"),
    }
    extra_indexes = (("id_number",), ("phone",), ("name",))

    name: Mapped[str] = mapped_column(String(60))
    gender: Mapped[str] = mapped_column(String(2), default="")
    id_number: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    district_code: Mapped[str] = mapped_column(String(8), default="")
    note: Mapped[str] = mapped_column(String(200), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return case_scope(None)


class PetCase(CaseRow, Base):
    """A case (信访件): how it came, what it is about, where it is in the workflow and its current deadline."""

    __tablename__ = "pet_case"
    sync_label = "信访件"
    extra_indexes = (("code",), ("tracking_code",), ("petitioner_id",), ("state", "due_on"),
                     ("received_on",), ("body_code",), ("source_system", "source_code"))

    code: Mapped[str] = mapped_column(String(24))
    """The case number, unique: year, day and random letters, so an offline laptop never collides."""
    tracking_code: Mapped[str | None] = mapped_column(String(32))
    """The code the petitioner tracks the case with (80+ random bits and a check character)."""
    tracking_check: Mapped[str] = mapped_column(String(64), default="")
    """SHA-256 hex of ``"<tracking code>:<last four digits of the phone>"``: the portal's check."""
    channel: Mapped[str] = mapped_column(String(4))
    kind: Mapped[str] = mapped_column(String(8), default="申诉求决类")
    received_on: Mapped[date] = mapped_column(Date)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    category_code: Mapped[str] = mapped_column(String(16), default="")
    district_code: Mapped[str] = mapped_column(String(8), default="")
    petitioner_id: Mapped[str | None] = mapped_column(String(36))
    persons_involved: Mapped[int] = mapped_column(Integer, default=1)
    collective: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="registered")
    route: Mapped[str] = mapped_column(String(8), default="")
    """转送 / 交办 / 告知 / 不予受理, once routed."""
    body_code: Mapped[str] = mapped_column(String(32), default="")
    accepted_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    """The deadline of the current step (the legal clocks compute it)."""
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_on: Mapped[date | None] = mapped_column(Date)
    answer_summary: Mapped[str] = mapped_column(Text, default="")
    """The answer as the petitioner may read it on the portal."""
    satisfaction: Mapped[str] = mapped_column(String(8), default="")
    rated_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    """Under supervision (督办)."""
    repeat_of: Mapped[str | None] = mapped_column(String(36))
    """The earlier case this one repeats (same person, same matter): counted once in statistics."""
    source_system: Mapped[str] = mapped_column(String(32), default="")
    source_code: Mapped[str] = mapped_column(String(64), default="")
    """The sender's system and case number, for a case that came by exchange."""
    handler: Mapped[str] = mapped_column(String(64), default="")


class PetTransition(CaseRow, Base):
    """One step of a case (append-only): the action, the states, the article it rests on, who and when."""

    __tablename__ = "pet_transition"
    sync_label = "办理记录"
    extra_indexes = (("case_id",),)

    case_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(16), default="")
    to_state: Mapped[str] = mapped_column(String(16), default="")
    article: Mapped[str] = mapped_column(String(80), default="")
    on_date: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PetCaseLink(CaseRow, Base):
    """A case linked to an earlier one as a repeat (same person, same matter) or a similar petition."""

    __tablename__ = "pet_case_link"
    sync_label = "关联信访件"
    extra_indexes = (("case_id",), ("other_case_id",))

    case_id: Mapped[str] = mapped_column(String(36))
    other_case_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(8), default="repeat")
    note: Mapped[str] = mapped_column(String(200), default="")


class PetReception(PetitionRow, Base):
    """A visitor in the reception queue (来访): ticket, arrival, called, and the case registered for them."""

    __tablename__ = "pet_reception"
    sync_label = "来访接待"
    extra_indexes = (("visit_date",),)

    visit_date: Mapped[date] = mapped_column(Date)
    ticket: Mapped[int] = mapped_column(Integer)
    visitor_name: Mapped[str] = mapped_column(String(60))
    persons: Mapped[int] = mapped_column(Integer, default=1)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    """waiting / called / done / left."""
    case_id: Mapped[str | None] = mapped_column(String(36))
    receptionist: Mapped[str] = mapped_column(String(64), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return case_scope(None)


REFERENCE_MODELS = (PetCategory, PetBody, PetRoutingRule, PetHolidayOverride, PetLetterTemplate)
CASE_MODELS = (PetPetitioner, PetCase, PetTransition, PetCaseLink, PetReception)
PETITION_MODELS = (*REFERENCE_MODELS, *CASE_MODELS)
