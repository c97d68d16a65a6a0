"""Demonstration data for `renda demo` and the screenshots: departments, deputies and documents.

Department names follow the city's public list of bureaus; their codes, all people, phone and ID numbers
are invented and marked as such. Totals come from the real Shanghai final accounts shipped in
``resources/data/shanghai_totals.csv``.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.models.registry import Department, Deputy, Document
from core.money import yuan_to_fen

DEMO_MARK = "【演示数据】"

# (name, overseeing special committee)
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("市发展和改革委员会", "财经"), ("市财政局", "财经"), ("市审计局", "财经"), ("市税务局", "财经"),
    ("市国有资产监督管理委员会", "财经"), ("市统计局", "财经"), ("市经济和信息化委员会", "财经"),
    ("市商务委员会", "财经"), ("市地方金融管理局", "财经"),
    ("市教育委员会", "教科文卫"), ("市科学技术委员会", "教科文卫"), ("市卫生健康委员会", "教科文卫"),
    ("市文化和旅游局", "教科文卫"), ("市体育局", "教科文卫"), ("市医疗保障局", "教科文卫"),
    ("市住房和城乡建设管理委员会", "城建环保"), ("市交通委员会", "城建环保"), ("市生态环境局", "城建环保"),
    ("市规划和自然资源局", "城建环保"), ("市水务局", "城建环保"), ("市绿化和市容管理局", "城建环保"),
    ("市房屋管理局", "城建环保"),
    ("市民政局", "社会建设"), ("市人力资源和社会保障局", "社会建设"), ("市退役军人事务局", "社会建设"),
    ("市民族和宗教事务局", "社会建设"), ("市应急管理局", "社会建设"),
    ("市农业农村委员会", "农业农村"),
    ("市公安局", "监察和司法"), ("市司法局", "监察和司法"),
    ("市人大常委会办公厅", ""), ("市政府办公厅", ""), ("市机关事务管理局", ""),
)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
_GIVEN = "建国伟强敏静丽军磊洋艳勇杰娟涛明超秀霞平刚桂英华文斌玉兰志红海燕晓东宏云飞"
_DELEGATIONS = ("黄浦区代表团", "徐汇区代表团", "长宁区代表团", "静安区代表团", "普陀区代表团", "虹口区代表团",
                "杨浦区代表团", "浦东新区代表团", "闵行区代表团", "宝山区代表团", "嘉定区代表团", "金山区代表团",
                "松江区代表团", "青浦区代表团", "奉贤区代表团", "崇明区代表团", "解放军代表团")
_EXPERTISE = ("财政预算", "审计", "教育", "医疗卫生", "城市建设", "生态环境", "社会保障", "科技创新", "法律", "农业")


def shanghai_totals() -> list[dict[str, Any]]:
    """Rows of the real Shanghai totals table (亿元), as shipped in resources/data."""
    text = resources.files("resources").joinpath("data/shanghai_totals.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _fake_id_number(rng: random.Random) -> str:
    body = f"3101{rng.randint(1, 20):02d}{rng.randint(1955, 1985)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def seed(factory: sessionmaker[Session], deputies: int = 40, seed_value: int = 2024) -> dict[str, int]:
    """Add the demonstration records once (does nothing when departments already exist)."""
    rng = random.Random(seed_value)
    with factory() as s, s.begin():
        s.info["actor"] = "demo"
        if s.execute(select(func.count()).select_from(Department)).scalar_one():
            return {"departments": 0, "deputies": 0, "documents": 0}
        for i, (name, domain) in enumerate(DEPARTMENTS, start=1):
            s.add(Department(code=f"D{i:03d}", name=name, domain=domain))
        for _ in range(deputies):
            name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
            s.add(Deputy(name=name, gender=rng.choice("男女"), delegation=rng.choice(_DELEGATIONS),
                         organisation=f"{DEMO_MARK}虚构单位", expertise=rng.choice(_EXPERTISE),
                         phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
                         id_number=_fake_id_number(rng)))
        docs = _documents()
        for doc in docs:
            s.add(doc)
    return {"departments": len(DEPARTMENTS), "deputies": deputies, "documents": len(docs)}


def _documents() -> list[Document]:
    out = []
    for row in shanghai_totals():
        if row["scope"] == "全市" and row["indicator"] == "一般公共预算支出":
            year = int(row["year"])
            amount = yuan_to_fen(Decimal(row["value_100m_yuan"]) * 100_000_000)
            out.append(Document(
                title=f"上海市{year}年全市一般公共预算支出决算", doc_no=f"决算{year}", kind="决算报告",
                classification="public", year=year, amount_fen=amount,
                body=f"全市一般公共预算支出 {row['value_100m_yuan']} 亿元，{row['remark']}（来源：{row['source']}，真实数据）"))
    out += [
        Document(title=f"{DEMO_MARK}2025年市级预算初步审查意见（征求意见稿）", kind="审查材料",
                 classification="internal", year=2025),
        Document(title=f"{DEMO_MARK}教育经费执行情况专题调研底稿", kind="工作底稿", classification="internal",
                 domain="教科文卫", year=2025),
        Document(title=f"{DEMO_MARK}轨道交通建设项目绩效评价材料", kind="审查材料", classification="internal",
                 domain="城建环保", year=2025),
        Document(title=f"{DEMO_MARK}社会保险基金预算执行分析", kind="审查材料", classification="internal",
                 domain="社会建设", year=2025),
        Document(title=f"{DEMO_MARK}关于2025年预算执行情况的公告", kind="公文", classification="public", year=2025),
    ]
    return out
