"""The care work (老干部工作管理): what the desk lists and the actions that change it.

Every action checks the signed-in user's permissions and its input first and raises ``CareRefused`` with a
Chinese message naming the field; a refused action adds or changes nothing in the session. Rows are written
through the session it is given (the local store on a desk), so they go to the outbox and sync.

Rules by example (tests/cadre/test_care.py):

- an aid amount is positive, in 元 with at most two decimals, at most 1,000,000 元 (``"2000.50"`` → 200050 fen);
- aid goes 已申请 → 已批准 (amount) or 未批准 (a reason is required) → 已发放 (only once approved);
- a term of office ends after it starts; recording a new 书记 or 副书记 ends the current holder's term the
  day before the new term starts;
- a sign-up beyond the capacity, for a cancelled or held activity, twice, or for a deceased person is refused;
- attendance is marked only on or after the day of the activity;
- a check-up is arranged once per person and year; arranging one and recording its result need
  ``cadre.sensitive``;
- an activity photo is a JPG or PNG picture kept in the attachment store, owned by the activity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.auth.roles import P_CADRE_RECORD, P_CADRE_SENSITIVE
from core.cadre.models import (
    ACTIVITY_STATE_LABELS,
    AID_STATE_LABELS,
    BRANCH_OFFICES,
    CONTACT_KINDS,
    CadActivity,
    CadActivityEntry,
    CadAid,
    CadBranch,
    CadBranchMember,
    CadBranchOffice,
    CadCheckup,
    CadContact,
    CadDispatch,
    CadPerson,
    CadStatusChange,
)
from core.models.registry import Attachment
from core.sync.blobs import AttachmentRefused, check_attachment

MAX_AID_FEN = 100_000_000
"""1,000,000 元: a larger amount is a typing mistake."""
SINGLE_OFFICES = ("书记", "副书记")
"""Offices one person holds at a time: recording a new holder ends the current term."""


class CareRefused(ValueError):
    """An action refused: ``field`` names the field (or is empty), ``str()`` is the Chinese message."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def may_write(permissions: frozenset[str] | set[str]) -> bool:
    return P_CADRE_RECORD in permissions


def may_see_health(permissions: frozenset[str] | set[str]) -> bool:
    return P_CADRE_SENSITIVE in permissions


def _check_writer(permissions: frozenset[str] | set[str], needed: str = P_CADRE_RECORD) -> None:
    if needed not in permissions:
        if needed == P_CADRE_SENSITIVE:
            raise CareRefused("体检安排和结果属于敏感信息，您的角色不能登记")
        raise CareRefused("您的角色只能查阅老干部工作记录，不能修改")


def parse_amount(text: str, field: str = "金额") -> int:
    """An amount in 元 as typed (``"2,000.5"``) → fen; refused unless positive with at most two decimals."""
    cleaned = str(text).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    if not cleaned:
        raise CareRefused(f"请填写“{field}”", field)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CareRefused(f"“{field}”应为数字，例如 2000 或 2000.50", field) from None
    if not value.is_finite() or value <= 0:
        raise CareRefused(f"“{field}”应大于 0", field)
    if value * 100 > MAX_AID_FEN:
        raise CareRefused(f"“{field}”超过 100 万元，请核对金额", field)
    if value != value.quantize(Decimal("0.01")):
        raise CareRefused(f"“{field}”最多保留两位小数（到分）", field)
    return int(value * 100)


def yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:,.2f}"


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise CareRefused(f"请填写“{field}”", field)
    if len(text) > limit:
        raise CareRefused(f"“{field}”不能超过 {limit} 个字", field)
    return text


def _day(value: date | None, field: str, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise CareRefused(f"请填写“{field}”", field)
        return None
    if not isinstance(value, date):
        raise CareRefused(f"“{field}”应为日期", field)
    return value


def _person(session: Session, person_id: str, *, alive: bool = False) -> CadPerson:
    person = session.get(CadPerson, person_id) if person_id else None
    if person is None or person.deleted:
        raise CareRefused("请选择“姓名”中的人员", "姓名")
    if alive and not person.alive:
        raise CareRefused(f"{person.name}已去世，不能登记", "姓名")
    return person


def _live(session: Session, model: Any, row_id: str, what: str) -> Any:
    row = session.get(model, row_id) if row_id else None
    if row is None or row.deleted:
        raise CareRefused(f"请先选择一条{what}")
    return row


# ------------------------------------------------------------------------------------------ 党支部
def add_member(session: Session, permissions: frozenset[str], branch_id: str, person_id: str,
               joined_on: date | None) -> CadBranchMember:
    _check_writer(permissions)
    branch = _live(session, CadBranch, branch_id, "党支部")
    person = _person(session, person_id, alive=True)
    joined = _day(joined_on, "入支部日期")
    current = session.scalar(select(CadBranchMember.id).where(
        CadBranchMember.person_id == person.id, CadBranchMember.branch_id == branch.id,
        CadBranchMember.left_on.is_(None), CadBranchMember.deleted.is_(False)))
    if current is not None:
        raise CareRefused(f"{person.name}已是{branch.name}党员", "姓名")
    row = CadBranchMember(person_id=person.id, branch_id=branch.id, joined_on=joined)
    session.add(row)
    session.flush()
    return row


def record_office(session: Session, permissions: frozenset[str], branch_id: str, person_id: str, office: str,
                  term_start: date | None, term_end: date | None = None, note: str = "") -> CadBranchOffice:
    """A term of office; a new 书记 or 副书记 ends the current holder's term the day before."""
    _check_writer(permissions)
    branch = _live(session, CadBranch, branch_id, "党支部")
    person = _person(session, person_id, alive=True)
    if office not in BRANCH_OFFICES:
        raise CareRefused("请从“职务”中选择：" + "、".join(BRANCH_OFFICES), "职务")
    start = _day(term_start, "任期开始")
    assert start is not None
    end = _day(term_end, "任期结束", required=False)
    if end is not None and end <= start:
        raise CareRefused("“任期结束”应晚于“任期开始”", "任期结束")
    note = _text(note, "备注", 200, required=False)
    ending: list[CadBranchOffice] = []
    current = session.scalars(select(CadBranchOffice).where(
        CadBranchOffice.branch_id == branch.id, CadBranchOffice.term_end.is_(None),
        CadBranchOffice.deleted.is_(False))).all()
    for term in current:
        if term.person_id == person.id and term.office == office:
            raise CareRefused(f"{person.name}正在担任{branch.name}{office}", "姓名")
        if office in SINGLE_OFFICES and term.office == office:
            if term.term_start >= start:
                raise CareRefused(f"“任期开始”应晚于现任{office}的任期开始（{term.term_start:%Y-%m-%d}）", "任期开始")
            ending.append(term)
    for term in ending:
        term.term_end = start - timedelta(days=1)
    row = CadBranchOffice(person_id=person.id, branch_id=branch.id, office=office, term_start=start,
                          term_end=end, note=note)
    session.add(row)
    session.flush()
    return row


# ------------------------------------------------------------------------------------------ 帮困救助
def apply_aid(session: Session, permissions: frozenset[str], person_id: str, applied_on: date | None,
              reason: str, requested: str) -> CadAid:
    _check_writer(permissions)
    person = _person(session, person_id, alive=True)
    day = _day(applied_on, "申请日期")
    reason = _text(reason, "申请事由", 200)
    fen = parse_amount(requested, "申请金额")
    row = CadAid(person_id=person.id, applied_on=day, reason=reason, requested_fen=fen, state="applied")
    session.add(row)
    session.flush()
    return row


def _undecided(session: Session, aid_id: str) -> CadAid:
    row: CadAid = _live(session, CadAid, aid_id, "救助申请")
    if row.state != "applied":
        raise CareRefused(f"这件申请已{AID_STATE_LABELS.get(row.state, row.state)}，不能再审批")
    return row


def _decision_day(row: CadAid, day: date | None) -> date:
    decided = _day(day, "审批日期")
    assert decided is not None
    if decided < row.applied_on:
        raise CareRefused(f"“审批日期”不能早于申请日期（{row.applied_on:%Y-%m-%d}）", "审批日期")
    return decided


def approve_aid(session: Session, permissions: frozenset[str], aid_id: str, amount: str, decided_on: date | None,
                decided_by: str) -> CadAid:
    _check_writer(permissions)
    row = _undecided(session, aid_id)
    fen = parse_amount(amount, "批准金额")
    day = _decision_day(row, decided_on)
    by = _text(decided_by, "审批人", 60)
    row.state, row.approved_fen, row.decided_on, row.decided_by = "approved", fen, day, by
    session.flush()
    return row


def refuse_aid(session: Session, permissions: frozenset[str], aid_id: str, reason: str, decided_on: date | None,
               decided_by: str) -> CadAid:
    _check_writer(permissions)
    row = _undecided(session, aid_id)
    why = _text(reason, "不予批准理由", 200)
    day = _decision_day(row, decided_on)
    by = _text(decided_by, "审批人", 60)
    row.state, row.approved_fen, row.decided_on, row.decided_by, row.note = "refused", 0, day, by, why
    session.flush()
    return row


def pay_aid(session: Session, permissions: frozenset[str], aid_id: str, paid_on: date | None) -> CadAid:
    _check_writer(permissions)
    row: CadAid = _live(session, CadAid, aid_id, "救助申请")
    if row.state != "approved":
        raise CareRefused(f"只有已批准的申请才能发放，这件申请{AID_STATE_LABELS.get(row.state, row.state)}")
    day = _day(paid_on, "发放日期")
    assert day is not None
    if day < (row.decided_on or row.applied_on):
        raise CareRefused("“发放日期”不能早于审批日期", "发放日期")
    row.state, row.paid_on = "paid", day
    session.flush()
    return row


# ------------------------------------------------------------------------------------------ 活动
def plan_activity(session: Session, permissions: frozenset[str], title: str, held_on: date | None, place: str,
                  capacity: str, sign_up_until: date | None = None, kind: str = "") -> CadActivity:
    _check_writer(permissions)
    title = _text(title, "活动名称", 120)
    day = _day(held_on, "活动日期")
    assert day is not None
    place = _text(place, "地点", 100)
    kind = _text(kind, "类别", 20, required=False)
    seats: int | None = None
    if str(capacity).strip():
        text = str(capacity).strip()
        if not text.isdigit() or int(text) <= 0:
            raise CareRefused("“名额”应为正整数，不限名额请留空", "名额")
        seats = int(text)
        if seats > 10000:
            raise CareRefused("“名额”不能超过 10000", "名额")
    until = _day(sign_up_until, "报名截止", required=False)
    if until is not None and until > day:
        raise CareRefused("“报名截止”不能晚于活动日期", "报名截止")
    row = CadActivity(title=title, held_on=day, place=place, capacity=seats, sign_up_until=until, kind=kind,
                      state="open")
    session.add(row)
    session.flush()
    return row


def _entries(session: Session, activity_id: str) -> list[CadActivityEntry]:
    return list(session.scalars(select(CadActivityEntry).where(
        CadActivityEntry.activity_id == activity_id, CadActivityEntry.deleted.is_(False))))


def sign_up(session: Session, permissions: frozenset[str], activity_id: str, person_id: str,
            on: date) -> CadActivityEntry:
    _check_writer(permissions)
    activity: CadActivity = _live(session, CadActivity, activity_id, "活动")
    if activity.state in ("cancelled", "done"):
        raise CareRefused(f"“{activity.title}”{ACTIVITY_STATE_LABELS[activity.state]}，不能再报名")
    if activity.sign_up_until is not None and on > activity.sign_up_until:
        raise CareRefused(f"“{activity.title}”的报名已于 {activity.sign_up_until:%Y-%m-%d} 截止")
    person = _person(session, person_id, alive=True)
    entries = _entries(session, activity.id)
    if any(e.person_id == person.id for e in entries):
        raise CareRefused(f"{person.name}已报名“{activity.title}”", "姓名")
    if activity.capacity is not None and len(entries) >= activity.capacity:
        raise CareRefused(f"“{activity.title}”名额已满（{activity.capacity} 人），不能再报名", "名额")
    row = CadActivityEntry(person_id=person.id, activity_id=activity.id, signed_up_on=on)
    session.add(row)
    session.flush()
    return row


def mark_attendance(session: Session, permissions: frozenset[str], entry_id: str, attended: bool,
                    today: date) -> CadActivityEntry:
    _check_writer(permissions)
    entry: CadActivityEntry = _live(session, CadActivityEntry, entry_id, "报名记录")
    activity: CadActivity = _live(session, CadActivity, entry.activity_id, "活动")
    if activity.state == "cancelled":
        raise CareRefused(f"“{activity.title}”已取消，不能登记出席")
    if activity.held_on > today:
        raise CareRefused(f"“{activity.title}”在 {activity.held_on:%Y-%m-%d} 举行，届时再登记出席")
    entry.attended = bool(attended)
    session.flush()
    return entry


def add_photo(session: Session, permissions: frozenset[str], activity_id: str, filename: str, data: bytes,
              attach: Callable[[Session, Any, bytes, str], object]) -> None:
    """A photo of the activity, kept in the attachment store as a file owned by the activity's row."""
    _check_writer(permissions)
    activity: CadActivity = _live(session, CadActivity, activity_id, "活动")
    try:
        mime = check_attachment(data, filename)
    except AttachmentRefused as refusal:
        raise CareRefused(str(refusal), "照片") from None
    if not mime.startswith("image/"):
        raise CareRefused(f"“{filename}”不是照片，请选择 JPG 或 PNG 图片", "照片")
    attach(session, activity, data, filename)
    session.flush()


def photo_counts(session: Session) -> dict[str, int]:
    """Activity id → the number of photos kept for it."""
    rows = session.execute(select(Attachment.owner_id, func.count()).where(
        Attachment.owner_table == CadActivity.__tablename__, Attachment.deleted.is_(False),
        Attachment.mime.startswith("image/")).group_by(Attachment.owner_id)).all()
    return {r[0]: int(r[1]) for r in rows}


def activity_photos(session: Session, activity_id: str) -> list[Attachment]:
    """The photos kept for an activity (attachment rows, detached from the session), by file name."""
    rows = session.scalars(select(Attachment).where(
        Attachment.owner_table == CadActivity.__tablename__, Attachment.owner_id == activity_id,
        Attachment.deleted.is_(False), Attachment.mime.startswith("image/")).order_by(
        Attachment.filename, Attachment.id)).all()
    for row in rows:
        session.expunge(row)
    return list(rows)


# ------------------------------------------------------------------------------------------ 体检、联络关怀
def arrange_checkup(session: Session, permissions: frozenset[str], person_id: str, arranged_on: date | None,
                    hospital: str) -> CadCheckup:
    """This year's check-up of a person (the year is the arranged day's); one per person and year."""
    _check_writer(permissions, P_CADRE_SENSITIVE)
    person = _person(session, person_id, alive=True)
    day = _day(arranged_on, "安排日期")
    assert day is not None
    hospital = _text(hospital, "体检医院", 100)
    taken = session.scalar(select(CadCheckup.id).where(CadCheckup.person_id == person.id, CadCheckup.year == day.year,
                                                       CadCheckup.deleted.is_(False)))
    if taken is not None:
        raise CareRefused(f"{person.name}{day.year} 年的体检已经安排", "姓名")
    row = CadCheckup(person_id=person.id, year=day.year, arranged_on=day, hospital=hospital)
    session.add(row)
    session.flush()
    return row


def record_checkup_result(session: Session, permissions: frozenset[str], checkup_id: str, done_on: date | None,
                          conclusion: str, result: str = "") -> CadCheckup:
    _check_writer(permissions, P_CADRE_SENSITIVE)
    row: CadCheckup = _live(session, CadCheckup, checkup_id, "体检安排")
    day = _day(done_on, "体检日期")
    assert day is not None
    if row.arranged_on is not None and day < row.arranged_on:
        raise CareRefused(f"“体检日期”不能早于安排日期（{row.arranged_on:%Y-%m-%d}）", "体检日期")
    conclusion = _text(conclusion, "体检结论", 200)
    result = _text(result, "体检结果", 2000, required=False)
    row.done_on, row.conclusion, row.result = day, conclusion, result
    session.flush()
    return row


def add_contact(session: Session, permissions: frozenset[str], person_id: str, contacted_on: date | None,
                kind: str, staff: str, summary: str, today: date) -> CadContact:
    _check_writer(permissions)
    person = _person(session, person_id)
    day = _day(contacted_on, "日期")
    assert day is not None
    if day > today:
        raise CareRefused("“日期”不能晚于今天，走访联络在发生后登记", "日期")
    if kind not in CONTACT_KINDS:
        raise CareRefused("请从“方式”中选择：" + "、".join(CONTACT_KINDS), "方式")
    staff = _text(staff, "走访人", 60)
    summary = _text(summary, "情况记录", 500)
    row = CadContact(person_id=person.id, contacted_on=day, kind=kind, staff=staff, summary=summary)
    session.add(row)
    session.flush()
    return row


# ------------------------------------------------------------------------------------------ lists
@dataclass(frozen=True)
class Term:
    term_id: str
    branch: str
    office: str
    name: str
    start: date
    end: date | None
    note: str


@dataclass(frozen=True)
class Member:
    member_id: str
    branch: str
    name: str
    joined: date | None
    left: date | None


@dataclass(frozen=True)
class AidRow:
    aid_id: str
    person_id: str
    name: str
    applied_on: date
    reason: str
    requested_fen: int
    state: str
    approved_fen: int
    decided_on: date | None
    decided_by: str
    paid_on: date | None
    note: str

    @property
    def state_label(self) -> str:
        return AID_STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True)
class AidTotal:
    person_id: str
    name: str
    year: int
    applications: int
    approved_fen: int
    paid_fen: int


@dataclass(frozen=True)
class ActivityRow:
    activity_id: str
    title: str
    held_on: date
    place: str
    capacity: int | None
    signed_up: int
    attended: int
    state: str
    photos: int = 0

    @property
    def state_label(self) -> str:
        return ACTIVITY_STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True)
class EntryRow:
    entry_id: str
    name: str
    signed_up_on: date | None
    attended: bool | None


@dataclass(frozen=True)
class CheckupRow:
    checkup_id: str
    name: str
    year: int
    arranged_on: date | None
    done_on: date | None
    hospital: str
    conclusion: str
    result: str


@dataclass(frozen=True)
class ContactRow:
    name: str
    day: date
    kind: str
    staff: str
    summary: str


@dataclass(frozen=True)
class StatusRow:
    name: str
    day: date
    kind: str
    from_text: str
    to_text: str
    document_no: str
    note: str


@dataclass(frozen=True)
class DispatchRow:
    name: str
    title: str
    document_no: str
    sent_on: date
    channel: str
    received_on: date | None


def names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(CadPerson.id, CadPerson.name).where(CadPerson.deleted.is_(False))).all())


def people_choices(session: Session) -> list[tuple[str, str]]:
    """The living people to pick from: (id, name), by name."""
    rows = session.execute(select(CadPerson.id, CadPerson.name).where(
        CadPerson.deleted.is_(False), CadPerson.alive.is_(True)).order_by(CadPerson.name, CadPerson.id)).all()
    return [(r[0], r[1]) for r in rows]


def branches(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(select(CadBranch.id, CadBranch.name).where(CadBranch.deleted.is_(False))).all()
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: (len(r[1]), r[1]))


def terms(session: Session, branch_id: str) -> list[Term]:
    """Every term of the branch: current ones first (by office), then the history, latest first."""
    who = names(session)
    rows = session.scalars(select(CadBranchOffice).where(CadBranchOffice.branch_id == branch_id,
                                                         CadBranchOffice.deleted.is_(False))).all()
    branch = session.get(CadBranch, branch_id)
    label = branch.name if branch else ""
    order = {o: n for n, o in enumerate(BRANCH_OFFICES)}
    out = [Term(r.id, label, r.office, who.get(r.person_id, ""), r.term_start, r.term_end, r.note) for r in rows]
    current = sorted((t for t in out if t.end is None), key=lambda t: (order.get(t.office, 99), t.start))
    past = sorted((t for t in out if t.end is not None), key=lambda t: t.end or t.start, reverse=True)
    return current + past


def members(session: Session, branch_id: str) -> list[Member]:
    who = names(session)
    rows = session.scalars(select(CadBranchMember).where(CadBranchMember.branch_id == branch_id,
                                                         CadBranchMember.deleted.is_(False))).all()
    branch = session.get(CadBranch, branch_id)
    label = branch.name if branch else ""
    out = [Member(r.id, label, who.get(r.person_id, ""), r.joined_on, r.left_on) for r in rows]
    return sorted(out, key=lambda m: (m.left is not None, m.name))


def aid_rows(session: Session) -> list[AidRow]:
    who = names(session)
    rows = session.scalars(select(CadAid).where(CadAid.deleted.is_(False))).all()
    out = [AidRow(r.id, r.person_id, who.get(r.person_id, ""), r.applied_on, r.reason, r.requested_fen, r.state,
                  r.approved_fen, r.decided_on, r.decided_by, r.paid_on, r.note) for r in rows]
    return sorted(out, key=lambda a: (a.state != "applied", -a.applied_on.toordinal(), a.name))


def aid_totals(rows: list[AidRow]) -> list[AidTotal]:
    """Per person and year of application: applications, the amount approved (approved or paid) and paid."""
    acc: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    who: dict[str, str] = {}
    for r in rows:
        totals = acc[(r.person_id, r.applied_on.year)]
        who[r.person_id] = r.name
        totals[0] += 1
        if r.state in ("approved", "paid"):
            totals[1] += r.approved_fen
        if r.state == "paid":
            totals[2] += r.approved_fen
    out = [AidTotal(pid, who[pid], year, *values) for (pid, year), values in acc.items()]
    return sorted(out, key=lambda t: (-t.year, t.name))


def activities(session: Session) -> list[ActivityRow]:
    entries = session.execute(select(CadActivityEntry.activity_id, CadActivityEntry.attended).where(
        CadActivityEntry.deleted.is_(False))).all()
    signed: dict[str, int] = defaultdict(int)
    came: dict[str, int] = defaultdict(int)
    for activity_id, attended in entries:
        signed[activity_id] += 1
        came[activity_id] += 1 if attended else 0
    photos = photo_counts(session)
    rows = session.scalars(select(CadActivity).where(CadActivity.deleted.is_(False))).all()
    out = [ActivityRow(r.id, r.title, r.held_on, r.place, r.capacity, signed[r.id], came[r.id], r.state,
                       photos.get(r.id, 0)) for r in rows]
    return sorted(out, key=lambda a: a.held_on, reverse=True)


def entries(session: Session, activity_id: str) -> list[EntryRow]:
    who = names(session)
    out = [EntryRow(e.id, who.get(e.person_id, ""), e.signed_up_on, e.attended) for e in _entries(session, activity_id)]
    return sorted(out, key=lambda e: e.name)


def checkups(session: Session) -> list[CheckupRow]:
    """The check-ups this computer holds; the sync server masks hospital, result and conclusion for a role
    without the need, and a record reader's computer holds none."""
    who = names(session)
    rows = session.scalars(select(CadCheckup).where(CadCheckup.deleted.is_(False))).all()
    out = [CheckupRow(r.id, who.get(r.person_id, ""), r.year, r.arranged_on, r.done_on, r.hospital or "",
                      r.conclusion or "", r.result or "") for r in rows]
    return sorted(out, key=lambda c: (-c.year, c.arranged_on or date.min, c.name))


def contacts(session: Session) -> list[ContactRow]:
    who = names(session)
    rows = session.scalars(select(CadContact).where(CadContact.deleted.is_(False))).all()
    return sorted((ContactRow(who.get(r.person_id, ""), r.contacted_on, r.kind, r.staff, r.summary) for r in rows),
                  key=lambda c: c.day, reverse=True)


def status_changes(session: Session) -> list[StatusRow]:
    who = names(session)
    rows = session.scalars(select(CadStatusChange).where(CadStatusChange.deleted.is_(False))).all()
    return sorted((StatusRow(who.get(r.person_id, ""), r.changed_on, r.kind, r.from_text, r.to_text, r.document_no,
                             r.note) for r in rows), key=lambda s: s.day, reverse=True)


def dispatches(session: Session) -> list[DispatchRow]:
    who = names(session)
    rows = session.scalars(select(CadDispatch).where(CadDispatch.deleted.is_(False))).all()
    return sorted((DispatchRow(who.get(r.person_id, ""), r.title, r.document_no, r.sent_on, r.channel,
                               r.received_on) for r in rows), key=lambda d: d.sent_on, reverse=True)
