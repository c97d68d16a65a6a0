"""Statistics and analysis of letters and visits over a period (形势网上判), as plain dataclasses.

Counting rules (also in docs/petition.md, "统计与分析"):

- a case counts in the period it was **received** (``received_on``), deleted cases never;
- a **repeat** (a case linked as a repeat of an earlier one, ``repeat_of`` set) is counted **once**: the
  figures by month, category, district, channel and body count the first case only; the repeats are
  reported on their own line;
- a **collective** petition is one of five persons or more (``collective``);
- **on time** (per receiving body): of the cases answered in the period, those answered by the handling
  deadline — 60 日 from acceptance, at most 30 日 more when extended (《信访工作条例》第三十四条), counted by
  the legal clocks on the working-day calendar with the administrator's overrides (``core.petition.clocks``:
  the day after acceptance is day 1, a last day in a statutory holiday moves to the next working day);
- **satisfaction**: of the cases rated in the period, the share rated 满意 or 基本满意;
- **hot topics**: the bigrams of the subjects of the period (a stop list removes words such as 问题, 反映),
  joined into phrases where they always occur together, counted once per case, compared with the period
  of the same length just before it.

Every figure is one SQL aggregate over indexed columns; only the hot topics read the subjects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from core.petition import clocks, textindex
from core.petition.districts import district_name
from core.petition.models import SATISFACTION, PetBody, PetCase, PetCategory
from core.petition.service import calendar_of

HANDLING_DAYS = 60
EXTENSION_DAYS = 30
_STOP_TEXT = """
问题 反映 要求 请求 希望 关于 有关 相关 情况 处理 解决 部门 我们 本人 他们 没有 一直 至今 多次 进行 存在 事项
信访 投诉 建议 意见 市民 群众 申请 落实 予以 能否 是否 为何 什么 如何 怎么 已经 仍然 不予 造成 导致 影响 严重
的问 题的 的情 况的 的处 理的 求解 请解 映关 于小 题反 映的 求相 关部 门尽 尽快 快解 决问 决的 望有 有关 关部 门解 的意 见的 演示 示数 数据 居民 长期 至今 多次 未果
"""
STOP_BIGRAMS = frozenset(_STOP_TEXT.split())
"""Bigrams that say nothing of the matter (and common pieces across word boundaries)."""


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class OnTime:
    body_code: str
    body: str
    answered: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return None if not self.answered else self.on_time / self.answered


@dataclass(frozen=True)
class Satisfaction:
    rated: int
    satisfied: int
    basic: int
    unsatisfied: int

    @property
    def rate(self) -> float | None:
        """满意 + 基本满意 over all rated."""
        return None if not self.rated else (self.satisfied + self.basic) / self.rated


@dataclass(frozen=True)
class PeriodStats:
    start: date
    end: date
    total: int
    """Cases received, a linked repeat counted once."""
    repeats: int
    """Cases received that repeat an earlier case (not in ``total``)."""
    collective: int
    persons: int
    by_month: list[Count] = field(default_factory=list)
    by_category: list[Count] = field(default_factory=list)
    by_district: list[Count] = field(default_factory=list)
    by_channel: list[Count] = field(default_factory=list)
    by_body: list[Count] = field(default_factory=list)
    by_state: list[Count] = field(default_factory=list)
    on_time: list[OnTime] = field(default_factory=list)
    satisfaction: Satisfaction = field(default_factory=lambda: Satisfaction(0, 0, 0, 0))

    @property
    def answered(self) -> int:
        return sum(o.answered for o in self.on_time)

    @property
    def on_time_rate(self) -> float | None:
        answered = self.answered
        return None if not answered else sum(o.on_time for o in self.on_time) / answered


@dataclass(frozen=True)
class HotTopic:
    term: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass(frozen=True)
class HotTopics:
    start: date
    end: date
    previous_start: date
    previous_end: date
    top: list[HotTopic]
    rising: list[HotTopic]
    falling: list[HotTopic]


def _live(start: date, end: date) -> ColumnElement[bool]:
    return and_(PetCase.deleted.is_(False), PetCase.received_on >= start, PetCase.received_on <= end)


def _counted(start: date, end: date) -> ColumnElement[bool]:
    return and_(_live(start, end), PetCase.repeat_of.is_(None))


def period_stats(session: Session, start: date, end: date) -> PeriodStats:
    """The figures of the cases received from ``start`` to ``end`` (both days included).

    One scan of the period: the counted cases grouped by every dimension at once, summed per dimension."""
    head = session.execute(select(
        func.count().filter(PetCase.repeat_of.is_(None)),
        func.count().filter(PetCase.repeat_of.is_not(None)),
        func.count().filter(and_(PetCase.repeat_of.is_(None), PetCase.collective.is_(True))),
        func.coalesce(func.sum(case((PetCase.repeat_of.is_(None), PetCase.persons_involved), else_=0)), 0),
    ).where(_live(start, end))).one()
    month = func.substr(PetCase.received_on, 1, 7) if session.get_bind().dialect.name == "sqlite" \
        else func.to_char(PetCase.received_on, "YYYY-MM")
    dims = (month, func.substr(PetCase.category_code, 1, 2), PetCase.district_code, PetCase.channel,
            PetCase.body_code, PetCase.state)
    sums: list[Counter[str]] = [Counter() for _ in dims]
    for *keys, n in session.execute(select(*dims, func.count()).where(_counted(start, end)).group_by(*dims)):
        for i, key in enumerate(keys):
            sums[i][key or ""] += int(n)
    by_month, by_cat, by_district, by_channel, by_body, by_state = (
        sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for c in sums)
    categories = {code: name for code, name in session.execute(select(PetCategory.code, PetCategory.name).where(
        PetCategory.parent_code == "", PetCategory.deleted.is_(False)))}
    bodies = {code: name for code, name in session.execute(
        select(PetBody.code, PetBody.name).where(PetBody.deleted.is_(False)))}
    return PeriodStats(
        start=start, end=end, total=int(head[0]), repeats=int(head[1]), collective=int(head[2]),
        persons=int(head[3]),
        by_month=sorted((Count(k, k, n) for k, n in by_month), key=lambda c: c.key),
        by_category=[Count(k, categories.get(k, k or "未分类"), n) for k, n in by_cat],
        by_district=[Count(k, district_name(k) or "未填写", n) for k, n in by_district],
        by_channel=[Count(k, k or "未填写", n) for k, n in by_channel],
        by_body=[Count(k, bodies.get(k, k) if k else "未分流", n) for k, n in by_body],
        by_state=[Count(k, _state_label(k), n) for k, n in by_state],
        on_time=on_time(session, start, end, bodies),
        satisfaction=satisfaction(session, start, end),
    )


def _state_label(state: str) -> str:
    try:
        from core.petition.workflow import STATES
    except ImportError:  # pragma: no cover
        return state
    return STATES.get(state, state)


def on_time(session: Session, start: date, end: date, bodies: dict[str, str] | None = None) -> list[OnTime]:
    """Per receiving body: the cases answered in the period and how many by the handling deadline."""
    rows = session.execute(
        select(PetCase.body_code, PetCase.accepted_on, PetCase.extended, PetCase.answered_on, func.count())
        .where(PetCase.deleted.is_(False), PetCase.repeat_of.is_(None), PetCase.answered_on >= start,
               PetCase.answered_on <= end)
        .group_by(PetCase.body_code, PetCase.accepted_on, PetCase.extended, PetCase.answered_on))
    answered: Counter[str] = Counter()
    timely: Counter[str] = Counter()
    calendar = calendar_of(session)
    handling = clocks.DEADLINE_BY_KEY["handling"]
    longest = clocks.extended(handling, EXTENSION_DAYS)
    due_by: dict[tuple[date, bool], date] = {}
    for body, accepted, extended, answered_on, n in rows:
        answered[body or ""] += n
        if accepted is None or answered_on is None:
            timely[body or ""] += n
            continue
        key = (accepted, bool(extended))
        if key not in due_by:
            due_by[key] = clocks.due_date(accepted, longest if extended else handling, calendar).on
        if answered_on <= due_by[key]:
            timely[body or ""] += n
    bodies = bodies or {}
    out = [OnTime(code, bodies.get(code, code) if code else "未分流", answered[code], timely[code])
           for code in answered]
    return sorted(out, key=lambda o: (-o.answered, o.body_code))


def satisfaction(session: Session, start: date, end: date) -> Satisfaction:
    rows = dict(session.execute(
        select(PetCase.satisfaction, func.count())
        .where(PetCase.deleted.is_(False), PetCase.repeat_of.is_(None), PetCase.rated_on >= start,
               PetCase.rated_on <= end, PetCase.satisfaction.in_(SATISFACTION))
        .group_by(PetCase.satisfaction)).all())
    s, b, u = (int(rows.get(k, 0)) for k in SATISFACTION)
    return Satisfaction(s + b + u, s, b, u)


def topic_counts(session: Session, start: date, end: date) -> Counter[str]:
    """Topic → number of cases (a repeat once) whose subject holds it, stop list removed.

    A topic is a bigram of the subjects, or a longer phrase: bigrams that occur in exactly the same cases and
    follow one another in them (加装 装电 电梯 → 加装电梯) are one topic, so a phrase is not reported in pieces."""
    subjects = [subject or "" for (subject,) in session.execute(select(PetCase.subject).where(_counted(start, end)))]
    count: Counter[str] = Counter()
    first: dict[str, int] = {}
    sig1: Counter[str] = Counter()
    sig2: Counter[str] = Counter()
    for i, subject in enumerate(subjects):
        for t in {t for t in textindex.tokens(subject) if len(t) == 2 and not t.isascii()}:
            count[t] += 1
            first.setdefault(t, i)
            sig1[t] += i
            sig2[t] = (sig2[t] + i * i * 2654435761) % (1 << 61)
    groups: dict[tuple[int, int, int], set[str]] = {}
    for t in count:
        groups.setdefault((count[t], sig1[t], sig2[t]), set()).add(t)
    out: Counter[str] = Counter()
    for (n, _a, _b), terms in groups.items():
        if len(terms) == 1:
            term = next(iter(terms))
            if term not in STOP_BIGRAMS:
                out[term] = n
            continue
        sample = subjects[min(first[t] for t in terms)]
        runs: list[str] = []
        i = 0
        while i < len(sample) - 1:
            if sample[i:i + 2] in terms:
                j = i
                while j + 1 < len(sample) - 1 and sample[j + 1:j + 3] in terms:
                    j += 1
                runs.append(sample[i:j + 2])
                i = j + 1
            else:
                i += 1
        for phrase in runs or sorted(terms):
            if phrase not in STOP_BIGRAMS:
                out[phrase] = max(out[phrase], n)
    return out


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before: a calendar month before a calendar month."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        y, m = divmod(start.year * 12 + start.month - 1 - months, 12)
        prev_start = date(y, m + 1, 1)
        return prev_start, start - timedelta(days=1)
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def hot_topics(session: Session, start: date, end: date, *, top: int = 15) -> HotTopics:
    """The most frequent topics of the period, and those rising and falling most against the period before."""
    p_start, p_end = previous_period(start, end)
    now = topic_counts(session, start, end)
    before = topic_counts(session, p_start, p_end)
    keys = set(now) | set(before)
    topics = [HotTopic(k, now.get(k, 0), before.get(k, 0)) for k in keys]
    best = sorted((t for t in topics if t.count), key=lambda t: (-t.count, t.term))[:top]
    rising = sorted((t for t in topics if t.change > 0), key=lambda t: (-t.change, -t.count, t.term))[:top]
    falling = sorted((t for t in topics if t.change < 0), key=lambda t: (t.change, -t.previous, t.term))[:top]
    return HotTopics(start, end, p_start, p_end, best, rising, falling)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return start, nxt - timedelta(days=1)
