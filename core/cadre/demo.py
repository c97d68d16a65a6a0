"""Invented retired cadres for demonstrations and the benchmark, each marked 【演示数据】 in the note.

Names are drawn from common surnames and given names, births from 1926 to 1966, a fifth keeping the lunar
birthday, a tenth about to retire (with the statutory date), some deceased; with categories, party branches
and their office holders, hardship aid, activities with sign-up and attendance, and yearly check-ups.
Written through the ORM in one transaction (server hooks stamp the rows when installed).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.cadre.models import (
    CadActivity,
    CadActivityEntry,
    CadAid,
    CadBranch,
    CadBranchMember,
    CadBranchOffice,
    CadCategory,
    CadCheckup,
    CadPerson,
    CadPersonCategory,
)
from core.cadre.retirement import category_for, retirement

MARK = "【演示数据】"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国华英秀文明军平志伟强芳丽敏静涛勇杰娟红霞春兰玉梅德福海峰林云辉庆松涛宏斌鹏晓燕"
CATEGORIES = (("LX", "离休干部"), ("TX", "退休干部"), ("LD", "原市人大常委会领导"), ("ZJ", "即将离退休人员"))
UNITS = ("市人大常委会办公厅", "市人大常委会研究室", "法制工作委员会", "财政经济委员会", "教育科学文化卫生委员会",
         "城市建设环境保护委员会", "机关服务中心")


class DemoDataExists(RuntimeError):
    """The database already holds demonstration people."""


@dataclass(frozen=True)
class DemoResult:
    people: int
    branches: int
    aid: int
    activities: int
    checkups: int


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def generate(session: Session, people: int, today: date, seed: int = 12) -> DemoResult:
    if session.scalar(select(func.count()).select_from(CadPerson).where(CadPerson.note.startswith(MARK))):
        raise DemoDataExists("数据库中已有演示人员，不再重复生成")
    rng = random.Random(seed)
    for position, (code, name) in enumerate(CATEGORIES):
        if session.scalar(select(CadCategory.id).where(CadCategory.code == code)) is None:
            session.add(CadCategory(code=code, name=name, position=position))
    branches = [CadBranch(name=f"第{n}党支部", note=MARK) for n in range(1, max(2, people // 150) + 1)]
    session.add_all(branches)
    activities = [CadActivity(title=title, held_on=today - timedelta(days=d), state="done", note=MARK)
                  for title, d in (("重阳登高", 40), ("迎春茶话会", 300), ("书画展", 200), ("健康讲座", 90))]
    session.add_all(activities)
    session.flush()
    persons: list[CadPerson] = []
    for n in range(people):
        upcoming = n % 10 == 0
        gender = rng.choice("男男女")
        if upcoming:
            birth = date(rng.randint(1965, 1967) if gender == "男" else rng.randint(1970, 1972), rng.randint(1, 12),
                         rng.randint(1, 28))
        else:
            birth = date(rng.randint(1926, 1962), rng.randint(1, 12), rng.randint(1, 28))
        dead = not upcoming and rng.random() < 0.08
        person = CadPerson(name=_name(rng), gender=gender, birth_date=birth, birthday_lunar=rng.random() < 0.2,
                           stage="upcoming" if upcoming else "retired",
                           retirement_kind="" if upcoming else ("离休" if birth.year < 1931 else "退休"),
                           former_unit=rng.choice(UNITS), phone_mobile=f"139{rng.randint(0, 99_999_999):08d}",
                           party_date=birth + timedelta(days=365 * rng.randint(20, 30)) if rng.random() < 0.8 else None,
                           work_start_date=birth + timedelta(days=365 * rng.randint(18, 24)),
                           alive=not dead, died_on=today - timedelta(days=rng.randint(1, 1800)) if dead else None,
                           note=f"{MARK}虚构人员")
        if upcoming:
            due = retirement(category_for(gender), birth)
            person.retirement_due_on, person.retirement_delay_months = due.on, due.delay_months
        persons.append(person)
    session.add_all(persons)
    session.flush()
    aid = checkups = 0
    for n, person in enumerate(persons):
        code = "ZJ" if person.stage == "upcoming" else ("LX" if person.retirement_kind == "离休" else "TX")
        session.add(CadPersonCategory(person_id=person.id, category_code=code))
        branch = branches[n % len(branches)]
        session.add(CadBranchMember(person_id=person.id, branch_id=branch.id, joined_on=date(2015, 1, 1)))
        if n < len(branches):
            session.add(CadBranchOffice(person_id=person.id, branch_id=branch.id, office="书记",
                                        term_start=date(2023, 1, 1)))
        if rng.random() < 0.05:
            state = rng.choice(("applied", "approved", "paid", "paid", "refused"))
            session.add(CadAid(person_id=person.id, applied_on=today - timedelta(days=rng.randint(1, 700)),
                               reason="大病医疗困难", requested_fen=300000, state=state,
                               approved_fen=200000 if state in ("approved", "paid") else 0, note=MARK))
            aid += 1
        if person.alive and rng.random() < 0.3:
            session.add(CadActivityEntry(person_id=person.id, activity_id=rng.choice(activities).id,
                                         attended=rng.random() < 0.8))
        if person.alive and rng.random() < 0.5:
            session.add(CadCheckup(person_id=person.id, year=today.year, arranged_on=today - timedelta(days=60),
                                   hospital="华东医院", conclusion="未见明显异常"))
            checkups += 1
    session.flush()
    return DemoResult(len(persons), len(branches), aid, len(activities), checkups)
