"""Demonstration data for letters and visits: ``renda petition demo-data --cases N``.

Cases over the two years up to a day (default: today) across every category, district, channel and state,
each with a legal history: the actions of :mod:`core.petition.workflow` that lead to its state, with their
articles, in order. About one case in twenty repeats an earlier case of the same person (``repeat_of``
and a ``repeat`` link), one in thirty is a collective petition (five persons or more), answered cases are
mostly rated.

The people are invented and marked: every petitioner's note is 【演示数据】 and so is the end of every
case's content; names are drawn from common surnames and given names, phones are ``1380000xxxx``, ID
numbers have a valid check digit but a birth sequence no real register issues (9xx). Subjects and contents
are written from templates per category, with the district's streets.

Everything goes in through SQLAlchemy Core in **one transaction**, the rows numbered by the sync sequencer
(:func:`core.sync.stamping.allocate_seqs`) exactly like every other synced write, so clients pull them.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Date, Engine, func, insert, select
from sqlalchemy.orm import Session

from core.ids import uuid7_batch
from core.models.base import UTCDateTime, utcnow
from core.petition.districts import DISTRICTS
from core.petition.models import (
    COLLECTIVE_THRESHOLD,
    KINDS,
    PetCase,
    PetCaseLink,
    PetPetitioner,
    PetTransition,
)
from core.petition.reference import CATEGORIES, LOCAL_FIRST_LEVELS, ROUTING, seed_reference
from core.petition.workflow import ACTION_BY_KEY
from core.sync.stamping import allocate_seqs, ensure_counter

DEMO_MARK = "【演示数据】"
ACTOR = "demo"
Progress = Callable[[str, int, int], None]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢傅钟"
GIVEN = ("建国", "秀英", "伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "超", "秀兰", "霞", "平", "刚", "桂英", "志强", "文华", "海燕", "国华", "玉兰", "德明", "美华", "建华", "慧")
STREETS = {
    "310101": ("南京东路街道", "外滩街道", "豫园街道"), "310104": ("天平路街道", "湖南路街道", "徐家汇街道"),
    "310105": ("华阳路街道", "新华路街道", "仙霞新村街道"), "310106": ("南京西路街道", "彭浦新村街道", "临汾路街道"),
    "310107": ("长寿路街道", "曹杨新村街道", "真如镇街道"), "310109": ("四川北路街道", "欧阳路街道", "江湾镇街道"),
    "310110": ("五角场街道", "控江路街道", "殷行街道"), "310112": ("莘庄镇", "七宝镇", "江川路街道"),
    "310113": ("吴淞街道", "大场镇", "顾村镇"), "310114": ("新成路街道", "南翔镇", "安亭镇"),
    "310115": ("陆家嘴街道", "张江镇", "川沙新镇"), "310116": ("石化街道", "朱泾镇", "枫泾镇"),
    "310117": ("岳阳街道", "九亭镇", "泗泾镇"), "310118": ("夏阳街道", "朱家角镇", "赵巷镇"),
    "310120": ("南桥镇", "奉城镇", "庄行镇"), "310151": ("城桥镇", "堡镇", "陈家镇"),
}
ROADS = ("长乐路", "建国路", "复兴路", "延安路", "中山路", "淮海路", "共和新路", "武宁路", "大连路", "沪太路",
         "浦东大道", "人民路", "解放路", "和平路", "光明路")

TOPICS: dict[str, tuple[tuple[str, str], ...]] = {
    "01": (("建议修改{city}物业管理条例中维修资金的规定", "维修资金使用表决门槛过高，老旧小区难以启动，建议修改条例降低比例。"),
           ("关于制定电动自行车管理法规的建议", "电动自行车数量多、充电难，建议尽快制定地方性法规，规范停放和充电。")),
    "02": (("对{district}财政资金使用情况的意见", "街道公共服务项目资金使用不透明，希望人大加强预算监督。"),
           ("反映执法检查中发现的养老机构问题", "执法检查时提到的养老机构消防隐患至今未整改，请求督促落实。")),
    "03": (("不服法院民事判决申请监督", "本人与{road}某公司劳务纠纷一案，判决认定事实不清，请求依法监督。"),
           ("申请执行案件长期未执行到位", "胜诉判决已生效两年，被执行人仍未履行，请求督促法院执行。")),
    "04": (("{street}旧区改造征收补偿标准不公", "{road}地块征收补偿款低于同区域标准，与征收部门多次协商未果。"),
           ("小区物业服务质量差要求更换物业", "{street}某小区物业长期不履职，电梯故障、绿化无人管理，业委会无法换聘。"),
           ("小区加装电梯补贴发放问题", "本小区于去年完成加装电梯，按规定应发放补贴，至今未到账。"),
           ("申请公共租赁住房长期未获审核", "本人符合住房保障条件，申请材料已提交一年，仍无审核结果。"),
           ("{road}沿街违法搭建影响通行", "沿街商铺违法搭建雨棚占用人行道，城管多次处理后又恢复。")),
    "05": (("公司拖欠工资三个月", "本人在{district}某餐饮公司工作，公司已拖欠三个月工资共计两万余元。"),
           ("社保缴费年限认定有误", "本人早年在国营工厂的工龄未计入社保缴费年限，影响退休待遇。"),
           ("退休金计算有误申请复核", "退休后养老金核定金额与测算不符，请求重新核算。")),
    "06": (("学区划分调整影响孩子入学", "{street}学区划分调整后，孩子须到三公里外的学校就读。"),
           ("社区卫生服务中心配药不便", "慢性病常用药在社区医院经常缺货，老人需跑大医院配药。"),
           ("社区文体活动场地被挪作他用", "原有的居民活动室被改为仓库，老人没有活动场所。")),
    "07": (("{road}夜间施工噪声扰民", "{road}工地长期夜间施工，噪声严重影响居民休息，投诉后仍未停止。"),
           ("餐饮油烟污染影响居民生活", "楼下餐饮店油烟直排，居民无法开窗。"),
           ("河道黑臭水体治理不到位", "{street}附近河道夏季发臭，整治后又反弹。"),
           ("垃圾分类投放点设置不合理", "垃圾箱房设在居民楼窗下，气味大、蚊蝇多，要求移位。")),
    "08": (("{road}路口交通信号灯设置不合理", "该路口行人绿灯时间过短，老人过马路困难，存在安全隐患。"),
           ("公交线路调整后出行不便", "{street}的公交线路撤销后，居民到地铁站需步行二十分钟。"),
           ("老旧小区停车难问题", "小区车位严重不足，车辆停在消防通道，请求协调周边停车资源。")),
    "09": (("宅基地翻建审批问题", "{street}村民申请宅基地翻建多年未获审批。"),
           ("农村集体经济收益分配不公开", "村集体资产出租收益分配情况从未公开，村民有异议。")),
    "10": (("社区养老服务站点不足", "{street}老年人口多，日间照料中心名额不够，申请扩建。"),
           ("低保申请被拒请求复核", "家庭收入低于标准却未通过低保审核，请求复核。"),
           ("婚姻登记信息有误无法更正", "婚姻登记档案中姓名有误，多次申请更正未果。")),
    "11": (("检举街道工作人员违规收费", "{street}工作人员办理证明时收取费用，请求调查。"),
           ("对某人大代表履职情况的意见", "本选区代表长期未联系选民，希望加强代表履职监督。")),
    "12": (("希望代表到社区听取意见", "希望本选区人大代表定期到社区联络站接待选民。"),
           ("选民登记信息有误", "本人搬迁后选民登记未转移，无法参加选举。")),
    "99": (("其他事项咨询", "咨询有关政策规定，请相关部门予以解答。"),),
}
ANSWERS = ("经调查核实，已督促有关单位整改，并将处理结果书面告知信访人。",
           "已转有关部门依法处理，相关诉求已部分解决，其余事项已作解释说明。",
           "经研究，信访人所提建议已转交立法工作机构研究参考。")
RATING_WEIGHTS = (("满意", 55), ("基本满意", 30), ("不满意", 15))

# The actions leading from 登记 to each state (a legal history; the tests replay it through the workflow).
PATHS: dict[str, tuple[str, ...]] = {
    "registered": (),
    "routed": ("route",),
    "informed": ("inform",),
    "refused": ("refuse",),
    "objected": ("route", "object"),
    "accepted": ("route", "accept"),
    "handling": ("route", "accept", "answer", "send_back"),
    "answered": ("route", "accept", "answer"),
    "rated": ("route", "accept", "answer", "rate"),
    "closed": ("route", "accept", "answer", "rate", "close"),
    "review": ("route", "accept", "answer", "rate", "close", "request_review"),
    "rereview": ("route", "accept", "answer", "rate", "close", "request_review", "review_answer",
                 "request_rereview"),
    "final": ("route", "accept", "answer", "rate", "close", "request_review", "review_answer",
              "request_rereview", "rereview_answer"),
}
STATE_WEIGHTS_OLD = (("closed", 62), ("rated", 6), ("informed", 8), ("refused", 4), ("final", 3), ("review", 2),
                     ("rereview", 1), ("answered", 3), ("handling", 2), ("accepted", 3), ("routed", 2),
                     ("objected", 1), ("registered", 1))
STATE_WEIGHTS_NEW = (("registered", 12), ("routed", 20), ("accepted", 25), ("handling", 6), ("objected", 2),
                     ("answered", 12), ("rated", 6), ("closed", 8), ("informed", 6), ("refused", 3))
CHANNEL_WEIGHTS = (("来信", 35), ("来访", 20), ("网上", 30), ("电话", 10), ("短信", 5))
DISTRICT_WEIGHTS = tuple((code, w) for (code, _n), w in zip(DISTRICTS, (5, 8, 5, 8, 7, 5, 8, 11, 8, 6, 20, 3, 8, 5, 4, 2), strict=True))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class DemoResult:
    cases: int
    petitioners: int
    transitions: int
    links: int
    seconds: float


def id_check_digit(first17: str) -> str:
    """The check character of a mainland ID number (GB 11643)."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _tracking() -> str:
    """A tracking code in the portal's format: 80 random bits as 16 base-32 symbols and a check symbol."""
    from core.petition.intake import ALPHABET, DATA_SYMBOLS, check_symbol, format_code

    bits = int.from_bytes(os.urandom(10), "big")
    data = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(DATA_SYMBOLS))
    return format_code(data + check_symbol(data))


def _tracking_check(code: str, phone: str) -> str:
    from core.petition.intake import tracking_check

    return tracking_check(code, phone[-4:])


class _Rows:
    """Rows of one synced table in the making: meta columns stamped when written."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.rows: list[dict[str, Any]] = []
        self.defaults = {c.key: c.default.arg for c in model.__table__.columns
                         if c.default is not None and not callable(c.default.arg)}

    def add(self, values: dict[str, Any]) -> dict[str, Any]:
        row = {**self.defaults, **values}
        self.rows.append(row)
        return row


def _person(rng: random.Random, n: int, district: str) -> dict[str, Any]:
    gender = rng.choice("男女")
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 62))
    seq = 900 + n % 50 * 2 + (1 if gender == "男" else 0)  # 9xx: a sequence no register issues
    first17 = f"{district}{born:%Y%m%d}{seq:03d}"
    street = rng.choice(STREETS.get(district, ("",)))
    return {"name": name, "gender": gender, "id_number": first17 + id_check_digit(first17),
            "phone": f"1380000{n % 10000:04d}", "address": f"上海市{dict(DISTRICTS)[district]}{street}"
            f"{rng.choice(ROADS)}{rng.randrange(1, 999)}弄{rng.randrange(1, 60)}号", "district_code": district,
            "note": DEMO_MARK}


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def generate(engine: Engine, *, cases: int, until: date | None = None, seed: int = 20261205,
             progress: Progress | None = None) -> DemoResult:
    """Add ``cases`` demo cases received over the two years up to ``until``; returns the counts."""
    started = time.perf_counter()
    rng = random.Random(seed)
    until = until or date.today()
    first_day = until - timedelta(days=730)
    with Session(engine) as s, s.begin():
        seed_reference(s)
        ensure_counter(s)
        existing = int(s.scalar(select(func.count()).select_from(PetCase)) or 0)
    second_levels = {code: [c for c, _n in children] for code, _name, children in CATEGORIES}
    routing = {code: (body, route) for code, body, route in ROUTING}
    people = _Rows(PetPetitioner)
    case_rows = _Rows(PetCase)
    steps = _Rows(PetTransition)
    links = _Rows(PetCaseLink)
    person_ids = uuid7_batch(max(1, cases))
    case_ids = uuid7_batch(max(1, cases))
    by_person: dict[int, list[dict[str, Any]]] = {}
    n_people = 0
    day_span = (until - first_day).days
    for i in range(cases):
        if progress is not None and i % 10_000 == 0:
            progress("生成信访件", i, cases)
        district = _pick(rng, DISTRICT_WEIGHTS)
        first = rng.choice(list(TOPICS))
        category = rng.choice(second_levels.get(first) or [first])
        received = first_day + timedelta(days=int(day_span * (rng.random() ** 0.8)))
        repeat_of: dict[str, Any] | None = None
        if i > 50 and rng.random() < 0.05 and by_person:
            key = rng.choice(list(by_person))
            earlier = by_person[key][0]
            if earlier["received_on"] < received:
                repeat_of = earlier
        if repeat_of is not None:
            person = repeat_of["petitioner_id"]
            district, category = repeat_of["district_code"], repeat_of["category_code"]
            subject, content = repeat_of["subject"], repeat_of["content"]
            pkey = repeat_of["_pkey"]
        else:
            pkey = n_people
            n_people += 1
            p = people.add({"id": person_ids[pkey], **_person(rng, existing + pkey, district)})
            person = p["id"]
            subj, text = rng.choice(TOPICS[first])
            street = rng.choice(STREETS[district])
            fill = {"district": dict(DISTRICTS)[district], "street": street, "road": rng.choice(ROADS),
                    "city": "本市"}
            subject = subj.format(**fill)
            content = (f"{fill['district']}{street}居民反映：" + text.format(**fill)
                       + rng.choice(("请求有关部门尽快解决。", "希望人大予以关注和监督。", "恳请依法处理。", ""))
                       + DEMO_MARK)
        age = (until - received).days
        weights = STATE_WEIGHTS_OLD if age > 120 else STATE_WEIGHTS_NEW
        state = _pick(rng, weights)
        collective = rng.random() < 1 / 30
        persons = rng.randint(COLLECTIVE_THRESHOLD, 60) if collective else rng.choice((1, 1, 1, 1, 2, 3))
        channel = "来访" if collective and rng.random() < 0.7 else _pick(rng, CHANNEL_WEIGHTS)
        body, route = routing.get(category) or routing.get(first) or ("szf", "转送")
        if first in LOCAL_FIRST_LEVELS and rng.random() < 0.5:
            body, route = f"qrd{district}", "转送"
        tracking = _tracking()
        phone = f"1380000{(existing + pkey) % 10000:04d}"
        row: dict[str, Any] = {
            "id": case_ids[i], "code": f"XF{received:%Y%m%d}-D{existing + i:06d}", "tracking_code": tracking,
            "tracking_check": _tracking_check(tracking, phone), "channel": channel,
            "kind": rng.choices(KINDS, (20, 10, 70))[0], "received_on": received,
            "registered_at": datetime.combine(received, datetime.min.time(), UTC) + timedelta(hours=rng.randint(1, 9)),
            "subject": subject, "content": content, "category_code": category, "district_code": district,
            "petitioner_id": person, "persons_involved": persons, "collective": persons >= COLLECTIVE_THRESHOLD,
            "state": state, "repeat_of": repeat_of["id"] if repeat_of else None, "handler": "演示办理人",
        }
        _history(rng, row, state, body, route, until, steps)
        row["_pkey"] = pkey
        case_rows.add(row)
        by_person.setdefault(pkey, []).append(row)
        if repeat_of is not None:
            links.add({"case_id": row["id"], "other_case_id": repeat_of["id"], "kind": "repeat",
                       "note": "同一信访人就同一事项再次信访" + DEMO_MARK, "committee": row.get("committee")})
    for row in case_rows.rows:
        row.pop("_pkey", None)
    for step in steps.rows:
        step.setdefault("committee", None)
    tables = (people, case_rows, steps, links)
    total = sum(len(t.rows) for t in tables)
    with Session(engine) as s, s.begin():
        seq = allocate_seqs(s, total) if total else 0
        now = utcnow()
        for table in tables:
            if not table.rows:
                continue
            ids = uuid7_batch(len(table.rows))
            for k, r in enumerate(table.rows):
                r.setdefault("id", ids[k])
                r.update(version=1, changed_by=ACTOR, changed_at=now, deleted=False, seq=seq)
                r["scope"] = table.model.scope_for(r)
                seq += 1
            _insert(s, table.model, table.rows, progress)
    return DemoResult(len(case_rows.rows), len(people.rows), len(steps.rows), len(links.rows),
                      round(time.perf_counter() - started, 2))


def _insert(s: Session, model: Any, rows: list[dict[str, Any]], progress: Progress | None) -> None:
    """``INSERT`` the rows: on SQLite through the driver's ``executemany`` with the values already in stored
    form (Core's statement compiled once; SQLAlchemy's per-row processing would be half the time), elsewhere
    through Core."""
    table = model.__table__
    keys = list(table.columns.keys())
    conn = s.connection()
    sqlite = conn.dialect.name == "sqlite"
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=keys)
    convert = _sqlite_converters(table) if sqlite else {}
    names = list(compiled.positiontup or []) if sqlite else keys
    for start in range(0, len(rows), 20_000):
        if sqlite:
            params = [tuple(convert[k](r.get(k)) if k in convert else r.get(k) for k in names)
                      for r in rows[start:start + 20_000]]
            conn.exec_driver_sql(str(compiled), params)
        else:
            s.execute(insert(table), [{k: r.get(k) for k in keys} for r in rows[start:start + 20_000]])
        if progress is not None:
            progress(f"写入{model.sync_label}", min(start + 20_000, len(rows)), len(rows))


def _sqlite_converters(table: Any) -> dict[str, Callable[[Any], Any]]:
    """Column → how SQLite stores a value of it: ISO dates, UTC timestamp text, JSON text."""
    out: dict[str, Callable[[Any], Any]] = {}
    for col in table.columns:
        if isinstance(col.type, UTCDateTime):
            out[col.key] = lambda v: None if v is None else v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        elif isinstance(col.type, Date):
            out[col.key] = lambda v: None if v is None else v.isoformat()
        elif isinstance(col.type, JSON):
            out[col.key] = lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    return out


def _history(rng: random.Random, row: dict[str, Any], state: str, body: str, route: str, until: date,
             steps: _Rows) -> None:
    """Fill the case's dates and flags for ``state`` and add the transitions that lead to it."""
    on = row["received_on"]
    current = "registered"
    row.update(route="", body_code="", due_on=on + timedelta(days=15), committee=None)
    steps_of_case: list[tuple[str, str, str, date, dict[str, Any], str]] = []

    def step(action_key: str, to_state: str | None, gap: tuple[int, int], details: dict[str, Any] | None = None,
             note: str = "") -> None:
        nonlocal on, current
        on = min(until, on + _days(rng, *gap))
        target = to_state or current
        steps_of_case.append((action_key, current, target, on, details or {}, note))
        current = target

    for key in PATHS[state]:
        if key == "route":
            action = "route_assign" if route == "交办" else "route_transfer"
            step(action, "routed", (1, 10), {"body": body})
            row.update(route=route, body_code=body, due_on=on + timedelta(days=15))
            if route == "交办":
                row["committee"] = body
        elif key == "inform":
            step("inform", "informed", (1, 10), note="已告知信访人向有权处理的机关提出")
            row.update(route="告知", due_on=None)
        elif key == "refuse":
            step("refuse", "refused", (1, 12), {"reason": "属于已经或者依法应当通过诉讼解决的事项"})
            row.update(route="不予受理", due_on=None)
        elif key == "object":
            step("object", "objected", (1, 5), {"reason": "不属于本单位职责范围"})
            row["due_on"] = on + timedelta(days=15)
        elif key == "accept":
            step("accept", "accepted", (1, 12))
            row.update(accepted_on=on, due_on=on + timedelta(days=60))
            if rng.random() < 0.08 and (until - on).days > 30:
                step("extend", None, (20, 50), {"days": 30, "reason": "情况复杂，需要进一步调查核实"})
                row.update(extended=True, due_on=row["accepted_on"] + timedelta(days=90))
        elif key == "answer":
            late = rng.random() < 0.12
            limit = 90 if row.get("extended") else 60
            gap = (limit - (on - row["accepted_on"]).days + 1, limit + 20) if late else (10, 55)
            step("answer", "answered", (max(1, gap[0]), max(gap)))
            row.update(answered_on=on, answer_summary=rng.choice(ANSWERS), due_on=on + timedelta(days=30))
        elif key == "send_back":
            step("send_back", "handling", (3, 20), {"reason": "答复未回应信访人的主要诉求"})
            row.update(answered_on=None, answer_summary="", due_on=on + timedelta(days=30))
        elif key == "rate":
            rating = _pick(rng, RATING_WEIGHTS)
            step("rate", "rated", (1, 20), {"rating": rating})
            row.update(satisfaction=rating, rated_on=on)
        elif key == "close":
            step("close", "closed", (1, 10))
            row.update(closed_on=on, due_on=None)
        elif key == "request_review":
            step("request_review", "review", (5, 25))
            row["due_on"] = on + timedelta(days=30)
        elif key == "review_answer":
            step("review_answer", "answered", (10, 28))
            row["due_on"] = on + timedelta(days=30)
        elif key == "request_rereview":
            step("request_rereview", "rereview", (5, 25))
            row["due_on"] = on + timedelta(days=30)
        elif key == "rereview_answer":
            step("rereview_answer", "final", (10, 28))
            row["due_on"] = None
    if state == "informed" and rng.random() < 0.5:
        pass
    if state in {"routed", "accepted", "handling"} and rng.random() < 0.1:
        step("supervise", None, (1, 5), note="督办：请按期办理并报告结果")
        row["supervised"] = True
    row.setdefault("accepted_on", None)
    for action_key, frm, to, day, details, note in steps_of_case:
        steps.add({"case_id": row["id"], "action": action_key, "from_state": frm, "to_state": to,
                   "article": ACTION_BY_KEY[action_key].article, "on_date": day,
                   "at": datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10),
                   "actor": ACTOR, "note": note or ACTION_BY_KEY[action_key].label, "details": details,
                   "committee": row.get("committee")})


def paths() -> Iterable[tuple[str, tuple[str, ...]]]:
    """Every state and the actions of its demo history (the tests replay them through the workflow)."""
    return PATHS.items()
