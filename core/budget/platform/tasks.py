"""Review management (审查管理): a review task's status flow and the expert's opinion.

::

    已分派 ──expert accepts──▶ 已接受 ──expert submits opinion──▶ 已提交 ──staff accept──▶ 已完成
                                  ▲                                 │
                                  └──────── expert resubmits ◀── 已退回 ◀──staff return (with a reason)

Only the task's own expert accepts and submits; only staff (``budget.plan``) accept or return an opinion.
A finished task is never reopened. Every refused step says why and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.auth.roles import P_BUDGET_OPINION, P_BUDGET_PLAN
from core.budget.platform import Actor, PlatformError, clean, reading, require
from core.budget.work import ReviewTask
from core.models.base import utcnow

CONCLUSIONS = ("同意", "修改后同意", "不同意")

TRANSITIONS: dict[tuple[str, str], str] = {
    ("已分派", "已接受"): "expert",
    ("已接受", "已提交"): "expert",
    ("已退回", "已提交"): "expert",
    ("已提交", "已完成"): "staff",
    ("已提交", "已退回"): "staff",
}
"""Allowed steps and who takes them."""

RETURN_MARK = "【退回意见】"


def _task(session: Session, task_id: str) -> ReviewTask:
    task = session.get(ReviewTask, task_id)
    if task is None or task.deleted:
        raise PlatformError("审查任务不存在")
    return task


def _step(task: ReviewTask, target: str, who: str) -> None:
    if TRANSITIONS.get((task.status, target)) != who:
        raise PlatformError(f"任务当前为“{task.status}”，不能改为“{target}”")


def _own(task: ReviewTask, actor: Actor) -> None:
    require(actor, P_BUDGET_OPINION, "填写审查意见")
    if not task.expert_user_id or task.expert_user_id != actor.user_id:
        raise PlatformError("这不是分派给您的审查任务")


def accept(session: Session, actor: Actor, task_id: str) -> ReviewTask:
    """The expert takes the task on."""
    task = _task(session, task_id)
    _own(task, actor)
    _step(task, "已接受", "expert")
    task.status = "已接受"
    session.flush()
    return task


def save_draft(session: Session, actor: Actor, task_id: str, opinion: str, conclusion: str = "") -> ReviewTask:
    """Keep an unfinished opinion (the status does not change)."""
    task = _task(session, task_id)
    _own(task, actor)
    if task.status not in ("已接受", "已退回"):
        raise PlatformError(f"任务当前为“{task.status}”，不能修改意见")
    if conclusion and conclusion not in CONCLUSIONS:
        raise PlatformError("审查结论只能是：同意、修改后同意、不同意")
    task.opinion = clean(opinion, "审查意见", 20_000, required=False)
    task.conclusion = conclusion
    session.flush()
    return task


def submit(session: Session, actor: Actor, task_id: str, opinion: str, conclusion: str,
           now: datetime | None = None) -> ReviewTask:
    """The expert submits the opinion and conclusion for staff to accept."""
    task = _task(session, task_id)
    _own(task, actor)
    _step(task, "已提交", "expert")
    text = clean(opinion, "审查意见", 20_000)
    if len(text) < 10:
        raise PlatformError("审查意见太短，请至少写 10 个字，说明理由")
    if conclusion not in CONCLUSIONS:
        raise PlatformError("请选择审查结论：同意、修改后同意或不同意")
    task.opinion, task.conclusion, task.status = text, conclusion, "已提交"
    task.submitted_at = now or utcnow()
    session.flush()
    return task


def complete(session: Session, actor: Actor, task_id: str) -> ReviewTask:
    """Staff accept the submitted opinion; the task is finished."""
    require(actor, P_BUDGET_PLAN, "验收审查意见")
    task = _task(session, task_id)
    _step(task, "已完成", "staff")
    task.status = "已完成"
    session.flush()
    return task


def send_back(session: Session, actor: Actor, task_id: str, reason: str) -> ReviewTask:
    """Staff return the opinion with a reason; the reason is added to the brief the expert reads."""
    require(actor, P_BUDGET_PLAN, "退回审查意见")
    task = _task(session, task_id)
    _step(task, "已退回", "staff")
    why = clean(reason, "退回理由", 1000)
    task.brief = f"{task.brief}\n{RETURN_MARK}{why}"
    task.status = "已退回"
    session.flush()
    return task


def return_reasons(task: ReviewTask) -> list[str]:
    return [line[len(RETURN_MARK):] for line in (task.brief or "").splitlines() if line.startswith(RETURN_MARK)]


@dataclass(frozen=True)
class TaskView:
    id: str
    task_no: str
    plan_no: str
    target: str
    target_kind: str
    target_code: str
    expert_id: str
    expert_user_id: str
    committee: str
    brief: str
    due_on: date | None
    status: str
    opinion: str
    conclusion: str
    overdue: bool


def list_tasks(engine: Engine, *, expert_user_id: str | None = None, status: str = "",
               today: date | None = None) -> list[TaskView]:
    """Tasks (of one expert when given), the earliest due first; ``overdue`` when open after the due date."""
    day = today or date.today()
    q = select(ReviewTask).where(ReviewTask.deleted.is_(False))
    if expert_user_id is not None:
        q = q.where(ReviewTask.expert_user_id == expert_user_id)
    if status:
        q = q.where(ReviewTask.status == status)
    with reading(engine) as conn, Session(conn) as s:
        rows = list(s.scalars(q))
    rows.sort(key=lambda t: (t.status == "已完成", t.due_on or date.max, t.task_no))
    return [TaskView(t.id, t.task_no, t.plan_no, t.target_name, t.target_kind, t.target_code, t.expert_id,
                     t.expert_user_id, t.committee, t.brief, t.due_on, t.status, t.opinion, t.conclusion,
                     bool(t.due_on and t.due_on < day and t.status not in ("已提交", "已完成")))
            for t in rows]
