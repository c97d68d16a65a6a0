"""The files each bureau sends: their columns, natural keys and the table they fill.

Column headers are the Chinese headers of the templates in ``resources/budget``. Amounts are in yuan with at
most two decimals and are stored as integer fen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.budget.models import (
    AuditFinding,
    BudgetRow,
    ClassCode,
    ClassCodeMap,
    FinalAccount,
    Indicator,
    IndicatorChange,
    Payment,
    PaymentApplication,
    Project,
    SocialFundFigure,
    SpendingPlan,
    StateAssetFigure,
    TaxRevenue,
)


@dataclass(frozen=True)
class Column:
    """One column of a template.

    ``kind``: ``text`` | ``fen`` (yuan → fen) | ``year`` | ``month`` (1–12) | ``month0`` (0 = whole year, 1–12)
    | ``date`` | ``codekind`` (科目类别) | ``book`` (预算类型) | ``dept`` (a department code in the registry) | ``code:<kind>``
    (a code of the row's year in that code table) | ``choice`` | ``indicator`` (an indicator of the row's year, already
    imported).

    ``signed``: a ``fen`` column that may hold negative amounts (adjustments, balances). Every other amount
    must be zero or more.
    """

    header: str
    attr: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    hint: str = ""
    signed: bool = False


@dataclass(frozen=True)
class FileSpec:
    """A bureau's file: which table it fills, its columns and the columns that identify a row."""

    kind: str
    title: str
    bureau: str
    model: type[BudgetRow]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    totals: bool = False
    """The file may carry a last row whose first cell is “合计”: its amounts must equal the column sums."""
    derived: dict[str, str] = field(default_factory=dict)
    """Attributes filled from other columns: ``month`` from ``paid_on``; ``domain`` from ``department_code``, or
    from the indicator's domain when the value is ``indicator_no`` (indicator changes carry no department)."""
    fixed: dict[str, object] = field(default_factory=dict)
    """Attributes every imported row gets, e.g. ``is_partial = False`` for the Ministry's code table."""
    replaces_seed: bool = False
    """A row with the same key that did not come from an import (seeded or generated) is replaced, not refused."""
    signs: tuple[str, str, dict[str, int]] | None = None
    """(choice attribute, amount attribute, sign of each choice): the amount's sign must agree with the row's
    type, e.g. an indicator change of type 调减 carries a negative amount."""

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


YEAR = Column("年度", "year", "year", hint="四位数年份，例如 2025")
BOOK = Column("预算类型", "book", "book", required=False,
              hint="一般公共预算 / 政府性基金预算 / 国有资本经营预算 / 社会保险基金预算，空白按一般公共预算")
DEPT = Column("部门编码", "department_code", "dept", hint="系统“部门单位”中的部门编码")

SPECS: dict[str, FileSpec] = {s.kind: s for s in (
    FileSpec("codes", "政府收支分类科目", "市财政局（转发财政部科目表）", ClassCode, (
        YEAR,
        Column("科目类别", "kind", "codekind",
               hint="支出功能分类 / 部门预算支出经济分类 / 政府预算支出经济分类 / 收入分类"),
        Column("科目代码", "code"),
        Column("科目名称", "name"),
        Column("级次", "level", "choice", required=False, choices=("类", "款", "项", "目")),
        Column("上级代码", "parent_code", required=False),
    ), key=("year", "kind", "code"), fixed={"is_partial": False}, replaces_seed=True),
    FileSpec("code_map", "科目年度对照", "市财政局（转发财政部科目表）", ClassCodeMap, (
        Column("年度", "year", "year", hint="新科目所在的年度"),
        Column("科目类别", "kind", "codekind",
               hint="支出功能分类 / 部门预算支出经济分类 / 政府预算支出经济分类 / 收入分类"),
        Column("原年度", "from_year", "year"),
        Column("原科目代码", "from_code"),
        Column("新科目代码", "to_code"),
        Column("说明", "note", required=False),
    ), key=("year", "kind", "from_year", "from_code")),
    FileSpec("projects", "预算项目", "市财政局", Project, (
        YEAR,
        Column("项目编码", "code"),
        Column("项目名称", "name"),
        BOOK,
        DEPT,
        Column("单位编码", "unit_code", required=False),
        Column("功能科目", "functional_code", "code:functional", hint="支出功能分类科目代码（类款项）"),
        Column("经济科目", "economic_code", "code:economic", required=False, hint="部门预算支出经济分类代码"),
        Column("项目类别", "category", required=False, hint="基本支出 / 项目支出 / 三公经费 等"),
        Column("预算金额（元）", "budget_fen", "fen"),
    ), key=("year", "code"), totals=True),
    FileSpec("indicators", "预算指标", "市财政局", Indicator, (
        YEAR,
        Column("指标编号", "indicator_no"),
        Column("指标文号", "doc_no", hint="下达指标的文件文号"),
        BOOK,
        DEPT,
        Column("单位编码", "unit_code", required=False),
        Column("项目编码", "project_code", required=False),
        Column("功能科目", "functional_code", "code:functional", hint="支出功能分类科目代码（类款项）"),
        Column("经济科目", "economic_code", "code:economic", required=False, hint="部门预算支出经济分类代码"),
        Column("资金来源", "funding_source", required=False),
        Column("下达日期", "issued_on", "date"),
        Column("指标金额（元）", "amount_fen", "fen"),
        Column("调整金额（元）", "adjusted_fen", "fen", required=False, hint="调增为正，调减为负", signed=True),
        Column("上年结转（元）", "carried_over_fen", "fen", required=False),
    ), key=("year", "indicator_no"), totals=True, derived={"domain": "department_code"}),
    FileSpec("indicator_changes", "指标调整", "市财政局", IndicatorChange, (
        YEAR,
        Column("指标编号", "indicator_no", "indicator", hint="已导入的本年度预算指标编号"),
        Column("调整文号", "doc_no", hint="调整指标的文件文号；同一指标每个文号一行"),
        Column("调整类型", "kind", "choice", choices=("调增", "调减", "结转", "收回")),
        Column("调整日期", "changed_on", "date"),
        Column("调整金额（元）", "amount_fen", "fen", hint="调增、结转为正，调减、收回为负", signed=True),
        Column("调整原因", "reason", required=False),
    ), key=("year", "indicator_no", "doc_no"), totals=True, derived={"domain": "indicator_no"},
        signs=("kind", "amount_fen", {"调增": 1, "结转": 1, "调减": -1, "收回": -1})),
    FileSpec("plans", "用款计划", "市财政局", SpendingPlan, (
        YEAR,
        Column("计划编号", "plan_no"),
        Column("指标编号", "indicator_no"),
        DEPT,
        Column("项目编码", "project_code", required=False),
        Column("月份", "month", "month"),
        Column("计划金额（元）", "amount_fen", "fen"),
    ), key=("year", "plan_no"), totals=True, derived={"domain": "department_code"}),
    FileSpec("applications", "用款申请", "市财政局", PaymentApplication, (
        YEAR,
        Column("申请编号", "application_no"),
        Column("计划编号", "plan_no", required=False),
        Column("指标编号", "indicator_no"),
        DEPT,
        Column("申请日期", "applied_on", "date"),
        Column("申请金额（元）", "amount_fen", "fen"),
        Column("状态", "status", "choice", choices=("已支付", "审核中", "已退回", "已撤销")),
    ), key=("year", "application_no"), totals=True, derived={"domain": "department_code"}),
    FileSpec("payments", "支付明细", "市财政局", Payment, (
        YEAR,
        Column("支付编号", "payment_no"),
        Column("支付申请号", "application_no", required=False),
        Column("支付日期", "paid_on", "date"),
        Column("收款人", "payee"),
        Column("收款账号", "payee_account", required=False),
        Column("支付金额（元）", "amount_fen", "fen"),
        Column("支付方式", "method", "choice", choices=("国库集中支付", "授权支付", "公务卡", "现金")),
        Column("用途", "purpose"),
        BOOK,
        Column("功能科目", "functional_code", "code:functional"),
        Column("经济科目", "economic_code", "code:economic", required=False),
        DEPT,
        Column("单位编码", "unit_code", required=False),
        Column("项目编码", "project_code", required=False),
        Column("指标编号", "indicator_no", required=False),
    ), key=("year", "payment_no"), totals=True,
        derived={"domain": "department_code", "month": "paid_on"}),
    FileSpec("final_accounts", "决算", "市财政局", FinalAccount, (
        Column("年度", "year", "year", hint="决算所属年度，例如 2024"),
        BOOK,
        Column("部门编码", "department_code", "dept", required=False, hint="系统“部门单位”中的部门编码；全市汇总行留空"),
        Column("功能科目", "functional_code", "code:functional", required=False, hint="支出功能分类科目代码"),
        Column("经济科目", "economic_code", "code:economic", required=False, hint="部门预算支出经济分类代码"),
        Column("年初预算（元）", "budget_fen", "fen", required=False),
        Column("调整预算（元）", "adjusted_fen", "fen", required=False),
        Column("决算数（元）", "final_fen", "fen"),
    ), key=("year", "book", "department_code", "functional_code", "economic_code"), totals=True),
    FileSpec("tax", "税收收入（分月）", "市税务局", TaxRevenue, (
        YEAR,
        Column("月份", "month", "month"),
        Column("收入科目", "revenue_code", "code:revenue", hint="收入分类科目代码"),
        Column("税种名称", "category"),
        Column("区域", "region", required=False),
        Column("收入金额（元）", "amount_fen", "fen"),
    ), key=("year", "month", "revenue_code", "region"), totals=True),
    FileSpec("social", "社会保险基金收支", "市人力资源和社会保障局", SocialFundFigure, (
        YEAR,
        Column("月份", "month", "month0", hint="0 表示全年，1–12 表示月份"),
        Column("基金名称", "fund"),
        Column("收支", "direction", "choice", choices=("收入", "支出")),
        Column("项目", "item"),
        Column("金额（元）", "amount_fen", "fen", hint="收支结余可为负数", signed=True),
    ), key=("year", "month", "fund", "direction", "item"), totals=True),
    FileSpec("assets", "国有资产情况", "市国有资产监督管理委员会", StateAssetFigure, (
        YEAR,
        Column("单位或企业", "entity"),
        Column("类别", "category", "choice", choices=("企业国有资产", "行政事业性国有资产", "金融企业国有资产",
                                                    "国有自然资源")),
        Column("指标", "indicator"),
        Column("金额（元）", "value_fen", "fen"),
    ), key=("year", "entity", "indicator")),
    FileSpec("audit", "审计查出问题及整改", "市审计局", AuditFinding, (
        YEAR,
        Column("问题编号", "finding_no"),
        DEPT,
        Column("项目编码", "project_code", required=False),
        Column("问题类别", "category"),
        Column("问题摘要", "title"),
        Column("问题描述", "description", required=False),
        Column("涉及金额（元）", "amount_fen", "fen", required=False),
        Column("整改状态", "rectification_status", "choice", choices=("未整改", "整改中", "已整改")),
        Column("已整改金额（元）", "rectified_fen", "fen", required=False),
        Column("整改说明", "rectification_note", required=False),
        Column("整改期限", "due_on", "date", required=False),
    ), key=("year", "finding_no"), derived={"domain": "department_code"}),
)}
"""Every importable file, by kind."""
