"""The review plan (智能审查计划): which departments and projects to review first, and why.

Every department and project of a year gets a **transparent** risk score: a sum of whole points from five
factors, each shown with its value, its points and one plain sentence, so a member of staff can tell a
deputy exactly why an item ranks where it does ("3 条红色预警 +30 分"). The score is a sum and nothing
else: the explanation always adds up to it.

Factors and default weights (:class:`ScoreWeights`, all configurable):

- **warnings** — active early warnings of the year: red 10, yellow 5, blue 2 points each, at most 40;
- **growth** — budget growth over last year (last year's projects, else last year's final accounts on the
  same economic codes): 1 point per 2 percentage points above 10 %, at most 20;
- **execution** — execution rate below time progress (序时进度, month m of 12): 1 point per 2 percentage
  points behind, at most 20;
- **audit** — audit findings: 2 per finding, 4 more per finding not yet rectified, 1 per 1,000 万元
  involved, at most 25;
- **size** — the budget's size on a log scale: 2 points per tenfold above 100 万元, at most 10.

Every factor is non-decreasing in its inputs, so adding a warning, a finding or a growth never lowers a
score; ranks are ordered by score, then kind and code, so equal scores rank the same way every time.

The ranked list becomes a review plan (``bgt_review_plan`` with one ``bgt_review_item`` per target, each
carrying its explanation and its special committee), experts are suggested by their fields of expertise,
and review tasks (``bgt_review_task``) are created for the experts with a brief and a due date.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from core.budget.models import AuditFinding, ClassCode, FinalAccount, Indicator, Payment, Project
from core.budget.platform import reading
from core.budget.query.rollup import PaymentRollup, ensure_rollup, uses_rollup
from core.budget.work import WARNING_LEVELS, BudgetWarning, Expert, ReviewItem, ReviewPlan, ReviewTask
from core.models.registry import Department
from core.money import MoneyUnit, format_fen

KINDS: dict[str, str] = {"department": "部门", "project": "项目"}

DOMAIN_FIELDS: dict[str, tuple[str, ...]] = {
    "财经": ("财政", "经济", "金融", "税收", "审计"),
    "教科文卫": ("教育", "科技", "文化", "卫生", "医疗"),
    "城建环保": ("城市建设", "环保", "交通", "住房"),
    "社会建设": ("社会保障", "民政", "就业", "养老"),
    "农业农村": ("农业", "农村", "水利"),
    "监察和司法": ("法律", "司法", "公共安全"),
}
"""Fields of expertise that fit each special committee's domain."""

CLASS_FIELDS: dict[str, tuple[str, ...]] = {
    "201": ("财政", "行政管理"), "204": ("公共安全", "法律"), "205": ("教育",), "206": ("科技",),
    "207": ("文化", "体育"), "208": ("社会保障", "就业"), "210": ("卫生", "医疗"), "211": ("环保",),
    "212": ("城市建设",), "213": ("农业", "水利"), "214": ("交通",), "217": ("金融",), "221": ("住房",),
}
"""Fields of expertise that fit a functional class (类, the first three digits of a code)."""

GENERAL_FIELDS = ("预算", "财政", "审计", "会计")
"""Fields that fit any budget review (matched with less weight than a domain's own fields)."""


@dataclass(frozen=True)
class ScoreWeights:
    """How many points each factor gives; staff may change them, the explanation always shows the result."""

    red: int = 10
    yellow: int = 5
    blue: int = 2
    warnings_cap: int = 40
    growth_free_pct: int = 10
    growth_pct_per_point: int = 2
    growth_cap: int = 20
    execution_pct_per_point: int = 2
    execution_cap: int = 20
    audit_per_finding: int = 2
    audit_per_unrectified: int = 4
    audit_wan_per_point: int = 1000
    audit_cap: int = 25
    size_points_per_tenfold: int = 2
    size_floor_wan: int = 100
    size_cap: int = 10

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


DEFAULT_WEIGHTS = ScoreWeights()


@dataclass
class TargetFacts:
    """What the score is computed from, for one department or project."""

    kind: str
    code: str
    name: str
    department_code: str
    domain: str = ""
    functional_code: str = ""
    warnings: dict[str, int] = field(default_factory=dict)  # level → active warnings
    budget_fen: int = 0
    comparable_fen: int = 0
    """This year's budget on the same basis as ``last_year_fen`` (all of it, or the same economic codes)."""
    last_year_fen: int | None = None
    growth_basis: str = ""
    available_fen: int = 0
    paid_fen: int = 0
    audit_count: int = 0
    audit_unrectified: int = 0
    audit_amount_fen: int = 0


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    value: str
    points: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"factor": self.key, "label": self.label, "value": self.value, "points": self.points,
                "text": self.text}


@dataclass(frozen=True)
class RiskScore:
    kind: str
    code: str
    name: str
    department_code: str
    domain: str
    functional_code: str
    factors: tuple[Factor, ...]

    @property
    def score(self) -> int:
        return sum(f.points for f in self.factors)

    def explanation(self) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self.factors]

    def summary(self) -> str:
        """The factors that gave points, in one line (e.g. "3 条红色预警 +30 分；审计查出问题 1 项 +6 分")."""
        parts = [f.text for f in self.factors if f.points]
        return "；".join(parts) if parts else "各项因素均未加分"


def _pct(numerator: int, denominator: int) -> float:
    return 100.0 * numerator / denominator if denominator else 0.0


def _warnings_factor(facts: TargetFacts, w: ScoreWeights) -> Factor:
    per = {"red": w.red, "yellow": w.yellow, "blue": w.blue}
    raw = sum(per[level] * max(0, facts.warnings.get(level, 0)) for level in per)
    points = min(w.warnings_cap, raw)
    shown = [f"{facts.warnings[lv]} 条{WARNING_LEVELS[lv]}预警" for lv in per if facts.warnings.get(lv)]
    if not shown:
        return Factor("warnings", "预警", "0 条", 0, "无有效预警 +0 分")
    capped = f"（封顶 {w.warnings_cap} 分）" if raw > points else ""
    return Factor("warnings", "预警", "、".join(shown), points, f"{'、'.join(shown)} +{points} 分{capped}")


def _growth_factor(facts: TargetFacts, w: ScoreWeights) -> Factor:
    if not facts.last_year_fen:
        return Factor("growth", "预算增长", "无上年可比数", 0, "无上年可比数据 +0 分")
    growth = _pct(facts.comparable_fen - facts.last_year_fen, facts.last_year_fen)
    over = growth - w.growth_free_pct
    points = min(w.growth_cap, max(0, math.floor(over / w.growth_pct_per_point))) if over > 0 else 0
    return Factor("growth", "预算增长", f"{growth:.1f}%", points,
                  f"比上年{facts.growth_basis}增长 {growth:.1f}%（超过 {w.growth_free_pct}% 的部分计分） +{points} 分")


def _execution_factor(facts: TargetFacts, w: ScoreWeights, month: int) -> Factor:
    if facts.available_fen <= 0:
        return Factor("execution", "执行进度", "无可用指标", 0, "无可用预算指标 +0 分")
    rate = _pct(facts.paid_fen, facts.available_fen)
    progress = 100.0 * month / 12
    gap = progress - rate
    points = min(w.execution_cap, max(0, math.floor(gap / w.execution_pct_per_point))) if gap > 0 else 0
    if gap > 0:
        text = f"执行率 {rate:.1f}%，低于序时进度 {progress:.1f}% 共 {gap:.1f} 个百分点 +{points} 分"
    else:
        text = f"执行率 {rate:.1f}%，不低于序时进度 {progress:.1f}% +0 分"
    return Factor("execution", "执行进度", f"{rate:.1f}%", points, text)


def _audit_factor(facts: TargetFacts, w: ScoreWeights) -> Factor:
    if facts.audit_count <= 0:
        return Factor("audit", "审计问题", "0 项", 0, "无审计查出问题 +0 分")
    wan = facts.audit_amount_fen // 1_000_000  # 1 万元 = 1,000,000 fen
    raw = (w.audit_per_finding * facts.audit_count + w.audit_per_unrectified * facts.audit_unrectified
           + max(0, wan) // w.audit_wan_per_point)
    points = min(w.audit_cap, raw)
    amount = format_fen(facts.audit_amount_fen, MoneyUnit.WAN)
    value = f"{facts.audit_count} 项，未整改 {facts.audit_unrectified} 项"
    return Factor("audit", "审计问题", value, points,
                  f"审计查出问题 {facts.audit_count} 项（未整改 {facts.audit_unrectified} 项），涉及 {amount} +{points} 分")


def _size_factor(facts: TargetFacts, w: ScoreWeights) -> Factor:
    amount = format_fen(facts.budget_fen, MoneyUnit.WAN)
    floor_fen = w.size_floor_wan * 1_000_000
    if facts.budget_fen <= floor_fen:
        return Factor("size", "预算规模", amount, 0, f"预算 {amount} +0 分")
    tenfolds = math.log10(facts.budget_fen / floor_fen)
    points = min(w.size_cap, math.floor(tenfolds * w.size_points_per_tenfold))
    return Factor("size", "预算规模", amount, points, f"预算 {amount} +{points} 分")


def score(facts: TargetFacts, weights: ScoreWeights = DEFAULT_WEIGHTS, month: int = 12) -> RiskScore:
    """The risk score of one target: every factor with its points; the score is their sum."""
    factors = (_warnings_factor(facts, weights), _growth_factor(facts, weights),
               _execution_factor(facts, weights, month), _audit_factor(facts, weights),
               _size_factor(facts, weights))
    return RiskScore(facts.kind, facts.code, facts.name, facts.department_code, facts.domain,
                     facts.functional_code, factors)


def rank_scores(scores: Iterable[RiskScore]) -> list[RiskScore]:
    """Highest score first; ties by kind and code, so the order never depends on how rows were read."""
    return sorted(scores, key=lambda s: (-s.score, s.kind, s.code))


# ------------------------------------------------------------------------------------------ loading facts
def _live(model: Any, year: int) -> Any:
    return and_(model.year == year, model.deleted.is_(False))


def as_of_month(engine: Engine, year: int) -> int:
    """The month execution has reached: the latest month with a payment (12 when there is none)."""
    months = paid_by(engine, year, "month")
    return max((int(m) for m in months if m), default=12)


def paid_by(engine: Engine, year: int, key: str) -> dict[Any, int]:
    """Live payments of ``year`` summed by ``department_code``, ``project_code`` or ``month``.

    On a laptop's SQLite this reads the query layer's payment roll-up (rebuilt first if payments changed), a few
    percent of the payments' rows; elsewhere it groups the payments themselves."""
    if uses_rollup(engine):
        ensure_rollup(engine)
        col = getattr(PaymentRollup, key)
        stmt = (select(col, func.sum(PaymentRollup.amount_fen))
                .where(PaymentRollup.year == year, PaymentRollup.kind == "pay").group_by(col))
    else:
        col = getattr(Payment, key)
        stmt = select(col, func.sum(Payment.amount_fen)).where(_live(Payment, year)).group_by(col)
    with reading(engine) as conn:
        return {c: int(a or 0) for c, a in conn.execute(stmt)}


def load_facts(engine: Engine, year: int, kind: str = "department") -> list[TargetFacts]:
    """The facts of every department (or project) of ``year`` with a budget, read by grouped queries."""
    if kind not in KINDS:
        raise ValueError(f"未知的审查对象类型：{kind}")
    project = kind == "project"
    paid = paid_by(engine, year, "project_code" if project else "department_code")
    with reading(engine) as conn:
        departments = {c: (n, d) for c, n, d in conn.execute(
            select(Department.code, Department.name, Department.domain).where(Department.deleted.is_(False)))}
        projects = list(conn.execute(select(Project.code, Project.name, Project.department_code,
                                            Project.functional_code, Project.economic_code, Project.budget_fen)
                                     .where(_live(Project, year))))
        last_projects = {c: int(b or 0) for c, b in conn.execute(
            select(Project.code, Project.budget_fen).where(_live(Project, year - 1)))}
        finals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for dept, econ, amount in conn.execute(
                select(FinalAccount.department_code, FinalAccount.economic_code, func.sum(FinalAccount.final_fen))
                .where(_live(FinalAccount, year - 1))
                .group_by(FinalAccount.department_code, FinalAccount.economic_code)):
            finals[dept][econ] += int(amount or 0)
        key_w = BudgetWarning.project_code if project else BudgetWarning.department_code
        warnings: dict[str, dict[str, int]] = defaultdict(dict)
        for code, level, n in conn.execute(
                select(key_w, BudgetWarning.level, func.count())
                .where(_live(BudgetWarning, year), BudgetWarning.active.is_(True), key_w != "")
                .group_by(key_w, BudgetWarning.level)):
            warnings[code][level] = int(n)
        key_i = Indicator.project_code if project else Indicator.department_code
        available = {c: int(a or 0) for c, a in conn.execute(
            select(key_i, func.sum(Indicator.amount_fen + Indicator.adjusted_fen + Indicator.carried_over_fen))
            .where(_live(Indicator, year)).group_by(key_i))}
        key_a = AuditFinding.project_code if project else AuditFinding.department_code
        audits: dict[str, tuple[int, int, int]] = {}
        for code, status, n, amount in conn.execute(
                select(key_a, AuditFinding.rectification_status, func.count(), func.sum(AuditFinding.amount_fen))
                .where(_live(AuditFinding, year), key_a != "")
                .group_by(key_a, AuditFinding.rectification_status)):
            c, u, a = audits.get(code, (0, 0, 0))
            audits[code] = (c + int(n), u + (int(n) if status != "已整改" else 0), a + int(amount or 0))

    facts: dict[str, TargetFacts] = {}
    main_class: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, name, dept, fcode, econ, budget in projects:
        budget = int(budget or 0)
        target = code if project else dept
        name_of = name if project else departments.get(dept, (dept, ""))[0]
        f = facts.get(target)
        if f is None:
            f = facts[target] = TargetFacts(kind, target, name_of, dept, departments.get(dept, ("", ""))[1])
        f.budget_fen += budget
        main_class[target][(fcode or "")[:3]] += budget
        if project:
            if code in last_projects:
                f.last_year_fen, f.comparable_fen, f.growth_basis = last_projects[code], budget, "同一项目预算"
                f.functional_code = fcode or ""
        elif econ in finals.get(dept, {}):
            f.comparable_fen += budget
    same_projects: dict[str, list[tuple[int, int]]] = defaultdict(list)  # dept → (this year, last year)
    for code, _name, dept, _f, _e, budget in projects:
        if code in last_projects:
            same_projects[dept].append((int(budget or 0), last_projects[code]))
    for target, f in facts.items():
        if not project:
            if same_projects.get(target):
                f.last_year_fen = sum(last for _this, last in same_projects[target])
                f.comparable_fen = sum(this for this, _last in same_projects[target])
                f.growth_basis = "同口径项目预算"
            elif finals.get(target):
                f.last_year_fen = sum(finals[target].values())
                f.growth_basis = "决算（相同经济分类）"
            classes = main_class[target]
            f.functional_code = max(classes, key=lambda c: (classes[c], c)) if classes else ""
        f.warnings = dict(warnings.get(target, {}))
        f.available_fen = available.get(target, 0)
        f.paid_fen = paid.get(target, 0)
        f.audit_count, f.audit_unrectified, f.audit_amount_fen = audits.get(target, (0, 0, 0))
    return list(facts.values())


def rank(engine: Engine, year: int, kind: str = "department", weights: ScoreWeights = DEFAULT_WEIGHTS,
         month: int | None = None) -> list[RiskScore]:
    """Every department (or project) of ``year`` ranked by risk score, each score explained."""
    m = month if month is not None else as_of_month(engine, year)
    return rank_scores(score(f, weights, m) for f in load_facts(engine, year, kind))


# ------------------------------------------------------------------------------------------ the plan
class PlanError(ValueError):
    """A plan or task request that cannot be carried out; the message is for the user."""


def _next_number(session: Session, column: Any, prefix: str) -> str:
    existing = set(session.scalars(select(column).where(column.like(f"{prefix}%"))))
    n = len(existing) + 1
    while f"{prefix}{n:03d}" in existing:
        n += 1
    return f"{prefix}{n:03d}"


def create_plan(session: Session, year: int, title: str, scores: Sequence[RiskScore], *,
                weights: ScoreWeights = DEFAULT_WEIGHTS, note: str = "") -> ReviewPlan:
    """A draft review plan with one item per selected score, its explanation and its special committee."""
    title = title.strip()
    if not title:
        raise PlanError("请填写审查计划的名称")
    if not scores:
        raise PlanError("请至少选择一个审查对象")
    codes = [(s.kind, s.code) for s in scores]
    if len(set(codes)) != len(codes):
        raise PlanError("同一审查对象不能在计划中出现两次")
    plan = ReviewPlan(plan_no=_next_number(session, ReviewPlan.plan_no, f"SC{year}-"), year=year, title=title,
                      note=note or f"权重：{weights.as_dict()}")
    session.add(plan)
    for s in scores:
        session.add(ReviewItem(plan_no=plan.plan_no, target_kind=s.kind, target_code=s.code, target_name=s.name,
                               department_code=s.department_code, risk_score=float(s.score),
                               explanation=s.explanation(), committee=s.domain, domain=s.domain))
    session.flush()
    return plan


def plan_items(session: Session, plan_no: str) -> list[ReviewItem]:
    return list(session.scalars(select(ReviewItem).where(ReviewItem.plan_no == plan_no,
                                                         ReviewItem.deleted.is_(False))
                                .order_by(ReviewItem.risk_score.desc(), ReviewItem.target_code)))


def wanted_fields(domain: str, functional_code: str) -> tuple[list[str], list[str], list[str]]:
    """Fields that fit an item: its functional class's, its domain's, then the general budget ones."""
    own = list(CLASS_FIELDS.get((functional_code or "")[:3], ()))
    domain_fields = [f for f in DOMAIN_FIELDS.get(domain, ()) if f not in own]
    return own, domain_fields, [f for f in GENERAL_FIELDS if f not in own and f not in domain_fields]


def expert_fields(expert: Expert) -> list[str]:
    return [f.strip() for f in (expert.fields or "").replace(",", "、").replace("，", "、").split("、") if f.strip()]


@dataclass(frozen=True)
class ExpertMatch:
    expert: Expert
    matched: tuple[str, ...]
    points: int


FIELD_POINTS = (4, 2, 1)
"""A field of the item's functional class counts 4, of its committee's domain 2, a general budget field 1."""


def _fits(field_name: str, wanted: list[str]) -> bool:
    return any(field_name in w or w in field_name for w in wanted)


def suggest_experts(session: Session, domain: str, functional_code: str = "", limit: int = 3,
                    busy: dict[str, int] | None = None) -> list[ExpertMatch]:
    """Active experts whose fields fit the item, best first (see :data:`FIELD_POINTS`); among equals the one
    with fewer open tasks, then by name. Staff confirm the suggestion."""
    groups = wanted_fields(domain, functional_code)
    load = busy if busy is not None else open_task_counts(session)
    out: list[ExpertMatch] = []
    for expert in session.scalars(select(Expert).where(Expert.active.is_(True), Expert.deleted.is_(False))):
        matched: list[str] = []
        points = 0
        for name in expert_fields(expert):
            weight = next((w for w, wanted in zip(FIELD_POINTS, groups, strict=True) if _fits(name, wanted)), 0)
            if weight:
                matched.append(name)
                points += weight
        if points:
            out.append(ExpertMatch(expert, tuple(matched), points))
    out.sort(key=lambda m: (-m.points, load.get(m.expert.id, 0), m.expert.name, m.expert.id))
    return out[:limit]


def open_task_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(ReviewTask.expert_id, func.count())
                           .where(ReviewTask.deleted.is_(False), ReviewTask.status.in_(("已分派", "已接受", "已退回")))
                           .group_by(ReviewTask.expert_id))
    return {e: int(n) for e, n in rows}


def assign(session: Session, item: ReviewItem, expert_ids: Sequence[str], committee: str | None = None) -> None:
    """Set an item's experts (confirmed by staff) and, when given, its special committee."""
    experts = {e.id: e for e in session.scalars(select(Expert).where(Expert.id.in_(list(expert_ids))))}
    missing = [i for i in expert_ids if i not in experts or experts[i].deleted or not experts[i].active]
    if missing:
        raise PlanError("所选专家不存在或已停用")
    item.expert_ids = list(dict.fromkeys(expert_ids))
    if committee is not None:
        item.committee = committee.strip()


def suggest_for_plan(session: Session, plan_no: str, per_item: int = 2) -> dict[str, list[ExpertMatch]]:
    """A suggestion for every item of a plan, spreading the load (each pick counts as an open task)."""
    load = open_task_counts(session)
    out: dict[str, list[ExpertMatch]] = {}
    classes = _functional_codes(session, plan_items(session, plan_no))
    for item in plan_items(session, plan_no):
        picks = suggest_experts(session, item.domain, classes.get(item.id, ""), per_item, load)
        for p in picks:
            load[p.expert.id] = load.get(p.expert.id, 0) + 1
        out[item.id] = picks
    return out


def _functional_codes(session: Session, items: Sequence[ReviewItem]) -> dict[str, str]:
    """The main functional code of each item (a project's own, a department's largest by budget)."""
    out: dict[str, str] = {}
    for item in items:
        column = Project.code if item.target_kind == "project" else Project.department_code
        row = session.execute(select(Project.functional_code, func.sum(Project.budget_fen))
                              .where(column == item.target_code, Project.deleted.is_(False))
                              .group_by(Project.functional_code)
                              .order_by(func.sum(Project.budget_fen).desc()).limit(1)).first()
        out[item.id] = row[0] if row else ""
    return out


def class_name(session: Session, year: int, functional_code: str) -> str:
    code = (functional_code or "")[:3]
    return session.scalar(select(ClassCode.name).where(ClassCode.kind == "functional", ClassCode.code == code,
                                                       ClassCode.year == year)) or ""


def brief_for(item: ReviewItem) -> str:
    """The brief an expert receives: what to review and why it ranks high, in plain words."""
    kind = KINDS.get(item.target_kind, item.target_kind)
    reasons = "；".join(str(p.get("text", "")) for p in item.explanation if p.get("points")) or "各项因素均未加分"
    return (f"请审查{kind}“{item.target_name}”（{item.target_code}），风险评分 {item.risk_score:.0f} 分。"
            f"主要原因：{reasons}。请提出审查意见和结论（同意 / 修改后同意 / 不同意）。")


def create_tasks(session: Session, plan_no: str, due_on: date, today: date | None = None) -> list[ReviewTask]:
    """One task per item and assigned expert (a committee task when an item has no expert); once only."""
    if today is not None and due_on < today:
        raise PlanError("截止日期不能早于今天")
    plan = session.scalars(select(ReviewPlan).where(ReviewPlan.plan_no == plan_no,
                                                    ReviewPlan.deleted.is_(False))).first()
    if plan is None:
        raise PlanError("审查计划不存在")
    items = plan_items(session, plan_no)
    if not items:
        raise PlanError("审查计划中没有审查对象")
    if not any(i.expert_ids or i.committee for i in items):
        raise PlanError("请先为审查对象分配专家或专委会")
    existing = {(t.target_kind, t.target_code, t.expert_id, t.committee) for t in session.scalars(
        select(ReviewTask).where(ReviewTask.plan_no == plan_no, ReviewTask.deleted.is_(False)))}
    experts = {e.id: e for e in session.scalars(select(Expert))}
    made: list[ReviewTask] = []
    for item in items:
        targets: list[tuple[Expert | None, str]] = [(experts[i], "") for i in item.expert_ids if i in experts]
        if not targets and item.committee:
            targets = [(None, item.committee)]
        for expert, committee in targets:
            key = (item.target_kind, item.target_code, expert.id if expert else "", committee)
            if key in existing:
                continue
            existing.add(key)
            task = ReviewTask(task_no=_next_number(session, ReviewTask.task_no, f"RW{plan.year}-"),
                              plan_no=plan_no, target_kind=item.target_kind, target_code=item.target_code,
                              target_name=item.target_name, expert_id=expert.id if expert else "",
                              expert_user_id=expert.user_id if expert else "", committee=committee,
                              brief=brief_for(item), due_on=due_on, status="已分派")
            session.add(task)
            session.flush()
            made.append(task)
    if plan.status == "草稿":
        plan.status = "已印发"
    return made


def with_weights(base: ScoreWeights = DEFAULT_WEIGHTS, **changes: int) -> ScoreWeights:
    """Weights with some values changed; negative weights are refused (they would break monotonicity)."""
    bad = [k for k, v in changes.items() if v < 0 or (k.endswith("_per_point") and v == 0)]
    if bad:
        raise PlanError("权重必须是非负整数（分母不能为零）")
    return replace(base, **changes)


# ------------------------------------------------------------------------------------------ views for pages
@dataclass(frozen=True)
class PlanView:
    plan_no: str
    year: int
    title: str
    status: str
    items: int
    tasks: int


@dataclass(frozen=True)
class ItemView:
    id: str
    target_kind: str
    target_code: str
    target_name: str
    risk_score: float
    committee: str
    domain: str
    expert_ids: tuple[str, ...]
    expert_names: tuple[str, ...]
    explanation: tuple[dict[str, Any], ...]


def list_plans(engine: Engine, year: int | None = None) -> list[PlanView]:
    """The review plans, newest number first, with how many items and tasks each has."""
    with reading(engine) as conn, Session(conn) as s:
        q = select(ReviewPlan).where(ReviewPlan.deleted.is_(False))
        if year is not None:
            q = q.where(ReviewPlan.year == year)
        items = dict(s.execute(select(ReviewItem.plan_no, func.count()).where(ReviewItem.deleted.is_(False))
                               .group_by(ReviewItem.plan_no)).all())
        task_counts = dict(s.execute(select(ReviewTask.plan_no, func.count()).where(ReviewTask.deleted.is_(False))
                                     .group_by(ReviewTask.plan_no)).all())
        return [PlanView(p.plan_no, p.year, p.title, p.status, int(items.get(p.plan_no, 0)),
                         int(task_counts.get(p.plan_no, 0)))
                for p in sorted(s.scalars(q), key=lambda p: p.plan_no, reverse=True)]


def plan_view(engine: Engine, plan_no: str) -> list[ItemView]:
    """A plan's items with their experts' names, for showing."""
    with reading(engine) as conn, Session(conn) as s:
        names = {e.id: e.name for e in s.scalars(select(Expert))}
        return [ItemView(i.id, i.target_kind, i.target_code, i.target_name, i.risk_score, i.committee, i.domain,
                         tuple(i.expert_ids or ()), tuple(names.get(e, "?") for e in i.expert_ids or ()),
                         tuple(i.explanation or ()))
                for i in plan_items(s, plan_no)]


def adopt_suggestions(session: Session, plan_no: str, per_item: int = 2) -> int:
    """Assign the suggested experts to every item of a plan that has none yet; returns how many got experts."""
    suggestions = suggest_for_plan(session, plan_no, per_item)
    done = 0
    for item in plan_items(session, plan_no):
        picks = suggestions.get(item.id, [])
        if not item.expert_ids and picks:
            assign(session, item, [p.expert.id for p in picks])
            done += 1
    if not done:
        raise PlanError("没有需要推荐专家的审查对象（都已分配专家，或专家库中没有合适的专家）")
    return done


def set_committee(session: Session, item_id: str, committee: str) -> ReviewItem:
    item = session.get(ReviewItem, item_id)
    if item is None or item.deleted:
        raise PlanError("审查对象不存在")
    item.committee = committee.strip()
    return item
