"""Demonstration data for budget review: ``renda budget demo-data --year Y --payments N``.

What is real and what is made up:

- classification codes come from the shipped **partial** code tables (``resources/data``, source-tagged);
  codes the generator needs but the partial sources lack are added and marked ``generated`` (their names
  follow the Ministry of Finance's table, but no coded public source was found);
- the size of the year follows the **real** Shanghai totals (``resources/data/shanghai_totals.csv``:
  全市一般公共预算支出 and 收入; the nearest year's figures when the requested year is not there);
- department names follow the city's public list of bodies; department codes, units, projects, indicators,
  document numbers, plans, payments, payees, tax, social-insurance, state-asset and audit figures are
  **invented**: every such row has ``generated = True`` and ``source = "演示生成"``.

Anomalies are planted for every early-warning rule of DOMAIN.md; :func:`generate` returns a manifest that says
what was planted where, so the rule tests can check each one. ``anomalies=False`` gives a clean data set.

Bulk rows go in through SQLAlchemy Core in batches, each batch numbered by the sync sequencer
(:func:`core.sync.stamping.allocate_seqs`) in its own short transaction, exactly like every other write.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, Engine, func, insert, select
from sqlalchemy.orm import Session

from core.budget.codes import GENERATED_SOURCE, code_key, codes_of, seed_codes
from core.budget.models import (
    BOOKS,
    AuditFinding,
    BudgetBook,
    BudgetYear,
    ClassCode,
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
from core.demo_data import DEPARTMENTS, shanghai_totals
from core.ids import uuid7, uuid7_batch
from core.models.base import UTCDateTime, utcnow
from core.models.registry import Department
from core.money import yuan_to_fen
from core.sync.stamping import allocate_seqs, ensure_counter

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``."""

ACTOR = "demo"
DEMO_UNIT_MARK = "（演示）"

# More bodies of the city, after core.demo_data.DEPARTMENTS: (name, overseeing special committee).
MORE_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("市市场监督管理局", "财经"), ("市知识产权局", "财经"), ("市政府合作交流办公室", "财经"),
    ("市粮食和物资储备局", "财经"), ("市住房公积金管理中心", "财经"),
    ("市新闻出版局", "教科文卫"), ("市电影局", "教科文卫"), ("市广播电视局", "教科文卫"),
    ("市药品监督管理局", "教科文卫"), ("市社会科学界联合会", "教科文卫"), ("市科学技术协会", "教科文卫"),
    ("市文学艺术界联合会", "教科文卫"), ("市档案局", "教科文卫"), ("市地方志办公室", "教科文卫"),
    ("市城市管理行政执法局", "城建环保"), ("市道路运输管理局", "城建环保"), ("市海洋局", "城建环保"),
    ("市残疾人联合会", "社会建设"), ("市总工会", "社会建设"), ("市妇女联合会", "社会建设"),
    ("共青团上海市委员会", "社会建设"), ("市红十字会", "社会建设"), ("市老龄工作委员会办公室", "社会建设"),
    ("市信访办公室", "社会建设"), ("市人民政府侨务办公室", "社会建设"),
    ("市高级人民法院", "监察和司法"), ("市人民检察院", "监察和司法"), ("市监狱管理局", "监察和司法"),
    ("市戒毒管理局", "监察和司法"),
    ("市林业局", "农业农村"),
    ("市政协办公厅", ""), ("市政府外事办公室", ""), ("市人民政府参事室", ""), ("市机构编制委员会办公室", ""),
    ("市大数据中心", ""), ("市人民防空办公室", ""), ("市人民政府研究室", ""),
)

# Codes the partial tables lack but the demo needs: (code, name, level, parent). Names follow the
# Ministry of Finance's table; no coded public source was found, so they are marked generated.
GENERATED_FUNCTIONAL: tuple[tuple[str, str, str, str], ...] = (
    ("20101", "人大事务", "款", "201"), ("20199", "其他一般公共服务支出", "款", "201"),
    ("20406", "司法", "款", "204"), ("20502", "普通教育", "款", "205"), ("22102", "住房改革支出", "款", "221"),
    ("20601", "科学技术管理事务", "款", "206"), ("2060101", "行政运行", "项", "20601"),
    ("20701", "文化和旅游", "款", "207"), ("2070101", "行政运行", "项", "20701"),
    ("21101", "环境保护管理事务", "款", "211"), ("2110101", "行政运行", "项", "21101"),
    ("21301", "农业农村", "款", "213"), ("2130101", "行政运行", "项", "21301"),
    ("21401", "公路水路运输", "款", "214"), ("2140101", "行政运行", "项", "21401"),
    ("21701", "金融部门行政支出", "款", "217"), ("2170101", "行政运行", "项", "21701"),
)

DOMAIN_FUNCTIONAL: dict[str, tuple[str, ...]] = {
    "财经": ("2010102", "2012902", "2019999", "2170101"),
    "教科文卫": ("2050203", "2100717", "2060101", "2070101"),
    "城建环保": ("2120102", "2120199", "2110101", "2140101"),
    "社会建设": ("2080501", "2080505", "2080901", "2080905", "2210202"),
    "农业农村": ("2130101",),
    "监察和司法": ("2040601",),
    "": ("2010101", "2010102"),
}

THREE_PUBLIC = ("30212", "30217", "30231")
"""三公经费: 因公出国（境）费用, 公务接待费, 公务用车运行维护费."""

ORDINARY_ECONOMIC = ("30201", "30202", "30203", "30205", "30206", "30207", "30209", "30213", "30214", "30215",
                     "30216", "30218", "30226", "30227", "30299", "31002", "31003", "31005", "31006", "31007")
SALARY_ECONOMIC = ("30101", "30102", "30103", "30107", "30108", "30113")

TOPICS = ("信息化建设", "运行维护", "专项业务", "设备购置", "课题研究", "公共服务购买", "宣传培训", "设施修缮",
          "监测评估", "专项补助", "系统升级", "服务外包")
PURPOSES = ("支付合同款", "支付服务费", "支付设备款", "支付工程进度款", "支付维护费", "支付咨询费", "支付印刷费",
            "支付培训费", "支付物业费", "支付水电费", "支付租赁费", "支付专家劳务费")
COMPANY_A = ("华申", "浦江", "申城", "东方", "海纳", "沪联", "长江", "金桥", "新松", "明德", "景和", "星海")
COMPANY_B = ("信息技术", "建设工程", "物业管理", "咨询", "科技", "印务", "设备", "环境工程", "文化传播", "数据服务")
SUSPICIOUS = (("张某某", "购物卡"), ("李某", "礼品采购"), ("王某某", "宴请费用"), ("本单位职工", "发放福利购物卡"),
              ("某某个人账户", "往来款"))
MONTH_PROFILE = (6, 7, 8, 8, 8, 8, 8, 8, 8, 9, 9, 13)
"""Normal spending per month, in percent of the year's execution (a normal, mild December rise)."""
PLANTED_PAYMENTS = 14
"""Payments the anomalies add: 3 without budget, 2 large, 4 cash, 5 suspicious."""
SPIKE_PROFILE = (3, 3, 3, 4, 4, 4, 4, 4, 5, 6, 10, 50)
"""The planted year-end spike: half the year's spending in December."""


@dataclass
class Manifest:
    """What was generated and which anomalies were planted where."""

    year: int
    seed: int
    payments: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    scale: dict[str, Any] = field(default_factory=dict)
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def plant(self, rule: str, level: str, reason: str, **where: Any) -> None:
        self.anomalies.append({"rule": rule, "level": level, "reason": reason, **where})

    def of_rule(self, rule: str) -> list[dict[str, Any]]:
        return [a for a in self.anomalies if a["rule"] == rule]

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)


RULES = ("execution_below_progress", "year_end_spike", "payment_without_budget", "payment_above_budget",
         "large_single_payment", "cash_withdrawal", "suspicious_payee_or_purpose", "idle_funds",
         "large_carry_over", "three_public_growth")
"""The early-warning rules of DOMAIN.md the generator plants anomalies for."""


class DemoDataExists(RuntimeError):
    """The year already holds generated budget data."""


def _base(model: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for col in model.__table__.columns:
        if col.default is not None and not callable(col.default.arg):
            row[col.key] = col.default.arg
    return row


def bulk_insert(engine: Engine, model: Any, rows: Iterable[dict[str, Any]], batch: int = 20_000,
                progress: Callable[[int], None] | None = None) -> int:
    """Insert synced rows through Core, each batch in its own transaction with change numbers from the
    sequencer, scope from the model's rule, version 1, actor and time stamped. Returns the count.

    The next batch is built in a worker thread while the database writes the current one."""
    table = model.__table__
    base = _base(model)
    sqlite = engine.dialect.name == "sqlite"
    now = utcnow()
    stamp: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    it: Iterator[dict[str, Any]] = iter(rows)

    def prepare() -> list[dict[str, Any]]:
        chunk: list[dict[str, Any]] = []
        for values in it:
            chunk.append(values)
            if len(chunk) >= batch:
                break
        if not chunk:
            return chunk
        ids = uuid7_batch(len(chunk))
        out = []
        for i, values in enumerate(chunk):
            row = {**base, **values}
            row.update(id=ids[i], version=1, changed_by=ACTOR, changed_at=stamp, deleted=False, seq=0,
                       generated=True, source=row.get("source") or GENERATED_SOURCE)
            row["scope"] = model.scope_for(row)
            out.append(row)
        if sqlite:
            _to_sqlite(table, out)
        return out

    done = 0
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(prepare)
        while True:
            out = pending.result()
            if not out:
                break
            pending = pool.submit(prepare)
            with Session(engine) as s, s.begin():
                if sqlite:
                    s.connection().exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB while indexes grow
                first = allocate_seqs(s, len(out))
                for i, row in enumerate(out):
                    row["seq"] = first + i
                _execute_rows(s, table, out)
            done += len(out)
            if progress is not None:
                progress(done)
    return done


def _to_sqlite(table: Any, rows: list[dict[str, Any]]) -> None:
    """Values in the form SQLite stores them: ISO dates, UTC timestamp text, 0/1 for booleans."""
    dates = [c.key for c in table.columns if isinstance(c.type, Date) and c.key in rows[0]]
    stamps = [c.key for c in table.columns if isinstance(c.type, UTCDateTime) and c.key in rows[0]]
    flags = [c.key for c in table.columns if isinstance(c.type, Boolean) and c.key in rows[0]]
    for r in rows:
        for key in dates:
            value = r[key]
            if value is not None:
                r[key] = value.isoformat()
        for key in stamps:
            value = r[key]
            if isinstance(value, datetime):
                r[key] = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        for key in flags:
            r[key] = int(r[key])


def _execute_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` the rows with the driver's ``executemany``: the statement is SQLAlchemy Core's, compiled once
    for the dialect, and the values are already in stored form, so SQLAlchemy's per-row processing is skipped."""
    conn = session.connection()
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(rows[0]))
    if compiled.positional:
        names = list(compiled.positiontup or [])
        getter = itemgetter(*names)
        params: list[Any] = [getter(r) if len(names) > 1 else (getter(r),) for r in rows]
    else:
        params = rows
    conn.exec_driver_sql(str(compiled), params)


def _department_rows(engine: Engine, count: int) -> list[dict[str, Any]]:
    """Departments D001…, the demo bodies of core.demo_data first; units under the largest ones fill up to
    ``count`` budget units. Existing rows with the same code are reused."""
    wanted: list[dict[str, Any]] = []
    bodies = list(DEPARTMENTS) + list(MORE_DEPARTMENTS)
    for i, (name, domain) in enumerate(bodies, start=1):
        wanted.append({"code": f"D{i:03d}", "name": name, "parent_code": "", "domain": domain})
    parents = [w for w in wanted if w["domain"]]
    n = 0
    while len(wanted) < count:
        parent = parents[n % len(parents)]
        k = n // len(parents) + 1
        wanted.append({"code": f"{parent['code']}{k:02d}", "name": f"{parent['name']}所属单位{k}{DEMO_UNIT_MARK}",
                       "parent_code": parent["code"], "domain": parent["domain"]})
        n += 1
    wanted = wanted[:max(count, 1)]
    with Session(engine) as s:
        have = {c: (name, domain) for c, name, domain in s.execute(
            select(Department.code, Department.name, Department.domain).where(Department.deleted.is_(False)))}
    for w in wanted:
        if w["code"] in have:
            w["name"], w["domain"] = have[w["code"]]
            w["_exists"] = True
    return wanted


def _insert_departments(engine: Engine, rows: list[dict[str, Any]]) -> int:
    new = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows if not r.get("_exists")]
    if not new:
        return 0
    table: Any = Department.__table__
    now = utcnow()
    with Session(engine) as s, s.begin():
        first = allocate_seqs(s, len(new))
        for i, r in enumerate(new):
            r.update(id=uuid7(), version=1, changed_by=ACTOR, changed_at=now, deleted=False, seq=first + i,
                     scope=Department.scope_for(r))
        s.execute(insert(table), new)
    return len(new)


def _totals(year: int) -> tuple[int, int, str, bool]:
    """(一般公共预算支出 fen, 一般公共预算收入 fen, source tag, exact year?) from the real Shanghai totals."""
    rows = [r for r in shanghai_totals() if r["scope"] == "全市"]
    years = sorted({int(r["year"]) for r in rows})
    use = year if year in years else max([y for y in years if y <= year] or [years[0]])
    pick = {r["indicator"]: r for r in rows if int(r["year"]) == use}
    spend = yuan_to_fen(Decimal(pick["一般公共预算支出"]["value_100m_yuan"]) * 100_000_000)
    revenue = yuan_to_fen(Decimal(pick["一般公共预算收入"]["value_100m_yuan"]) * 100_000_000)
    return spend, revenue, pick["一般公共预算支出"]["source"] + f"（{use}年全市决算）", use == year


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` split in integer parts proportional to ``weights``, summing exactly to ``total``."""
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _codes(engine: Engine, year: int) -> dict[str, int]:
    """Load the partial tables for ``year`` and ``year - 1`` and add the generated codes; Core rows too."""
    added: dict[str, int] = {}
    for y in (year - 1, year):
        with Session(engine) as s:
            have = {k: codes_of(s, k, y) for k in ("functional", "economic", "gov_economic", "revenue")}
        rows: list[dict[str, Any]] = []
        for kind, codes in have.items():
            for c in seed_codes(kind):
                if c.code not in codes:
                    rows.append({"year": y, "kind": kind, "code": c.code, "name": c.name, "level": c.level,
                                 "parent_code": c.parent_code, "source": c.source, "is_partial": True,
                                 "natural_key": code_key(kind, y, c.code), "_real": True})
        for code, name, level, parent in GENERATED_FUNCTIONAL:
            if code not in have["functional"]:
                rows.append({"year": y, "kind": "functional", "code": code, "name": name, "level": level,
                             "parent_code": parent, "source": GENERATED_SOURCE, "is_partial": True,
                             "natural_key": code_key("functional", y, code)})
        real = [{k: v for k, v in r.items() if k != "_real"} for r in rows if r.get("_real")]
        gen = [r for r in rows if not r.get("_real")]
        added[f"codes_{y}"] = _insert_real_codes(engine, real) + bulk_insert(engine, ClassCode, gen)
    return added


def _insert_real_codes(engine: Engine, rows: list[dict[str, Any]]) -> int:
    """Partial-table codes are real (source-tagged), so they go in with ``generated = False``."""
    if not rows:
        return 0
    base = _base(ClassCode)
    now = utcnow()
    with Session(engine) as s, s.begin():
        first = allocate_seqs(s, len(rows))
        out = []
        for i, r in enumerate(rows):
            row = {**base, **r, "id": uuid7(), "version": 1, "changed_by": ACTOR, "changed_at": now,
                   "deleted": False, "seq": first + i, "generated": False}
            row["scope"] = ClassCode.scope_for(row)
            out.append(row)
        table: Any = ClassCode.__table__
        s.execute(insert(table), out)
    return len(rows)


def generate(engine: Engine, year: int, payments: int, *, projects: int = 3000, departments: int = 100,
             seed: int = 20250101, anomalies: bool = True, progress: Progress | None = None) -> Manifest:
    """Generate a year of budget data on ``engine`` (migrated) and return the manifest.

    Refuses (:class:`DemoDataExists`) when the year already holds generated payments.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    manifest = Manifest(year=year, seed=seed)
    with Session(engine) as s, s.begin():
        ensure_counter(s)
        if s.scalar(select(func.count()).select_from(Payment).where(
                Payment.year == year, Payment.generated.is_(True))):
            raise DemoDataExists(f"{year} 年度已有演示数据，未再生成")

    def step(name: str, done: int = 0, total: int = 0) -> None:
        if progress is not None:
            progress(name, done, total)

    def timed(name: str, t0: float) -> None:
        manifest.timings[name] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    step("科目表")
    manifest.counts.update(_codes(engine, year))
    depts = _department_rows(engine, departments)
    manifest.counts["departments_added"] = _insert_departments(engine, depts)
    manifest.counts["departments"] = len(depts)
    timed("codes_departments", t0)

    spend_fen, revenue_fen, source, exact = _totals(year)
    adjusted_fen = spend_fen * 1000 // 986  # the real 2024 execution rate, 98.6% of the adjusted budget
    manifest.scale = {"general_spending_fen": spend_fen, "general_revenue_fen": revenue_fen,
                      "adjusted_budget_fen": adjusted_fen, "source": source, "exact_year": exact}

    # ---------------------------------------------------------------- years and books
    t0 = time.perf_counter()
    bulk_insert(engine, BudgetYear, [{"year": year, "stage": "执行", "natural_key": f"year|{year}",
                                      "note": "演示数据：按上海市真实决算总数缩放生成"}])
    books = [{"year": year, "book": "general", "name": BOOKS["general"], "revenue_fen": revenue_fen,
              "budget_fen": adjusted_fen, "adjusted_fen": adjusted_fen, "executed_fen": spend_fen,
              "source": source, "natural_key": f"book|{year}|general"}]
    for key, share in (("fund", 35), ("soe", 2), ("social", 60)):
        amount = spend_fen * share // 100
        books.append({"year": year, "book": key, "name": BOOKS[key], "revenue_fen": amount, "budget_fen": amount,
                      "adjusted_fen": amount, "executed_fen": amount * 97 // 100, "natural_key": f"book|{year}|{key}"})
    bulk_insert(engine, BudgetBook, books)

    # ---------------------------------------------------------------- projects and indicators
    economic = _usable(engine, year, "economic")
    ordinary = [c for c in ORDINARY_ECONOMIC if c in economic]
    salary = [c for c in SALARY_ECONOMIC if c in economic]
    three = [c for c in THREE_PUBLIC if c in economic]
    functional_ok = _usable(engine, year, "functional")
    units = depts
    # every project pays in each month: fewer projects when N is small, so exactly N payments are made
    fit = max(payments - (PLANTED_PAYMENTS if anomalies else 0), 0) // 12
    n_projects = max(min(projects, fit), len(units) * 2 + 10)
    # 三公经费 projects (each unit's second) are small: a two-hundredth of an ordinary project's weight
    weights = [rng.lognormvariate(0, 1.0) / (200 if len(units) <= i < 2 * len(units) else 1)
               for i in range(n_projects)]
    budgets = _split(adjusted_fen, weights)
    project_rows: list[dict[str, Any]] = []
    for i in range(n_projects):
        unit = units[i % len(units)]
        dept_code = unit["parent_code"] or unit["code"]
        domain = unit["domain"]
        funcs = [c for c in DOMAIN_FUNCTIONAL.get(domain, DOMAIN_FUNCTIONAL[""]) if c in functional_ok]
        if i < len(units):  # every unit's first project: basic spending on salaries
            category, econ, name = "基本支出", rng.choice(salary), "人员经费"
        elif i < 2 * len(units):  # every unit's second project: its 三公经费
            category, econ, name = "三公经费", three[i % len(three)], "三公经费"
        else:
            category, econ, name = "项目支出", rng.choice(ordinary), rng.choice(TOPICS)
        amount = budgets[i]
        project_rows.append({
            "year": year, "code": f"P{year}{i + 1:05d}", "name": f"{unit['name'].removesuffix(DEMO_UNIT_MARK)}{name}",
            "book": "general", "department_code": dept_code, "unit_code": unit["code"] if unit["parent_code"] else "",
            "functional_code": rng.choice(funcs) if funcs else "2010102", "economic_code": econ,
            "category": category, "budget_fen": amount, "natural_key": f"projects|{year}|P{year}{i + 1:05d}",
            "_domain": domain})
    t_proj = time.perf_counter()
    bulk_insert(engine, Project, ({k: v for k, v in p.items() if not k.startswith("_")} for p in project_rows))

    indicators: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for i, p in enumerate(project_rows):
        no = f"ZB{year}{i + 1:05d}"
        adjusted = 0
        if rng.random() < 0.1:
            adjusted = p["budget_fen"] * rng.choice((-5, -3, 3, 5, 8)) // 100
            changes.append({"year": year, "indicator_no": no, "kind": "调增" if adjusted > 0 else "调减",
                            "doc_no": f"沪财预〔{year}〕{500 + i}号{DEMO_UNIT_MARK}",
                            "changed_on": date(year, rng.randint(6, 9), rng.randint(1, 28)), "amount_fen": adjusted,
                            "reason": "预算调整", "domain": p["_domain"],
                            "natural_key": f"indicator_changes|{year}|{no}|沪财预〔{year}〕{500 + i}号{DEMO_UNIT_MARK}"})
        indicators.append({
            "year": year, "indicator_no": no, "doc_no": f"沪财预〔{year}〕{1 + i // 40}号{DEMO_UNIT_MARK}",
            "book": "general", "department_code": p["department_code"], "unit_code": p["unit_code"],
            "project_code": p["code"], "functional_code": p["functional_code"], "economic_code": p["economic_code"],
            "funding_source": "一般公共预算拨款", "issued_on": date(year, 1, rng.randint(1, 3)),
            "amount_fen": p["budget_fen"], "adjusted_fen": adjusted, "carried_over_fen": 0, "carry_forward_fen": 0,
            "domain": p["_domain"], "natural_key": f"indicators|{year}|{no}", "_project": p})
    timed("projects", t_proj)

    # ---------------------------------------------------------------- which rows carry the anomalies
    dept_codes = sorted({p["department_code"] for p in project_rows})
    plain = [d for d in dept_codes if d not in ("D002",)]
    pick = rng.sample(plain, 4) if anomalies and len(plain) >= 4 else []
    slow_dept, spike_dept, three_dept, odd_dept = (pick + [None] * 4)[:4]
    project_items = [ind for ind in indicators if ind["_project"]["category"] == "项目支出"
                     and ind["department_code"] not in pick]
    special = rng.sample(project_items, 3) if anomalies and len(project_items) >= 3 else []
    idle_ind, carry_ind, above_ind = (special + [None] * 3)[:3]

    # execution per indicator and month
    execution: list[tuple[dict[str, Any], list[int]]] = []
    for ind in indicators:
        available = ind["amount_fen"] + ind["adjusted_fen"] + ind["carried_over_fen"]
        rate = Decimal(rng.randint(970, 995)) / 1000
        profile: tuple[int, ...] = MONTH_PROFILE
        dept = ind["department_code"]
        if ind is idle_ind:
            rate = Decimal(0)
        elif ind is carry_ind:
            rate = Decimal("0.25")
            ind["carried_over_fen"] = available // 2
        elif dept == slow_dept:
            rate, profile = Decimal("0.35"), tuple(8 for _ in range(12))
        elif dept == spike_dept:
            profile = SPIKE_PROFILE
        if ind["_project"]["category"] == "三公经费":
            rate = Decimal("1.00")
        spent = int(available * rate)
        if ind is above_ind:
            spent = available * 130 // 100
        execution.append((ind, _split(spent, [float(w) for w in profile]) if spent else [0] * 12))
        ind["carry_forward_fen"] = max(available - spent, 0)

    # ---------------------------------------------------------------- plans and applications
    t_plans = time.perf_counter()
    plans: list[dict[str, Any]] = []
    apps: list[dict[str, Any]] = []
    for ind, months in execution:
        for m, amount in enumerate(months, start=1):
            if not amount:
                continue
            plan_no = f"JH{ind['indicator_no'][2:]}{m:02d}"
            app_no = f"SQ{ind['indicator_no'][2:]}{m:02d}"
            common = {"year": year, "indicator_no": ind["indicator_no"], "department_code": ind["department_code"],
                      "domain": ind["domain"]}
            plans.append({**common, "plan_no": plan_no, "project_code": ind["project_code"], "month": m,
                          "amount_fen": amount, "natural_key": f"plans|{year}|{plan_no}"})
            apps.append({**common, "application_no": app_no, "plan_no": plan_no,
                         "applied_on": date(year, m, 3), "amount_fen": amount, "status": "已支付",
                         "natural_key": f"applications|{year}|{app_no}"})
    step("指标", 0, len(indicators))
    bulk_insert(engine, Indicator, ({k: v for k, v in i.items() if not k.startswith("_")} for i in indicators))
    bulk_insert(engine, IndicatorChange, changes)
    bulk_insert(engine, SpendingPlan, plans)
    bulk_insert(engine, PaymentApplication, apps)
    manifest.counts.update(projects=len(project_rows), indicators=len(indicators), indicator_changes=len(changes),
                           plans=len(plans), applications=len(apps))
    timed("indicators_plans", t_plans)

    # ---------------------------------------------------------------- payments
    t_pay = time.perf_counter()
    planted_count = 0
    normal_target = max(payments - (PLANTED_PAYMENTS if anomalies else 0), 0)
    cells = [(ind, m, amount) for ind, months in execution for m, amount in enumerate(months, start=1) if amount > 0]
    total_spent = sum(c[2] for c in cells) or 1
    # one payment per cell, the rest shared by amount (largest remainder), so the count is exactly the target
    extra = max(normal_target - len(cells), 0)
    shares = [extra * c[2] for c in cells]
    counts = [1 + sh // total_spent for sh in shares]
    left = extra - (sum(counts) - len(cells))
    for idx in sorted(range(len(cells)), key=lambda j: -(shares[j] % total_spent))[:left]:
        counts[idx] += 1
    normal_max = 0
    seqno = 0
    method_pool = ["国库集中支付"] * 85 + ["授权支付"] * 12 + ["公务卡"] * 3

    payees = [a + b + "有限公司" + DEMO_UNIT_MARK for a in COMPANY_A for b in COMPANY_B]
    rand = rng.random

    def normal_payments() -> Iterator[dict[str, Any]]:
        nonlocal normal_max, seqno
        for (ind, m, amount), n in zip(cells, counts, strict=True):
            if n <= 0:
                continue
            parts = _split(amount, [0.7 + 0.6 * rand() for _ in range(n)])
            days = 28 if m == 2 else 30
            app_no = f"SQ{ind['indicator_no'][2:]}{m:02d}"
            common = {"year": year, "application_no": app_no, "month": m, "book": "general",
                      "functional_code": ind["functional_code"], "economic_code": ind["economic_code"],
                      "department_code": ind["department_code"], "unit_code": ind["unit_code"],
                      "project_code": ind["project_code"], "indicator_no": ind["indicator_no"],
                      "domain": ind["domain"]}
            for part in parts:
                seqno += 1
                if part > normal_max:
                    normal_max = part
                pay_no = f"ZF{year}{seqno:08d}"
                first = 4 if m == 1 else 1  # January payments follow the indicators (issued 1–3 January)
                yield {**common, "payment_no": pay_no,
                       "paid_on": date(year, m, first + int(rand() * (days - first + 1))),
                       "payee": payees[int(rand() * len(payees))],
                       "payee_account": f"31{10**13 + int(rand() * 9 * 10**13)}", "amount_fen": part,
                       "method": method_pool[int(rand() * len(method_pool))],
                       "purpose": PURPOSES[int(rand() * len(PURPOSES))],
                       "natural_key": f"payments|{year}|{pay_no}"}

    def report(done: int) -> None:
        step("支付明细", done, payments)

    written = bulk_insert(engine, Payment, normal_payments(), batch=100_000, progress=report)
    manifest.counts["normal_payments"] = written
    manifest.scale["normal_max_payment_fen"] = normal_max
    timed("payments", t_pay)

    # ---------------------------------------------------------------- planted anomalies
    t_plant = time.perf_counter()
    if anomalies:
        planted_count = _plant(engine, manifest, rng, year, indicators, execution, normal_max,
                               slow_dept, spike_dept, three_dept, odd_dept, idle_ind, carry_ind, above_ind, seqno)
    manifest.payments = written + planted_count
    manifest.counts["planted_payments"] = planted_count
    timed("anomalies", t_plant)

    # ---------------------------------------------------------------- last year's 三公 final accounts, bureaus
    t_other = time.perf_counter()
    finals = []
    for ind, months in execution:
        if ind["_project"]["category"] != "三公经费":
            continue
        this_year = sum(months)
        growth = Decimal("1.6") if ind["department_code"] == three_dept else Decimal(rng.randint(950, 1040)) / 1000
        last = int(this_year / growth)
        finals.append({"year": year - 1, "book": "general", "department_code": ind["department_code"],
                       "functional_code": ind["functional_code"], "economic_code": ind["economic_code"],
                       "budget_fen": last, "adjusted_fen": last, "final_fen": last,
                       "natural_key": (f"final_accounts|{year - 1}|general|{ind['department_code']}|"
                                       f"{ind['functional_code']}|{ind['economic_code']}")})
    bulk_insert(engine, FinalAccount, finals)
    manifest.counts["final_accounts"] = len(finals)
    manifest.counts.update(_bureau_figures(engine, rng, year, revenue_fen, dept_codes))
    timed("bureaus", t_other)
    manifest.timings["total"] = round(time.perf_counter() - started, 3)
    step("完成", 1, 1)
    return manifest


def _usable(engine: Engine, year: int, kind: str) -> set[str]:
    with Session(engine) as s:
        return codes_of(s, kind, year)


def _plant(engine: Engine, manifest: Manifest, rng: random.Random, year: int, indicators: list[dict[str, Any]],
           execution: list[tuple[dict[str, Any], list[int]]], normal_max: int, slow_dept: str | None,
           spike_dept: str | None, three_dept: str | None, odd_dept: str | None, idle_ind: dict[str, Any] | None,
           carry_ind: dict[str, Any] | None, above_ind: dict[str, Any] | None, seqno: int) -> int:
    """Add the anomalous payments and record every planted anomaly in the manifest."""
    by_dept: dict[str, list[tuple[dict[str, Any], list[int]]]] = {}
    for ind, months in execution:
        by_dept.setdefault(ind["department_code"], []).append((ind, months))

    def available(ind: dict[str, Any]) -> int:
        return int(ind["amount_fen"] + ind["adjusted_fen"] + ind["carried_over_fen"])

    for dept in (slow_dept, spike_dept):
        if dept is None:
            continue
        budget = sum(available(i) for i, _ in by_dept[dept])
        monthly = [sum(ms[m] for _, ms in by_dept[dept]) for m in range(12)]
        if dept == slow_dept:
            half = sum(monthly[:6])
            manifest.plant("execution_below_progress", "red",
                           f"截至6月执行 {half * 100 // max(budget, 1)}%，序时进度 50%", table="bgt_payment",
                           department_code=dept, as_of_month=6, budget_fen=budget, spent_fen=half)
        else:
            manifest.plant("year_end_spike", "yellow",
                           f"12月支出占全年 {monthly[11] * 100 // max(sum(monthly), 1)}%", table="bgt_payment",
                           department_code=dept, month=12, december_fen=monthly[11], year_fen=sum(monthly))

    rows: list[dict[str, Any]] = []
    base_ind = next(i for i, ms in execution if sum(ms) and i["department_code"] == (odd_dept or i["department_code"]))

    def pay(ind: dict[str, Any] | None, amount: int, **over: Any) -> dict[str, Any]:
        nonlocal seqno
        seqno += 1
        source = ind or base_ind
        pay_no = f"ZF{year}{seqno:08d}"
        row = {"year": year, "payment_no": pay_no, "application_no": "", "paid_on": date(year, 7, 15), "month": 7,
               "payee": "上海浦江建设工程有限公司" + DEMO_UNIT_MARK, "payee_account": "310000000000001",
               "amount_fen": amount, "method": "国库集中支付", "purpose": "支付合同款", "book": "general",
               "functional_code": source["functional_code"], "economic_code": source["economic_code"],
               "department_code": source["department_code"], "unit_code": source["unit_code"],
               "project_code": source["project_code"] if ind else "", "indicator_no": ind["indicator_no"] if ind else "",
               "domain": source["domain"], "natural_key": f"payments|{year}|{pay_no}"}
        row.update(over)
        if "paid_on" in over:
            row["month"] = over["paid_on"].month
        rows.append(row)
        return row

    # payments with no budget: no indicator at all, and an indicator number that does not exist
    unit = max(normal_max // 10, 100_000)
    nobudget = [pay(None, unit * 3), pay(None, unit * 2, paid_on=date(year, 9, 9)),
                pay(None, unit, indicator_no=f"ZB{year}99999", project_code="P-UNKNOWN")]
    manifest.plant("payment_without_budget", "red", "支付没有对应的预算指标（未列入预算不得支出）",
                   table="bgt_payment", payment_nos=[r["payment_no"] for r in nobudget])
    if above_ind is not None:
        manifest.plant("payment_above_budget", "red", "指标的累计支付超过指标金额（超预算支出）",
                       table="bgt_indicator", indicator_no=above_ind["indicator_no"], department_code=above_ind["department_code"],
                       available_fen=available(above_ind), spent_fen=available(above_ind) * 130 // 100)
    large = [pay(base_ind, normal_max * 5, purpose="支付工程款"),
             pay(base_ind, normal_max * 8, purpose="支付设备款", paid_on=date(year, 10, 20))]
    manifest.plant("large_single_payment", "yellow", "单笔支付金额远超同类支付",
                   table="bgt_payment", payment_nos=[r["payment_no"] for r in large], normal_max_fen=normal_max)
    cash = [pay(base_ind, rng.randint(5_000_000, 20_000_000), method="现金", payee="本单位（现金提取）",
                purpose="提取现金", paid_on=date(year, m, 12)) for m in (3, 5, 8, 11)]
    manifest.plant("cash_withdrawal", "yellow", "以现金方式支付或提取现金", table="bgt_payment",
                   payment_nos=[r["payment_no"] for r in cash])
    odd = [pay(base_ind, rng.randint(200_000, 3_000_000), payee=name, purpose=purpose, economic_code="30299",
               paid_on=date(year, rng.randint(1, 12), 18)) for name, purpose in SUSPICIOUS]
    manifest.plant("suspicious_payee_or_purpose", "yellow", "收款人为个人或用途涉及购物卡、礼品、宴请等",
                   table="bgt_payment", payment_nos=[r["payment_no"] for r in odd])
    if idle_ind is not None:
        manifest.plant("idle_funds", "yellow", "指标下达后全年没有支付（资金闲置）", table="bgt_indicator",
                       indicator_no=idle_ind["indicator_no"], department_code=idle_ind["department_code"], issued_on=idle_ind["issued_on"].isoformat(),
                       available_fen=available(idle_ind))
    if carry_ind is not None:
        manifest.plant("large_carry_over", "yellow", "上年结转大、本年执行仅 25%，年末结转结余过大",
                       table="bgt_indicator", indicator_no=carry_ind["indicator_no"], department_code=carry_ind["department_code"],
                       carried_over_fen=carry_ind["carried_over_fen"], carry_forward_fen=carry_ind["carry_forward_fen"])
    if three_dept is not None:
        manifest.plant("three_public_growth", "yellow", "三公经费比上年决算增长 60%", table="bgt_payment",
                       department_code=three_dept, economic_codes=list(THREE_PUBLIC), growth_percent=60,
                       compared_with="bgt_final_account")
    return bulk_insert(engine, Payment, rows)


def _bureau_figures(engine: Engine, rng: random.Random, year: int, revenue_fen: int,
                    dept_codes: list[str]) -> dict[str, int]:
    """Tax revenue by month, social-insurance fund figures, state-asset figures and audit findings."""
    with Session(engine) as s:
        revenue_codes = sorted(c for c in codes_of(s, "revenue", year) if len(c) == 9 and not c.startswith("105"))
        names = dict(s.execute(select(ClassCode.code, ClassCode.name).where(
            ClassCode.kind == "revenue", ClassCode.year == year)).all())
    tax_total = revenue_fen * 80 // 100
    per_code = _split(tax_total, [rng.lognormvariate(0, 1) for _ in revenue_codes])
    tax = []
    for code, amount in zip(revenue_codes, per_code, strict=True):
        for m, part in enumerate(_split(amount, [rng.uniform(0.8, 1.2) for _ in range(12)]), start=1):
            tax.append({"year": year, "month": m, "revenue_code": code, "category": names.get(code, ""),
                        "region": "全市", "amount_fen": part, "natural_key": f"tax|{year}|{m}|{code}|全市"})
    funds = ("企业职工基本养老保险基金", "城乡居民基本养老保险基金", "职工基本医疗保险基金",
             "城乡居民基本医疗保险基金", "失业保险基金", "工伤保险基金")
    items = (("收入", "保险费收入"), ("收入", "财政补贴收入"), ("收入", "利息收入"), ("支出", "社会保险待遇支出"),
             ("支出", "其他支出"))
    social = []
    for fund in funds:
        for direction, item in items:
            for m in range(1, 13):
                amount = rng.randint(10**9, 5 * 10**11)
                social.append({"year": year, "month": m, "fund": fund, "direction": direction, "item": item,
                               "amount_fen": amount, "natural_key": f"social|{year}|{m}|{fund}|{direction}|{item}"})
    assets = []
    for i in range(1, 21):
        entity = f"上海市演示国有企业{i}集团有限公司{DEMO_UNIT_MARK}"
        total = rng.randint(10**12, 10**14)
        for indicator, share in (("资产总额", 100), ("负债总额", 60), ("营业收入", 30), ("利润总额", 3),
                                 ("国有资本收益上缴", 1)):
            assets.append({"year": year, "entity": entity, "category": "企业国有资产", "indicator": indicator,
                           "value_fen": total * share // 100, "natural_key": f"assets|{year}|{entity}|{indicator}"})
    audit = []
    categories = ("预算执行", "政府采购", "资产管理", "项目绩效", "三公经费")
    with Session(engine) as s:
        domains = {c: d for c, d in s.execute(select(Department.code, Department.domain))}
    for i in range(1, 41):
        dept = rng.choice(dept_codes)
        status = rng.choice(("未整改", "整改中", "已整改"))
        amount = rng.randint(100_000, 50_000_000)
        audit.append({"year": year, "finding_no": f"SJ{year}-{i:03d}", "department_code": dept,
                      "category": rng.choice(categories), "title": f"审计发现问题{i}{DEMO_UNIT_MARK}",
                      "description": "演示数据：虚构的审计查出问题", "amount_fen": amount,
                      "rectification_status": status,
                      "rectified_fen": amount if status == "已整改" else (amount // 2 if status == "整改中" else 0),
                      "due_on": date(year, 12, 31) + timedelta(days=90), "domain": domains.get(dept, ""),
                      "natural_key": f"audit|{year}|SJ{year}-{i:03d}"})
    return {"tax_revenue": bulk_insert(engine, TaxRevenue, tax), "social_fund": bulk_insert(engine, SocialFundFigure, social),
            "state_assets": bulk_insert(engine, StateAssetFigure, assets),
            "audit_findings": bulk_insert(engine, AuditFinding, audit)}


def write_manifest(manifest: Manifest, path: Path) -> Path:
    """Save the manifest as UTF-8 JSON."""
    path.write_text(manifest.to_json(), encoding="utf-8")
    return path
