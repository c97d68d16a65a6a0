"""Deputies' comments (代表建言) on budget items, and the staff's answers.

A deputy comments on a book, a functional class, a department or a project; the comment is theirs alone
(scope ``comment:<their user id>``) and staff see all of them. Staff answer; the status goes
待答复 → 已答复. A deputy may change or withdraw a comment only while it waits for an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.auth.roles import P_BUDGET_COMMENT, P_BUDGET_PLAN
from core.budget.models import BOOKS, ClassCode, Project
from core.budget.platform import Actor, PlatformError, clean, reading, require
from core.budget.work import Comment
from core.models.base import utcnow
from core.models.registry import Department

TARGET_KINDS: dict[str, str] = {"book": "预算账本", "class": "功能分类", "department": "部门", "project": "项目"}


def write(session: Session, actor: Actor, *, year: int, target_kind: str, target_code: str, target_name: str,
          body: str) -> Comment:
    """A new comment by ``actor`` (a deputy, or a committee member) on one item."""
    require(actor, P_BUDGET_COMMENT, "提出建言")
    if target_kind not in TARGET_KINDS:
        raise PlatformError("请选择建言针对的对象（预算账本、功能分类、部门或项目）")
    code = clean(target_code, "建言对象", 40)
    text = clean(body, "建言内容", 5000)
    if len(text) < 5:
        raise PlatformError("建言内容太短，请至少写 5 个字")
    if not actor.user_id:
        raise PlatformError("请先登录再提出建言")
    comment = Comment(author_id=actor.user_id, author_name=actor.user_name[:40], year=year, target_kind=target_kind,
                      target_code=code, target_name=(target_name or code)[:200], body=text, status="待答复")
    session.add(comment)
    session.flush()
    return comment


def _comment(session: Session, comment_id: str) -> Comment:
    comment = session.get(Comment, comment_id)
    if comment is None or comment.deleted:
        raise PlatformError("建言不存在")
    return comment


def revise(session: Session, actor: Actor, comment_id: str, body: str) -> Comment:
    comment = _comment(session, comment_id)
    if comment.author_id != actor.user_id:
        raise PlatformError("只能修改自己的建言")
    if comment.status != "待答复":
        raise PlatformError("建言已答复，不能再修改")
    comment.body = clean(body, "建言内容", 5000)
    session.flush()
    return comment


def withdraw(session: Session, actor: Actor, comment_id: str) -> None:
    comment = _comment(session, comment_id)
    if comment.author_id != actor.user_id:
        raise PlatformError("只能撤回自己的建言")
    if comment.status != "待答复":
        raise PlatformError("建言已答复，不能撤回")
    comment.deleted = True
    session.flush()


def answer(session: Session, actor: Actor, comment_id: str, text: str, now: datetime | None = None) -> Comment:
    """Staff answer a comment (only budget-committee staff answer; the deputy sees the answer on sync)."""
    require(actor, P_BUDGET_PLAN, "答复代表建言")
    comment = _comment(session, comment_id)
    if comment.author_id == actor.user_id:
        raise PlatformError("不能答复自己的建言")
    comment.answer = clean(text, "答复内容", 5000)
    comment.answered_by = actor.user_name[:64]
    comment.answered_at = now or utcnow()
    comment.status = "已答复"
    session.flush()
    return comment


@dataclass(frozen=True)
class CommentView:
    id: str
    author_id: str
    author_name: str
    year: int
    target_kind: str
    target_code: str
    target_name: str
    body: str
    status: str
    answer: str
    answered_by: str
    answered_at: datetime | None
    changed_at: datetime | None


def list_comments(engine: Engine, *, author_id: str | None = None, status: str = "", target_kind: str = "",
                  target_code: str = "") -> list[CommentView]:
    """Comments (of one author when given), those waiting for an answer first, newest first."""
    q = select(Comment).where(Comment.deleted.is_(False))
    if author_id is not None:
        q = q.where(Comment.author_id == author_id)
    if status:
        q = q.where(Comment.status == status)
    if target_kind:
        q = q.where(Comment.target_kind == target_kind)
    if target_code:
        q = q.where(Comment.target_code == target_code)
    with reading(engine) as conn, Session(conn) as s:
        rows = list(s.scalars(q))
    rows.sort(key=lambda c: c.id, reverse=True)  # ids are time-ordered (UUIDv7): newest first
    rows.sort(key=lambda c: c.status != "待答复")
    return [CommentView(c.id, c.author_id, c.author_name, c.year, c.target_kind, c.target_code, c.target_name,
                        c.body, c.status, c.answer, c.answered_by, c.answered_at, c.changed_at) for c in rows]


def targets(engine: Engine, year: int, kind: str) -> list[tuple[str, str]]:
    """What a deputy may comment on, as (code, name): the books, the functional classes (类), the
    departments, or the projects of the year — all public data every laptop holds."""
    if kind == "book":
        return list(BOOKS.items())
    with reading(engine) as conn:
        if kind == "class":
            rows = conn.execute(select(ClassCode.code, ClassCode.name).where(
                ClassCode.kind == "functional", ClassCode.year == year, ClassCode.level == "类",
                ClassCode.deleted.is_(False)).order_by(ClassCode.code))
        elif kind == "department":
            rows = conn.execute(select(Department.code, Department.name).where(
                Department.deleted.is_(False), Department.parent_code == "").order_by(Department.code))
        elif kind == "project":
            rows = conn.execute(select(Project.code, Project.name).where(
                Project.year == year, Project.deleted.is_(False)).order_by(Project.code))
        else:
            return []
        return [(str(c), str(n)) for c, n in rows]
