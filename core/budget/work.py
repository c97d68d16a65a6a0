"""Working records of budget review: saved queries, warnings and their follow-up, review plans, experts,
review tasks and opinions, deputies' comments (建言) and links from documents to budget items.

Scopes (who a laptop receives):

- saved queries → ``user:<owner>`` (only their owner);
- warning thresholds, review plans → ``budget.internal`` (budget-committee staff);
- warnings, their follow-up, review items → ``committee:<domain>`` of the department's special committee,
  else ``budget.internal``;
- experts → ``registry``;
- review tasks and opinions → ``review:<expert's user id>`` (the expert, and staff through ``review:*``);
- comments → ``comment:<deputy's user id>`` (the deputy, and staff through ``comment:*``);
- document links → ``public`` for public documents, else ``budget.internal``.

Who may write is checked by the sync server per table, role, operation and field (``core.sync.permissions``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.auth.roles import (
    P_BUDGET_COMMENT,
    P_BUDGET_OPINION,
    P_BUDGET_PLAN,
    P_BUDGET_RULES,
    P_BUDGET_WARNING,
)
from core.models.base import Base, MaskRule, SyncedMixin, UTCDateTime
from core.models.registry import INTERNAL_SCOPE, PUBLIC_SCOPE, REGISTRY_SCOPE, committee_scope, user_scope

WARNING_LEVELS: dict[str, str] = {"red": "红色", "yellow": "黄色", "blue": "蓝色"}
WARNING_STATUSES = ("待处理", "已发函", "已答复", "已关闭")
"""A warning's follow-up: raised → sent to the department → answered → closed."""
REVIEW_TASK_STATUSES = ("已分派", "已接受", "已提交", "已完成", "已退回")
COMMENT_STATUSES = ("待答复", "已答复")


def domain_scope(values: dict[str, Any]) -> str:
    """``committee:<domain>`` for a special committee's domain, else ``budget.internal`` (as budget rows)."""
    domain = values.get("domain") or ""
    return committee_scope(domain) if domain else INTERNAL_SCOPE


def review_scope(expert_user_id: str) -> str:
    return f"review:{expert_user_id}" if expert_user_id else INTERNAL_SCOPE


def comment_scope(author_user_id: str) -> str:
    return f"comment:{author_user_id}" if author_user_id else INTERNAL_SCOPE


class WorkRow(SyncedMixin):
    """Indexes every working table carries, plus its own."""

    extra_indexes: ClassVar[tuple[tuple[str, ...], ...]] = ()

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [Index(f"ix_{name}_scope_seq", "scope", "seq"), Index(f"ix_{name}_seq", "seq")]
        for cols in cls.extra_indexes:
            indexes.append(Index(f"ix_{name}_{'_'.join(cols)}", *cols))
        return tuple(indexes)


class SavedQuery(WorkRow, Base):
    """A query a user saved by name: its dimension path, filters and measures as JSON."""

    __tablename__ = "bgt_saved_query"
    sync_label = "保存的查询"
    extra_indexes = (("owner_id",),)

    owner_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(120))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(400), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return user_scope(values.get("owner_id") or "")


class WarningRule(WorkRow, Base):
    """An early-warning rule's settings: on or off, level, thresholds (edited by budget-committee staff)."""

    __tablename__ = "bgt_warning_rule"
    sync_label = "预警规则"
    sync_write_permissions = (P_BUDGET_RULES,)
    extra_indexes = (("rule",),)

    rule: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(8), default="yellow")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    basis: Mapped[str] = mapped_column(String(400), default="")
    """The law or practice the rule rests on, in words."""

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return INTERNAL_SCOPE


class BudgetWarning(WorkRow, Base):
    """A warning a rule raised: level, reason in words, the records behind it, and where its follow-up is.

    ``warning_key`` is deterministic (rule, year, subject), so running the rules again updates a warning
    instead of raising it twice.
    """

    __tablename__ = "bgt_warning"
    sync_label = "预警"
    sync_write_permissions = (P_BUDGET_WARNING,)
    extra_indexes = (("warning_key",), ("year", "rule"), ("year", "department_code"), ("status",))

    warning_key: Mapped[str] = mapped_column(String(160))
    rule: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    as_of_month: Mapped[int] = mapped_column(Integer, default=12)
    department_code: Mapped[str] = mapped_column(String(20), default="")
    project_code: Mapped[str] = mapped_column(String(40), default="")
    indicator_no: Mapped[str] = mapped_column(String(40), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[float] = mapped_column(Float, default=0.0)
    threshold: Mapped[float] = mapped_column(Float, default=0.0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    trail: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The records behind the warning: ``[{"table": "bgt_payment", "key": "<payment_no>", "label": …}]``."""
    status: Mapped[str] = mapped_column(String(8), default="待处理")
    raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    """False once a later run no longer finds the anomaly (the warning and its trail are kept)."""
    domain: Mapped[str] = mapped_column(String(40), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return domain_scope(values)


class WarningAction(WorkRow, Base):
    """One step of a warning's follow-up: sent to the department, answered, closed, reopened, a note."""

    __tablename__ = "bgt_warning_action"
    sync_label = "预警处理"
    sync_write_permissions = (P_BUDGET_WARNING,)
    extra_indexes = (("warning_key",),)

    warning_key: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(10))  # 发函 / 答复 / 关闭 / 重新打开 / 备注
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64), default="")
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    domain: Mapped[str] = mapped_column(String(40), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return domain_scope(values)


class ReviewPlan(WorkRow, Base):
    """A review plan (审查计划) of a year: which departments and projects to review, by whom."""

    __tablename__ = "bgt_review_plan"
    sync_label = "审查计划"
    sync_write_permissions = (P_BUDGET_PLAN,)
    extra_indexes = (("plan_no",),)

    plan_no: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), default="草稿")  # 草稿 / 已印发 / 已完成
    note: Mapped[str] = mapped_column(Text, default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return INTERNAL_SCOPE


class ReviewItem(WorkRow, Base):
    """A department or project in a review plan, with its risk score and the reasons for it."""

    __tablename__ = "bgt_review_item"
    sync_label = "审查对象"
    sync_write_permissions = (P_BUDGET_PLAN,)
    extra_indexes = (("plan_no",),)

    plan_no: Mapped[str] = mapped_column(String(40))
    target_kind: Mapped[str] = mapped_column(String(10))  # department / project
    target_code: Mapped[str] = mapped_column(String(40))
    target_name: Mapped[str] = mapped_column(String(200), default="")
    department_code: Mapped[str] = mapped_column(String(20), default="")
    risk_score: Mapped[float] = mapped_column(Float, default=0.0)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Each part of the score: ``[{"factor": …, "value": …, "points": …, "text": …}]``."""
    committee: Mapped[str] = mapped_column(String(40), default="")
    expert_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(8), default="待审查")
    domain: Mapped[str] = mapped_column(String(40), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return domain_scope(values)


class Expert(WorkRow, Base):
    """An expert of the expert registry (专家库) with fields of expertise; contacts masked by role."""

    __tablename__ = "bgt_expert"
    sync_label = "专家"
    sync_write_permissions = (P_BUDGET_PLAN,)
    sync_masked: ClassVar[dict[str, MaskRule]] = {"phone": MaskRule("pii.contact", "phone")}

    name: Mapped[str] = mapped_column(String(40))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(String(60), default="")
    fields: Mapped[str] = mapped_column(String(200), default="")
    """Fields of expertise, separated by 、 (e.g. 财政、教育、审计)."""
    phone: Mapped[str] = mapped_column(String(20), default="")
    user_id: Mapped[str] = mapped_column(String(36), default="")
    """The expert's login, when they review in the suite."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return REGISTRY_SCOPE


class ReviewTask(WorkRow, Base):
    """A review task given to an expert (or a committee), with its status and the expert's opinion."""

    __tablename__ = "bgt_review_task"
    sync_label = "审查任务"
    sync_write_permissions = (P_BUDGET_PLAN, P_BUDGET_OPINION)
    extra_indexes = (("task_no",), ("plan_no",))

    task_no: Mapped[str] = mapped_column(String(40))
    plan_no: Mapped[str] = mapped_column(String(40), default="")
    target_kind: Mapped[str] = mapped_column(String(10), default="project")
    target_code: Mapped[str] = mapped_column(String(40), default="")
    target_name: Mapped[str] = mapped_column(String(200), default="")
    expert_id: Mapped[str] = mapped_column(String(36), default="")
    expert_user_id: Mapped[str] = mapped_column(String(36), default="")
    committee: Mapped[str] = mapped_column(String(40), default="")
    brief: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="已分派")
    opinion: Mapped[str] = mapped_column(Text, default="")
    conclusion: Mapped[str] = mapped_column(String(20), default="")  # 同意 / 修改后同意 / 不同意
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return review_scope(values.get("expert_user_id") or "")

    @classmethod
    def sync_refusal(cls, can: Callable[[str], bool], op: str, changes: Mapping[str, Any],
                     current: Mapping[str, Any]) -> str | None:
        from core.budget.platform.fields import refusal  # field rules shared with the platform services

        return refusal(cls.__tablename__, can, op, changes, current)


class Comment(WorkRow, Base):
    """A deputy's comment (代表建言) on a budget item, and the staff's answer."""

    __tablename__ = "bgt_comment"
    sync_label = "代表建言"
    sync_write_permissions = (P_BUDGET_COMMENT,)
    extra_indexes = (("target_kind", "target_code"), ("author_id",))

    author_id: Mapped[str] = mapped_column(String(36))
    author_name: Mapped[str] = mapped_column(String(40), default="")
    year: Mapped[int] = mapped_column(Integer, default=0)
    target_kind: Mapped[str] = mapped_column(String(12))  # book / class / department / project
    target_code: Mapped[str] = mapped_column(String(40))
    target_name: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="待答复")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(64), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return comment_scope(values.get("author_id") or "")

    @classmethod
    def sync_refusal(cls, can: Callable[[str], bool], op: str, changes: Mapping[str, Any],
                     current: Mapping[str, Any]) -> str | None:
        from core.budget.platform.fields import refusal  # field rules shared with the platform services

        return refusal(cls.__tablename__, can, op, changes, current)


class DocumentLink(WorkRow, Base):
    """Ties a document or archive record (``reg_document``) to a budget item, so it is found from the item."""

    __tablename__ = "bgt_document_link"
    sync_label = "文档关联"
    sync_write_permissions = (P_BUDGET_PLAN,)
    extra_indexes = (("document_id",), ("target_kind", "target_code"))

    document_id: Mapped[str] = mapped_column(String(36))
    target_kind: Mapped[str] = mapped_column(String(12))
    target_code: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer, default=0)
    public: Mapped[bool] = mapped_column(Boolean, default=False)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return PUBLIC_SCOPE if values.get("public") else INTERNAL_SCOPE


WORK_MODELS: tuple[type[WorkRow], ...] = (
    SavedQuery, WarningRule, BudgetWarning, WarningAction, ReviewPlan, ReviewItem, Expert, ReviewTask, Comment,
    DocumentLink,
)
"""Working tables in sync order."""
