"""The petition desk's one way to change a case: register it, then move it through the workflow.

Every change of a case goes through here — the desk, the portal's bridge, the exchange with other petition
systems — so that each step is checked by the workflow rules (``core.petition.workflow``), the case's current
deadline is counted on the working-day calendar (``core.petition.clocks``), the step is written to the case's
history with the article it rests on, the petitioner's SMS is queued in the same transaction (the outbox
sends it once, whichever device queued it), and the audit trail records who did it.

Errors are :class:`PetitionRefused` with a Chinese message a clerk can act on; nothing is written then.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.petition import clocks, notices
from core.petition.districts import DISTRICT_NAMES, OUTSIDE_CITY
from core.petition.models import (
    CHANNELS,
    COLLECTIVE_THRESHOLD,
    KINDS,
    PetBody,
    PetCase,
    PetCaseLink,
    PetCategory,
    PetHolidayOverride,
    PetPetitioner,
    PetTransition,
)
from core.petition.scopes import case_scope
from core.petition.workflow import ACTION_BY_KEY, REGULATION, Outcome, Refusal, apply, state_label

REGISTER_ARTICLE = f"{REGULATION}第二十二条"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ANSWERS = ("answer", "review_answer", "rereview_answer")
ASSIGNABLE_KINDS = ("committee", "working_body")
"""Bodies a case can be assigned (交办) to inside the Standing Committee: its liaison then holds the case."""


class PetitionRefused(ValueError):
    """A registration or step refused, with the reason in Chinese; nothing was written."""


@dataclass(frozen=True)
class Actor:
    """Who acts: the user name written to the history and the audit trail, and what the user may do."""

    username: str
    permissions: frozenset[str]

    @classmethod
    def of(cls, username: str, permissions: Collection[str]) -> Actor:
        return cls(username, frozenset(permissions))


@dataclass
class PetitionerInput:
    name: str
    phone: str = ""
    id_number: str = ""
    address: str = ""
    gender: str = ""
    district_code: str = ""


@dataclass
class CaseInput:
    """What a clerk registers: the matter, how it came, and who brought it."""

    channel: str
    subject: str
    content: str = ""
    received_on: date | None = None
    kind: str = "申诉求决类"
    category_code: str = ""
    district_code: str = ""
    persons_involved: int = 1
    petitioner: PetitionerInput | None = None
    petitioner_id: str | None = None
    """An existing petitioner (instead of ``petitioner``)."""
    repeat_of: str | None = None
    """The id of an earlier case this one repeats (same person, same matter): linked and counted once."""
    tracking_code: str | None = None
    tracking_check: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# -- the calendar and the case's clock ---------------------------------------------------------------------


def calendar_of(session: Session) -> clocks.Calendar:
    """The working-day calendar with the administrator's overrides (``pet_holiday_override``)."""
    rows = session.execute(select(PetHolidayOverride.day, PetHolidayOverride.is_workday)
                           .where(PetHolidayOverride.deleted.is_(False)))
    return clocks.Calendar(overrides={day: bool(work) for day, work in rows})


@dataclass(frozen=True)
class Clock:
    """The deadline a case is running against now, and how much time is left."""

    deadline: clocks.Deadline
    start: date
    due: clocks.Due
    days_left: int
    light: str

    @property
    def text(self) -> str:
        left = self.days_left
        when = f"剩 {left} 日" if left > 0 else ("今日到期" if left == 0 else f"超期 {-left} 日")
        estimate = "（按周末推算）" if self.due.estimated else ""
        return f"{self.deadline.name}：{self.due.on:%Y-%m-%d} 前{estimate}，{when}"


def _deadline_for(session: Session, case: PetCase) -> tuple[clocks.Deadline, date] | None:
    """Which legal period the case is in, and the day it started."""
    d = clocks.DEADLINE_BY_KEY
    if case.state in ("registered", "objected"):
        return d["route"], _last_step_day(session, case, ("object",)) or case.received_on
    if case.state == "routed":
        return d["receipt"], _last_step_day(session, case, ("route_transfer", "route_assign")) or case.received_on
    if case.state in ("accepted", "handling"):
        start = case.accepted_on or case.received_on
        handling = d["handling"]
        if case.extended:
            days = _extension_days(session, case)
            if days:
                handling = clocks.extended(handling, days)
        return handling, start
    if case.state == "review":
        return d["review"], _last_step_day(session, case, ("request_review",)) or case.received_on
    if case.state == "rereview":
        return d["rereview"], _last_step_day(session, case, ("request_rereview",)) or case.received_on
    return None


def clock_of(session: Session, case: PetCase, *, today: date | None = None,
             calendar: clocks.Calendar | None = None) -> Clock | None:
    """The case's running clock (None: no legal period runs in its state)."""
    found = _deadline_for(session, case)
    if found is None:
        return None
    deadline, start = found
    due = clocks.due_date(start, deadline, calendar or calendar_of(session))
    today = today or date.today()
    return Clock(deadline, start, due, clocks.days_left(due, today), clocks.light(due, today))


def _last_step_day(session: Session, case: PetCase, actions: tuple[str, ...]) -> date | None:
    return session.scalar(select(PetTransition.on_date).where(
        PetTransition.case_id == case.id, PetTransition.action.in_(actions), PetTransition.deleted.is_(False))
        .order_by(PetTransition.on_date.desc(), PetTransition.at.desc()).limit(1))


def _extension_days(session: Session, case: PetCase) -> int:
    details = session.scalar(select(PetTransition.details).where(
        PetTransition.case_id == case.id, PetTransition.action == "extend", PetTransition.deleted.is_(False))
        .order_by(PetTransition.on_date.desc()).limit(1))
    try:
        return int((details or {}).get("days", 0))
    except (TypeError, ValueError):
        return 0


def reviewed(session: Session, case: PetCase) -> bool:
    """The case has had its 复查 answer (from then on only 复核 may be requested)."""
    return _last_step_day(session, case, ("review_answer", "reviewed")) is not None


def history(session: Session, case_id: str) -> list[PetTransition]:
    return list(session.scalars(select(PetTransition).where(
        PetTransition.case_id == case_id, PetTransition.deleted.is_(False))
        .order_by(PetTransition.on_date, PetTransition.at, PetTransition.id)))


# -- registration ------------------------------------------------------------------------------------------


def new_case_code(session: Session, on: date) -> str:
    """``XF`` + date + five random letters: unique, and an offline laptop never collides."""
    for _ in range(20):
        code = f"XF{on:%Y%m%d}-{''.join(secrets.choice(ALPHABET) for _ in range(5))}"
        if session.scalar(select(PetCase.id).where(PetCase.code == code)) is None:
            return code
    raise PetitionRefused("无法生成信访件编号，请重试")


def _check_case(session: Session, data: CaseInput, today: date) -> list[str]:
    problems = []
    if data.channel not in CHANNELS:
        problems.append(f"来源渠道“{data.channel}”不存在，应为{'、'.join(CHANNELS)}之一")
    if not data.subject.strip():
        problems.append("须填写信访事项（标题）")
    elif len(data.subject.strip()) > 200:
        problems.append(f"信访事项（标题）最多 200 字，现在是 {len(data.subject.strip())} 字")
    if data.kind not in KINDS:
        problems.append(f"事项类别“{data.kind}”不存在，应为{'、'.join(KINDS)}之一")
    received = data.received_on or today
    if received > today:
        problems.append(f"收到日期 {received:%Y-%m-%d} 晚于今天")
    if not 1 <= data.persons_involved <= 10_000:
        problems.append(f"涉及人数应为 1 至 10000，填写的是 {data.persons_involved}")
    if data.district_code and data.district_code not in DISTRICT_NAMES and data.district_code != OUTSIDE_CITY:
        problems.append(f"区“{data.district_code}”不是本市的区")
    if data.category_code and session.scalar(select(PetCategory.id).where(
            PetCategory.code == data.category_code, PetCategory.deleted.is_(False))) is None:
        problems.append(f"信访分类“{data.category_code}”不存在，请在分类表中选择")
    person = data.petitioner
    if person is None and not data.petitioner_id and data.channel != "来信":
        problems.append("须填写信访人")
    if person is not None:
        if not person.name.strip():
            problems.append("须填写信访人姓名")
        phone = person.phone.strip()
        if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
            problems.append(f"手机号码“{phone}”应为 11 位数字，以 1 开头")
        ident = person.id_number.strip().upper()
        if ident and not _valid_id(ident):
            problems.append(f"身份证号“{ident}”的位数或校验位不对")
    if data.petitioner_id and session.get(PetPetitioner, data.petitioner_id) is None:
        problems.append("所选的信访人不在本机，请先同步")
    if data.repeat_of and session.get(PetCase, data.repeat_of) is None:
        problems.append("所选的前一件信访件不在本机，请先同步")
    return problems


def _valid_id(ident: str) -> bool:
    if len(ident) != 18 or not ident[:17].isdigit() or ident[17] not in "0123456789X":
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(ident[:17], weights, strict=True)) % 11] == ident[17]


def register_case(session: Session, actor: Actor, data: CaseInput, *, today: date | None = None,
                  now: datetime | None = None, receipt_key: str | None = None) -> PetCase:
    """Register a case (state 登记) with its petitioner, its 15-day routing clock and its first history step.

    A petitioner with a phone gets the receipt SMS (``receipt_key``: the event's de-duplication key; by
    default the case's id). Refused with every problem named at once; nothing is written then."""
    from core.auth.roles import P_PETITION_CASE

    now = now or datetime.now(UTC)
    today = today or date.today()
    if P_PETITION_CASE not in actor.permissions:
        raise PetitionRefused(f"登记信访件需要权限“{P_PETITION_CASE}”")
    problems = _check_case(session, data, today)
    if problems:
        raise PetitionRefused("；".join(problems))
    received = data.received_on or today
    person_id = data.petitioner_id
    phone = ""
    if data.petitioner is not None:
        p = data.petitioner
        phone = p.phone.strip()
        person = PetPetitioner(name=p.name.strip(), gender=p.gender, phone=phone or None,
                               id_number=p.id_number.strip().upper() or None, address=p.address.strip() or None,
                               district_code=p.district_code or data.district_code)
        session.add(person)
        session.flush()
        person_id = person.id
    elif person_id:
        phone = session.scalar(select(PetPetitioner.phone).where(PetPetitioner.id == person_id)) or ""
    calendar = calendar_of(session)
    due = clocks.due_date(received, clocks.DEADLINE_BY_KEY["route"], calendar)
    case = PetCase(code=new_case_code(session, received), tracking_code=data.tracking_code,
                   tracking_check=data.tracking_check, channel=data.channel, kind=data.kind,
                   received_on=received, registered_at=now, subject=data.subject.strip(), content=data.content,
                   category_code=data.category_code, district_code=data.district_code, petitioner_id=person_id,
                   persons_involved=data.persons_involved,
                   collective=data.persons_involved >= COLLECTIVE_THRESHOLD, state="registered",
                   due_on=due.on, handler=actor.username, **data.extra)
    session.add(case)
    session.flush()
    _step(session, case, "register", "", "registered", REGISTER_ARTICLE, actor, today, now,
          note=f"{data.channel}登记", details={"due_on": due.on.isoformat()})
    if data.repeat_of:
        from core.petition.similar import link_repeat

        earlier = session.get(PetCase, data.repeat_of)
        assert earlier is not None  # checked above
        link_repeat(session, case, earlier, note="登记时确认为重复件")
    if phone and person_id:
        notices_queue(session, case, notices.RECEIPT, {"code": case.code, "tracking": case.tracking_code or "—"},
                      receipt_key or f"{notices.RECEIPT}:{case.id}")
    audit.append(session, actor.username, "petition.case.register", case.code,
                 {"channel": case.channel, "collective": case.collective})
    return case


def notices_queue(session: Session, case: PetCase, template: str, params: Mapping[str, Any], key: str) -> None:
    """Queue the petitioner's SMS in this transaction (the server reads the number when it sends)."""
    from core.notifications import queue_sms

    if not case.petitioner_id:
        return
    queue_sms(session, template_key=template, params=params, recipient=("pet_petitioner", case.petitioner_id, "phone"),
              scope=case.scope or case_scope(case.committee), dedup_key=key)


# -- steps ---------------------------------------------------------------------------------------------------


def _step(session: Session, case: PetCase, action: str, before: str, after: str, article: str, actor: Actor,
          on: date, at: datetime, *, note: str = "", details: dict[str, Any] | None = None) -> PetTransition:
    step = PetTransition(case_id=case.id, committee=case.committee, action=action, from_state=before, to_state=after,
                         article=article[:80], on_date=on, at=at, actor=actor.username[:64], note=note,
                         details=details or {})
    session.add(step)
    return step


def _body(session: Session, code: str) -> PetBody:
    body = session.scalar(select(PetBody).where(PetBody.code == code, PetBody.deleted.is_(False),
                                                PetBody.active.is_(True)))
    if body is None:
        raise PetitionRefused(f"承办单位“{code}”不存在或已停用，请在承办单位表中选择")
    return body


def _move_to_committee(session: Session, case: PetCase, committee: str | None) -> None:
    """Put the case and every row of it in the scope of ``committee`` (None: the office's). Through the ORM, so
    each row is stamped as changed and syncs; its attachments follow (``core.sync.stamping``)."""
    if case.committee == committee:
        return
    case.committee = committee
    for step in session.scalars(select(PetTransition).where(PetTransition.case_id == case.id)):
        step.committee = committee
    for link in session.scalars(select(PetCaseLink).where(PetCaseLink.case_id == case.id)):
        link.committee = committee


def _review_window(session: Session, case: PetCase, after: tuple[str, ...], deadline_key: str,
                   received: date, calendar: clocks.Calendar) -> str | None:
    """Why a 复查 / 复核 request received on ``received`` is out of time (None: it is in time)."""
    start = _last_step_day(session, case, after) or case.answered_on
    if start is None:
        return None
    deadline = clocks.DEADLINE_BY_KEY[deadline_key]
    due = clocks.due_date(start, deadline, calendar)
    if received > due.on:
        return (f"{deadline.name}的期限为 {deadline.period} {deadline.unit}，自 {start:%Y-%m-%d} 起算，"
                f"已于 {due.on:%Y-%m-%d} 届满（依据{deadline.article}）")
    return None


def transition(session: Session, actor: Actor, case: PetCase | str, action_key: str,
               inputs: Mapping[str, Any] | None = None, *, today: date | None = None,
               now: datetime | None = None) -> Outcome:
    """Take ``action_key`` on ``case`` with ``inputs``; refused (:class:`PetitionRefused`) when the workflow,
    the permission, the inputs or a legal window forbid it. Inputs by action: ``body`` (转送 / 交办),
    ``reason`` (不予受理, 异议, 延期, 退回重办), ``days`` (延期), ``answer`` (答复, 复查答复, 复核答复),
    ``rating`` (评价), ``received_on`` (申请复查 / 复核: the day the request came), ``note`` (any)."""
    inputs = dict(inputs or {})
    now = now or datetime.now(UTC)
    today = today or date.today()
    if isinstance(case, str):
        found = session.get(PetCase, case)
        if found is None or found.deleted:
            raise PetitionRefused("信访件不在本机，请先同步")
        case = found
    result = apply(case.state, action_key, extended=case.extended, permissions=actor.permissions, inputs=inputs,
                   reviewed=reviewed(session, case))
    if isinstance(result, Refusal):
        raise PetitionRefused(result.reason)
    action = ACTION_BY_KEY[action_key]
    if action.key in ANSWERS and not str(inputs.get("answer", "")).strip():
        raise PetitionRefused(f"案件当前状态为“{state_label(case.state)}”，不能{action.label}：须填写答复意见"
                              f"（依据{action.article}）")
    calendar = calendar_of(session)
    before = case.state
    details: dict[str, Any] = {k: v for k, v in inputs.items() if k != "note" and isinstance(v, str | int | float)}
    on = today
    if action.key in ("route_transfer", "route_assign"):
        body = _body(session, str(inputs["body"]))
        case.body_code, case.route = body.code, action.label
        details["body_name"] = body.name
        assign = action.key == "route_assign" and body.kind in ASSIGNABLE_KINDS
        _move_to_committee(session, case, body.code if assign else None)
    elif action.key == "inform":
        case.route = "告知"
    elif action.key == "refuse":
        case.route = "不予受理"
    elif action.key == "accept":
        case.accepted_on = on
    elif action.key == "extend":
        case.extended = True
    elif action.key in ANSWERS:
        case.answer_summary = str(inputs["answer"]).strip()
        if action.key == "answer":
            case.answered_on = on
    elif action.key == "rate":
        case.satisfaction, case.rated_on = str(inputs["rating"]), on
    elif action.key in ("request_review", "request_rereview"):
        received = _as_date(inputs.get("received_on"), today)
        late = _review_window(session, case, ("answer",) if action.key == "request_review" else ("review_answer",),
                              "review_request" if action.key == "request_review" else "rereview_request",
                              received, calendar)
        if late is not None:
            raise PetitionRefused(f"案件当前状态为“{state_label(before)}”，不能{action.label}：{late}")
        on = received
    elif action.key == "supervise":
        case.supervised = True
    elif action.key == "send_back":
        case.answered_on, case.answer_summary = None, ""
    case.state = result.to_state
    if case.state in ("closed", "final"):
        case.closed_on = case.closed_on or on
    else:
        case.closed_on = None  # a case sent back or under review is open again
    step = _step(session, case, action.key, before, case.state, result.article, actor, on, now,
                 note=str(inputs.get("note", "") or inputs.get("reason", "") or ""), details=details)
    session.flush()
    clock = clock_of(session, case, today=today, calendar=calendar)
    case.due_on = clock.due.on if clock is not None else None  # the step itself stays as written (append-only)
    _notify(session, case, action.key, inputs, step)
    audit.append(session, actor.username, f"petition.case.{action.key}", case.code,
                 {"from": before, "to": case.state})
    return result


def _as_date(value: Any, default: date) -> date:
    if value is None or value == "":
        return default
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PetitionRefused(f"日期“{value}”应写成 2026-03-01 这样") from None


def _notify(session: Session, case: PetCase, action: str, inputs: Mapping[str, Any], step: PetTransition) -> None:
    if action == "accept" and case.due_on is not None:
        body = session.scalar(select(PetBody.name).where(PetBody.code == case.body_code)) or "有权处理机关"
        notices_queue(session, case, notices.ACCEPTED, {"code": case.code, "body": body,
                                                        "due": f"{case.due_on:%Y年%m月%d日}"},
                      f"{notices.ACCEPTED}:{case.id}")
    elif action in ANSWERS:
        notices_queue(session, case, notices.ANSWERED, {"code": case.code}, f"{notices.ANSWERED}:{step.id}")
    elif action == "extend" and case.due_on is not None:
        notices_queue(session, case, notices.EXTENDED, {"code": case.code, "due": f"{case.due_on:%Y年%m月%d日}",
                                                        "reason": str(inputs.get("reason", ""))[:30]},
                      f"{notices.EXTENDED}:{case.id}")


def refresh_clocks(session: Session, *, today: date | None = None) -> int:
    """Recount the deadline of every open case (after the administrator changed the holiday overrides);
    returns how many changed."""
    calendar = calendar_of(session)
    changed = 0
    for case in session.scalars(select(PetCase).where(PetCase.deleted.is_(False),
                                                      PetCase.state.not_in(("closed", "final")))):
        clock = clock_of(session, case, today=today, calendar=calendar)
        due = clock.due.on if clock is not None else None
        if case.due_on != due:
            case.due_on = due
            changed += 1
    return changed


__all__ = ["Actor", "CaseInput", "Clock", "PetitionRefused", "PetitionerInput", "calendar_of", "clock_of",
           "history", "new_case_code", "refresh_clocks", "register_case", "reviewed", "transition"]
