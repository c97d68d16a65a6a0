"""Demonstration working records for the work platforms: experts, deputies, documents, the warnings the
rules raise on the generated year, deputies' comments, and a review plan with tasks. Everything here is invented (names
end in no real person), used by screenshots and the desktop tests.

The standalone demo users are ``staff-1``, ``deputy-1`` / ``deputy-2``, ``expert-1`` / ``expert-2`` and
``committee-1``; their records are created as if each had written them. On a demo server ``users`` maps
these names to the real demo accounts (``expert-1`` → the ``expert`` user's id), so that the expert signed in
there holds his review tasks and the deputy his comments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.budget import review
from core.budget.warnings import run_rules
from core.budget.work import BudgetWarning, Comment, DocumentLink, Expert
from core.models.base import utcnow
from core.models.registry import Department, Deputy, Document

EXPERTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("赵文华", "上海财经大学公共经济与管理学院", "教授", "财政、预算、教育", "expert-1"),
    ("钱立新", "复旦大学公共卫生学院", "研究员", "卫生、医疗、绩效评价", "expert-2"),
    ("孙海燕", "上海市审计学会", "高级审计师", "审计、会计、政府采购", ""),
    ("李国平", "同济大学交通运输工程学院", "教授", "交通、城市建设、工程造价", ""),
    ("周明", "华东政法大学", "副教授", "法律、司法、公共安全", ""),
    ("吴晓兰", "上海社会科学院", "研究员", "社会保障、就业、养老", ""),
    ("郑洁", "上海市注册会计师协会", "注册会计师", "会计、税收、预算", ""),
    ("王振东", "华东师范大学", "教授", "教育、科技、文化", ""),
    ("冯佳", "上海市环境科学研究院", "高级工程师", "环保、水利、农业", ""),
    ("陈思远", "上海交通大学安泰经济与管理学院", "副教授", "金融、经济、国有资产", ""),
)

DEPUTIES: tuple[tuple[str, str, str, str], ...] = (
    ("王建国", "黄浦区代表团", "某区教育局", "教育、财政"),
    ("刘芳", "徐汇区代表团", "某医院", "卫生、医疗"),
    ("张伟", "浦东新区代表团", "某科技公司", "科技、经济"),
    ("陈静", "静安区代表团", "某律师事务所", "法律、社会保障"),
    ("杨帆", "闵行区代表团", "某街道社区", "养老、民政"),
    ("黄磊", "宝山区代表团", "某建设集团", "城市建设、交通"),
    ("林晓", "嘉定区代表团", "某农业合作社", "农业、环保"),
    ("何勇", "长宁区代表团", "某会计师事务所", "审计、会计"),
)

DOCUMENTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("关于2024年上海市预算执行情况的报告", "沪财预〔2024〕12号", "公文", "public",
     "全市一般公共预算支出执行情况良好，教育、卫生健康、社会保障支出保持增长。"),
    ("2024年市级部门预算初审意见", "沪人大预〔2024〕3号", "审查报告", "internal",
     "预工委对部门预算进行了初步审查，建议压减一般性支出，重点关注执行进度偏慢的项目。"),
    ("市教育委员会2024年部门预算", "沪教委财〔2024〕5号", "公文", "public",
     "部门预算收支总表、项目支出表，义务教育经费保障机制资金按因素法分配。"),
    ("2023年度市本级预算执行审计工作报告", "沪审〔2024〕1号", "审计报告", "public",
     "审计发现部分单位预算执行进度偏慢、结转结余资金规模较大、政府采购程序不规范。"),
    ("教科文卫专题审查底稿", "", "档案", "internal",
     "专委会对卫生健康项目绩效目标进行了审查，部分项目绩效指标不够细化。"),
    ("2023年上海市决算报告", "沪财决〔2024〕2号", "决算报告", "public",
     "2023年全市一般公共预算支出决算数，三公经费比上年下降。"),
    ("预算联网监督工作会议纪要", "", "会议材料", "internal",
     "会议研究了预警处理流程，明确红色预警五个工作日内发函。"),
)


@dataclass(frozen=True)
class DemoRecords:
    expert_ids: list[str]
    deputy_ids: list[str]
    document_ids: list[str]
    warnings: int
    plan_no: str


def _departments(s: Session) -> dict[str, tuple[str, str]]:
    return {c: (n, d) for c, n, d in s.execute(select(Department.code, Department.name, Department.domain))}


def _warnings(engine: Engine, year: int) -> int:
    """Run the early-warning rules once, as staff would, unless the year already has warnings."""
    with Session(engine) as s:
        if s.scalar(select(BudgetWarning.id).where(BudgetWarning.year == year).limit(1)) is not None:
            return 0
    return run_rules(engine, year).raised


def seed(engine: Engine, year: int, *, plan: bool = True,
         today: date | None = None, users: Mapping[str, str] | None = None,
         session_factory: Callable[[], Session] | None = None) -> DemoRecords:
    """Add the demo working records to a database that holds a generated year.

    ``users`` maps the standalone user names (``expert-1``, ``deputy-1`` …) to real user ids; on a server,
    ``session_factory`` is the server's, so that the rows are stamped with their scopes and change numbers
    and reach the users' laptops."""
    day = today or date.today()
    who = dict(users or {})
    make = session_factory or (lambda: Session(engine))

    def user(name: str) -> str:
        return who.get(name, name) if name else ""

    with make() as s, s.begin():
        experts = [Expert(name=n, organisation=o, title=t, fields=f, phone=f"1390000{i:04d}", user_id=user(u))
                   for i, (n, o, t, f, u) in enumerate(EXPERTS, start=1)]
        deputies = [Deputy(name=n, delegation=dl, organisation=o, expertise=e, phone=f"1380000{i:04d}",
                           id_number=f"31010119700101{i:04d}") for i, (n, dl, o, e) in enumerate(DEPUTIES, start=1)]
        documents = [Document(title=t, doc_no=no, kind=k, classification=c, year=year, body=b,
                              domain="教科文卫" if "教科文卫" in t else "") for t, no, k, c, b in DOCUMENTS]
        s.add_all([*experts, *deputies, *documents])
        s.flush()
        ids = ([e.id for e in experts], [d.id for d in deputies], [d.id for d in documents])
    warnings = _warnings(engine, year)
    plan_no = ""
    top = review.rank(engine, year)  # before the write below: ranking may refresh the payment roll-up
    with make() as s, s.begin():
        depts = _departments(s)
        education = next((c for c, (n, _d) in depts.items() if n == "市教育委员会"), "")
        if education:
            for doc_id in (ids[2][2], ids[2][4]):
                doc = s.get(Document, doc_id)
                assert doc is not None
                s.add(DocumentLink(document_id=doc_id, target_kind="department", target_code=education, year=year,
                                   public=doc.classification == "public"))
        s.add(DocumentLink(document_id=ids[2][0], target_kind="book", target_code="general", year=year, public=True))
        by_name = [(c, n) for c, (n, _d) in depts.items()]
        first = top[0] if top else None
        s.add(Comment(author_id=user("deputy-1"), author_name="王建国", year=year, target_kind="book", target_code="general",
                      target_name="一般公共预算", body="建议进一步提高教育经费使用效益，公开义务教育项目绩效目标。",
                      status="已答复", answer="已转市财政局和市教委研究，将在部门预算公开中细化绩效目标。",
                      answered_by="预工委工作人员", answered_at=utcnow()))
        if first is not None:
            s.add(Comment(author_id=user("deputy-1"), author_name="王建国", year=year, target_kind="department",
                          target_code=first.code, target_name=first.name,
                          body=f"{first.name}执行进度明显偏慢，建议说明原因并提出加快执行的措施。"))
        if by_name:
            s.add(Comment(author_id=user("deputy-2"), author_name="刘芳", year=year, target_kind="class", target_code="210",
                          target_name="卫生健康支出", body="建议关注公共卫生项目的资金闲置问题。"))
        if plan and top:
            made = review.create_plan(s, year, f"{year}年度部门预算重点审查计划", top[:5])
            plan_no = made.plan_no
            for item, picks in review.suggest_for_plan(s, plan_no).items():
                row = next(i for i in review.plan_items(s, plan_no) if i.id == item)
                review.assign(s, row, [p.expert.id for p in picks])
            tasks = review.create_tasks(s, plan_no, day + timedelta(days=20))
            mine = [t for t in tasks if t.expert_user_id == user("expert-1")]
            if mine:
                mine[0].status = "已接受"
            if len(mine) > 1:
                mine[1].status, mine[1].conclusion = "已提交", "修改后同意"
                mine[1].opinion = "项目绩效目标不够细化，建议压减一般性支出后同意。"
                mine[1].submitted_at = utcnow()
            if len(mine) > 2:
                mine[2].due_on = day - timedelta(days=3)
    return DemoRecords(*ids, warnings=warnings, plan_no=plan_no)

