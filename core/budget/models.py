"""Data model of budget review and online supervision (预算联网监督).

Every table syncs (UUIDv7 id, version, change number, scope). Scopes:

- published budget data (years, books, code tables, projects, tax revenue, social-insurance fund figures,
  state-owned-asset figures, final accounts) → ``public``;
- execution detail (indicators, spending plans, payment applications, payments) and audit findings →
  ``committee:<domain>`` of the department's overseeing special committee, or ``budget.internal``
  when the department has no committee;
- working papers (import log) → ``budget.internal``.

Departments and their units reuse :class:`core.models.registry.Department` (``reg_department``; a unit is a
department row whose ``parent_code`` is its department). Rows refer to each other by natural codes and
numbers (department code, project code, indicator document number …), so rows sync in any order.
Amounts are integer fen. Rows created by the demo generator carry ``generated = True``; imported rows
carry the import's ``natural_key`` and a content hash ``row_hash`` so a re-import changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.auth.roles import P_BUDGET_DATA
from core.models.base import Base, SyncedMixin
from core.models.registry import INTERNAL_SCOPE, PUBLIC_SCOPE, committee_scope

BOOKS: dict[str, str] = {
    "general": "一般公共预算",
    "fund": "政府性基金预算",
    "soe": "国有资本经营预算",
    "social": "社会保险基金预算",
}
"""The four budget books (四本预算): key → Chinese name."""

CODE_KINDS: dict[str, str] = {
    "functional": "支出功能分类",
    "economic": "部门预算支出经济分类",
    "gov_economic": "政府预算支出经济分类",
    "revenue": "收入分类",
}
"""Kinds of classification code tables, each kept per year."""

PAYMENT_METHODS = ("国库集中支付", "授权支付", "公务卡", "现金")


def domain_scope(values: dict[str, Any]) -> str:
    """``committee:<domain>`` when the row belongs to a special committee's domain, else ``budget.internal``."""
    domain = values.get("domain") or ""
    return committee_scope(domain) if domain else INTERNAL_SCOPE


class BudgetRow(SyncedMixin):
    """Columns every budget row carries: the year, where it came from, and the import key and hash."""

    year: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(80), default="")
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    natural_key: Mapped[str] = mapped_column(String(160), default="")
    row_hash: Mapped[str] = mapped_column(String(64), default="")

    extra_indexes: tuple[tuple[str, ...], ...] = ()
    sync_write_permissions = (P_BUDGET_DATA,)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [Index(f"ix_{name}_scope_seq", "scope", "seq"), Index(f"ix_{name}_seq", "seq"),
                   Index(f"ix_{name}_natural_key", "natural_key")]
        for cols in cls.extra_indexes:
            indexes.append(Index(f"ix_{name}_{'_'.join(cols)}", *cols))
        return tuple(indexes)


class PublicRow(BudgetRow):
    """A row of published budget data, visible to everyone (``public``)."""

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return PUBLIC_SCOPE


class DomainRow(BudgetRow):
    """A row of a special committee's domain (``committee:<domain>``), else ``budget.internal``."""

    domain: Mapped[str] = mapped_column(String(40), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return domain_scope(values)


class BudgetYear(PublicRow, Base):
    """A budget year and its stage (编制 / 执行 / 决算)."""

    __tablename__ = "bgt_year"
    sync_label = "预算年度"

    stage: Mapped[str] = mapped_column(String(10), default="执行")
    note: Mapped[str] = mapped_column(Text, default="")


class BudgetBook(PublicRow, Base):
    """One of the four books of a year with its totals (fen): budget, adjusted budget, executed."""

    __tablename__ = "bgt_book"
    sync_label = "预算账本"

    book: Mapped[str] = mapped_column(String(10))  # key of BOOKS
    name: Mapped[str] = mapped_column(String(40))
    revenue_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    budget_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    adjusted_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    executed_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ClassCode(PublicRow, Base):
    """A code of one year's classification table (功能 / 经济 / 政府经济 / 收入分类).

    ``is_partial`` marks rows from the partial public sources (``source`` holds their tags, e.g. "F2;F3");
    ``generated`` marks codes the demo generator had to add; imported Ministry of Finance tables carry
    ``is_partial = False``.
    """

    __tablename__ = "bgt_class_code"
    sync_label = "分类科目"
    extra_indexes = (("kind", "year", "code"),)

    kind: Mapped[str] = mapped_column(String(16))  # key of CODE_KINDS
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(4), default="")  # 类 / 款 / 项 / 目
    parent_code: Mapped[str] = mapped_column(String(16), default="")
    is_partial: Mapped[bool] = mapped_column(Boolean, default=True)


class ClassCodeMap(PublicRow, Base):
    """How a code of one year's table maps to the next year's (科目对照); ``year`` is the target year."""

    __tablename__ = "bgt_class_code_map"
    sync_label = "科目年度对照"
    extra_indexes = (("kind", "from_year", "from_code"),)

    kind: Mapped[str] = mapped_column(String(16))
    from_year: Mapped[int] = mapped_column(Integer)
    from_code: Mapped[str] = mapped_column(String(16))
    to_code: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")


class Project(PublicRow, Base):
    """A budget project (项目) of a department, on a functional and an economic code."""

    __tablename__ = "bgt_project"
    sync_label = "预算项目"
    extra_indexes = (("year", "department_code"), ("year", "code"), ("year", "functional_code"))

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    book: Mapped[str] = mapped_column(String(10), default="general")
    department_code: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str] = mapped_column(String(20), default="")
    functional_code: Mapped[str] = mapped_column(String(16), default="")
    economic_code: Mapped[str] = mapped_column(String(16), default="")
    category: Mapped[str] = mapped_column(String(20), default="")  # 基本支出 / 项目支出 / 三公经费 …
    budget_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class Indicator(DomainRow, Base):
    """A budget indicator (预算指标) issued by a document, with its adjustments and carry-over (fen)."""

    __tablename__ = "bgt_indicator"
    sync_label = "预算指标"
    extra_indexes = (("year", "department_code"), ("year", "project_code"), ("year", "functional_code"),
                     ("indicator_no",))

    indicator_no: Mapped[str] = mapped_column(String(40))
    doc_no: Mapped[str] = mapped_column(String(80), default="")
    book: Mapped[str] = mapped_column(String(10), default="general")
    department_code: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str] = mapped_column(String(20), default="")
    project_code: Mapped[str] = mapped_column(String(40), default="")
    functional_code: Mapped[str] = mapped_column(String(16), default="")
    economic_code: Mapped[str] = mapped_column(String(16), default="")
    funding_source: Mapped[str] = mapped_column(String(40), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    adjusted_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    carried_over_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    """Carried over from last year (结转) into this indicator."""
    carry_forward_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    """Left unspent at year end and carried forward (结转结余)."""


class IndicatorChange(DomainRow, Base):
    """One event in an indicator's life: adjustment (调增 / 调减), allocation, carry-over."""

    __tablename__ = "bgt_indicator_change"
    sync_label = "指标调整"
    extra_indexes = (("indicator_no",),)

    indicator_no: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))  # 调增 / 调减 / 结转 / 收回
    doc_no: Mapped[str] = mapped_column(String(80), default="")
    changed_on: Mapped[date | None] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(String(200), default="")


class SpendingPlan(DomainRow, Base):
    """A monthly spending plan (用款计划) against an indicator."""

    __tablename__ = "bgt_plan"
    sync_label = "用款计划"
    extra_indexes = (("year", "department_code"), ("indicator_no",), ("year", "month"))

    plan_no: Mapped[str] = mapped_column(String(40))
    indicator_no: Mapped[str] = mapped_column(String(40))
    department_code: Mapped[str] = mapped_column(String(20))
    project_code: Mapped[str] = mapped_column(String(40), default="")
    month: Mapped[int] = mapped_column(Integer, default=0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class PaymentApplication(DomainRow, Base):
    """A payment application (支付申请) against a plan and indicator."""

    __tablename__ = "bgt_payment_application"
    sync_label = "支付申请"
    extra_indexes = (("year", "department_code"), ("indicator_no",))

    application_no: Mapped[str] = mapped_column(String(40))
    plan_no: Mapped[str] = mapped_column(String(40), default="")
    indicator_no: Mapped[str] = mapped_column(String(40))
    department_code: Mapped[str] = mapped_column(String(20))
    applied_on: Mapped[date | None] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(10), default="已支付")


class Payment(DomainRow, Base):
    """A single payment (资金拨付): when, to whom, how much, how and for what, on which codes and indicator."""

    __tablename__ = "bgt_payment"
    sync_label = "支付明细"
    extra_indexes = (("year", "department_code", "month"), ("year", "project_code"), ("indicator_no",),
                     ("year", "functional_code"), ("year", "month"), ("year", "economic_code"), ("year", "payee"))

    payment_no: Mapped[str] = mapped_column(String(40))
    application_no: Mapped[str] = mapped_column(String(40), default="")
    paid_on: Mapped[date] = mapped_column(Date)
    month: Mapped[int] = mapped_column(Integer)
    payee: Mapped[str] = mapped_column(String(120))
    payee_account: Mapped[str] = mapped_column(String(40), default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(12), default="国库集中支付")
    purpose: Mapped[str] = mapped_column(String(200), default="")
    book: Mapped[str] = mapped_column(String(10), default="general")
    functional_code: Mapped[str] = mapped_column(String(16), default="")
    economic_code: Mapped[str] = mapped_column(String(16), default="")
    department_code: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str] = mapped_column(String(20), default="")
    project_code: Mapped[str] = mapped_column(String(40), default="")
    indicator_no: Mapped[str] = mapped_column(String(40), default="")


class TaxRevenue(PublicRow, Base):
    """Tax revenue (税收收入) of one revenue code and month (fen)."""

    __tablename__ = "bgt_tax_revenue"
    sync_label = "税收收入"
    extra_indexes = (("year", "month"), ("year", "revenue_code"))

    month: Mapped[int] = mapped_column(Integer)
    revenue_code: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(80), default="")
    region: Mapped[str] = mapped_column(String(40), default="全市")
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class SocialFundFigure(PublicRow, Base):
    """Social-insurance fund income or spending (社会保险基金收支) of one fund, item and month (0 = year)."""

    __tablename__ = "bgt_social_fund"
    sync_label = "社保基金收支"
    extra_indexes = (("year", "fund"),)

    month: Mapped[int] = mapped_column(Integer, default=0)
    fund: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(4))  # 收入 / 支出
    item: Mapped[str] = mapped_column(String(80))
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class StateAssetFigure(PublicRow, Base):
    """A state-owned-asset figure (国有资产): enterprise or category, indicator, value (fen)."""

    __tablename__ = "bgt_state_asset"
    sync_label = "国有资产"
    extra_indexes = (("year", "entity"),)

    entity: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40), default="")  # 企业国资 / 行政事业 / 金融 / 自然资源
    indicator: Mapped[str] = mapped_column(String(60))
    value_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class AuditFinding(DomainRow, Base):
    """An audit finding (审计查出问题) and its rectification (整改)."""

    __tablename__ = "bgt_audit_finding"
    sync_label = "审计查出问题"
    extra_indexes = (("year", "department_code"), ("year", "project_code"))

    finding_no: Mapped[str] = mapped_column(String(40))
    department_code: Mapped[str] = mapped_column(String(20))
    project_code: Mapped[str] = mapped_column(String(40), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    rectification_status: Mapped[str] = mapped_column(String(10), default="未整改")  # 未整改 / 整改中 / 已整改
    rectified_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    rectification_note: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)


class FinalAccount(PublicRow, Base):
    """A final-account line (决算): book, department and codes, with budget, adjusted budget and final amount."""

    __tablename__ = "bgt_final_account"
    sync_label = "决算"
    extra_indexes = (("year", "department_code"), ("year", "functional_code"))

    book: Mapped[str] = mapped_column(String(10), default="general")
    department_code: Mapped[str] = mapped_column(String(20), default="")
    functional_code: Mapped[str] = mapped_column(String(16), default="")
    economic_code: Mapped[str] = mapped_column(String(16), default="")
    budget_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    adjusted_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    final_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ImportLog(BudgetRow, Base):
    """A working paper: one import of a bureau's file, what it held and what it changed."""

    __tablename__ = "bgt_import_log"
    sync_label = "导入记录"

    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return INTERNAL_SCOPE


SYNCED_MODELS: tuple[type[BudgetRow], ...] = (
    BudgetYear, BudgetBook, ClassCode, ClassCodeMap, Project, Indicator, IndicatorChange, SpendingPlan,
    PaymentApplication, Payment, TaxRevenue, SocialFundFigure, StateAssetFigure, AuditFinding, FinalAccount,
    ImportLog,
)
"""Budget tables in sync order."""

