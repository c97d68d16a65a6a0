"""The reference data a new installation starts with: categories, receiving bodies and routing rules.

An administrator edits all of it afterwards (the tables are synced); :func:`seed_reference` only adds
what is missing, so running it again never overwrites an administrator's change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.petition.districts import DISTRICTS
from core.petition.models import PetBody, PetCategory, PetRoutingRule

# Two-level taxonomy: first level code → (name, [(second level code, name), …]).
CATEGORIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("01", "立法工作", (("0101", "地方性法规制定与修改建议"), ("0102", "法规实施问题"),
                    ("0103", "规范性文件备案审查建议"))),
    ("02", "监督工作", (("0201", "对政府工作的意见"), ("0202", "预算和国有资产监督"),
                    ("0203", "执法检查相关问题"))),
    ("03", "司法与诉讼", (("0301", "不服法院裁判"), ("0302", "检察监督"), ("0303", "执行问题"))),
    ("04", "城乡建设与住房", (("0401", "旧区改造与征收补偿"), ("0402", "物业管理"), ("0403", "住房保障"),
                       ("0404", "城市管理与市容"))),
    ("05", "劳动与社会保障", (("0501", "劳动关系与工资"), ("0502", "社会保险"), ("0503", "退休待遇"))),
    ("06", "教育科技文化卫生", (("0601", "教育"), ("0602", "医疗卫生"), ("0603", "文化与体育"))),
    ("07", "生态环境", (("0701", "噪声"), ("0702", "大气与水污染"), ("0703", "垃圾分类"))),
    ("08", "交通与公共设施", (("0801", "道路交通"), ("0802", "公共交通"), ("0803", "停车"))),
    ("09", "农业农村", (("0901", "土地承包与宅基地"), ("0902", "农村集体经济"))),
    ("10", "民政与社会事务", (("1001", "养老服务"), ("1002", "社会救助"), ("1003", "婚姻与收养"))),
    ("11", "检举控告", (("1101", "对国家工作人员的检举控告"), ("1102", "对人大代表的意见"))),
    ("12", "人大代表与选举", (("1201", "代表履职"), ("1202", "选举事务"))),
    ("99", "其他", (("9901", "其他事项"),)),
)


@dataclass(frozen=True)
class BodySeed:
    code: str
    name: str
    kind: str
    district_code: str = ""
    exchange_system: str = ""


COMMITTEES: tuple[BodySeed, ...] = (
    BodySeed("fzw", "法制委员会", "committee"),
    BodySeed("cjw", "财政经济委员会", "committee"),
    BodySeed("jkww", "教育科学文化卫生委员会", "committee"),
    BodySeed("cjhb", "城市建设环境保护委员会", "committee"),
    BodySeed("nyw", "农业与农村委员会", "committee"),
    BodySeed("nsw", "内务司法委员会", "committee"),
    BodySeed("hqmz", "华侨民族宗教事务委员会", "committee"),
    BodySeed("shjs", "社会建设委员会", "committee"),
    BodySeed("jcw", "监察和司法委员会", "committee"),
    BodySeed("fgw", "法制工作委员会", "working_body"),
    BodySeed("ysgw", "预算工作委员会", "working_body"),
    BodySeed("dbgw", "代表工作委员会", "working_body"),
)
STATE_BODIES: tuple[BodySeed, ...] = (
    BodySeed("szf", "上海市人民政府（市信访办）", "government", exchange_system="SH-GOV-XF"),
    BodySeed("gy", "上海市高级人民法院", "court", exchange_system="SH-COURT-XF"),
    BodySeed("jcy", "上海市人民检察院", "procuratorate", exchange_system="SH-PROC-XF"),
    BodySeed("jw", "上海市监察委员会", "supervision", exchange_system="SH-JW-XF"),
)
DISTRICT_CONGRESSES: tuple[BodySeed, ...] = tuple(
    BodySeed(f"qrd{code}", f"{name}人大常委会", "district_congress", code, exchange_system=f"SH-{code}-RD")
    for code, name in DISTRICTS)
BODIES = (*COMMITTEES, *STATE_BODIES, *DISTRICT_CONGRESSES)

# First-level category → (body code, route) proposed; a district congress when the matter is local.
ROUTING: tuple[tuple[str, str, str], ...] = (
    ("01", "fgw", "交办"), ("02", "cjw", "交办"), ("0202", "ysgw", "交办"), ("03", "gy", "转送"),
    ("0302", "jcy", "转送"), ("04", "szf", "转送"), ("05", "szf", "转送"), ("06", "jkww", "交办"),
    ("07", "cjhb", "交办"), ("08", "szf", "转送"), ("09", "nyw", "交办"), ("10", "shjs", "交办"),
    ("11", "jw", "转送"), ("12", "dbgw", "交办"), ("99", "szf", "转送"),
)
LOCAL_FIRST_LEVELS = ("04", "07", "08", "09", "10")
"""Matters of a district (housing, environment, traffic, villages, social affairs) go to its congress."""


def seed_reference(session: Session) -> int:
    """Add the categories, bodies and routing rules that are missing; returns how many rows were added."""
    added = 0
    have_categories = set(session.scalars(select(PetCategory.code)))
    for position, (code, name, children) in enumerate(CATEGORIES):
        if code not in have_categories:
            session.add(PetCategory(code=code, parent_code="", name=name, position=position))
            added += 1
        for sub_position, (sub_code, sub_name) in enumerate(children):
            if sub_code not in have_categories:
                session.add(PetCategory(code=sub_code, parent_code=code, name=sub_name, position=sub_position))
                added += 1
    have_bodies = set(session.scalars(select(PetBody.code)))
    for body in BODIES:
        if body.code not in have_bodies:
            session.add(PetBody(code=body.code, name=body.name, kind=body.kind, district_code=body.district_code,
                                exchange_system=body.exchange_system))
            added += 1
    have_rules = {(c, d) for c, d in session.execute(select(PetRoutingRule.category_code,
                                                             PetRoutingRule.district_code))}
    wanted = [(category, "", body, route, 0) for category, body, route in ROUTING]
    wanted += [(category, code, f"qrd{code}", "转送", 10) for category in LOCAL_FIRST_LEVELS for code, _ in DISTRICTS]
    for category, district, body_code, route, priority in wanted:
        if (category, district) not in have_rules:
            session.add(PetRoutingRule(category_code=category, district_code=district, body_code=body_code,
                                       route=route, priority=priority))
            added += 1
    return added


def category_names(session: Session) -> dict[str, str]:
    """Category code → "first level / second level" name, for lists and reports."""
    rows = [(c, p, n) for c, p, n in session.execute(
        select(PetCategory.code, PetCategory.parent_code, PetCategory.name).where(PetCategory.deleted.is_(False)))]
    names = {code: name for code, _parent, name in rows}
    return {code: (f"{names.get(parent, parent)} / {name}" if parent else name) for code, parent, name in rows}


def propose_body(rules: list[PetRoutingRule], category_code: str, district_code: str) -> PetRoutingRule | None:
    """The routing rule that fits best: second-level category before first, a district's rule before any
    district's, then the higher priority. None when no rule fits (the clerk chooses)."""
    first_level = category_code[:2]
    best: tuple[int, int, int] | None = None
    chosen: PetRoutingRule | None = None
    for rule in rules:
        if rule.deleted or rule.category_code not in (category_code, first_level):
            continue
        if rule.district_code and rule.district_code != district_code:
            continue
        rank = (len(rule.category_code), 1 if rule.district_code else 0, rule.priority)
        if best is None or rank > best:
            best, chosen = rank, rule
    return chosen
