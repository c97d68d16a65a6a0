"""What a budget query asks for: a drill path, how far down it has gone, filters and measures.

A :class:`QuerySpec` is plain data (frozen dataclasses of strings and integers), so a saved query is its
JSON (:meth:`QuerySpec.to_json` / :meth:`QuerySpec.from_json`) and two equal specs give the same answer.
Drilling appends the chosen key of the current level to ``selected``; going up cuts ``selected`` back.
The chosen keys act as filters on their level's dimension, so a child level always partitions its parent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Level:
    """A dimension a result can be grouped by; ``width`` cuts a code to its 类 / 款 prefix."""

    key: str
    label: str
    column: str
    width: int = 0


LEVELS: dict[str, Level] = {lv.key: lv for lv in (
    Level("book", "预算账本", "book"),
    Level("func_class", "功能分类（类）", "functional_code", 3),
    Level("func_item", "功能分类（款）", "functional_code", 5),
    Level("func_sub", "功能分类（项）", "functional_code"),
    Level("department", "部门", "department_code"),
    Level("unit", "单位", "unit_code"),
    Level("project", "项目", "project_code"),
    Level("indicator", "指标", "indicator_no"),
    Level("application", "支付申请", "application_no"),
    Level("econ_class", "经济分类（类）", "economic_code", 3),
    Level("economic", "经济分类（款）", "economic_code"),
    Level("month", "月份", "month"),
    Level("method", "支付方式", "method"),
)}
"""Every level, by key. Labels are Chinese; the Qt page translates them through its own table."""

PATHS: dict[str, tuple[str, ...]] = {
    "functional": ("book", "func_class", "func_item", "func_sub", "department", "project", "indicator",
                   "application"),
    "department": ("department", "project", "indicator", "application"),
    "economic": ("econ_class", "economic", "department", "project", "indicator", "application"),
    "month": ("month", "department", "project", "indicator", "application"),
}
"""The drill paths: by functional class (from the book down), by department first, by economic class, by month.
Below the last level come the single payments (:mod:`core.budget.query.payments`)."""

PATH_LABELS: dict[str, str] = {"functional": "按功能分类", "department": "按部门", "economic": "按经济分类",
                               "month": "按月份"}

MEASURES: dict[str, str] = {
    "budget": "年初预算", "adjusted": "调整后预算", "indicator": "指标金额", "planned": "用款计划",
    "paid": "已支付", "rate": "执行率", "count": "支付笔数",
}
"""Measures, by key: budget = projects' budget; indicator = indicators issued; adjusted = indicator + adjustment +
carry-over (what may be spent); planned = spending plans; paid and count = single payments; rate = paid ÷ adjusted."""

ALL_MEASURES: tuple[str, ...] = tuple(MEASURES)


class SpecError(ValueError):
    """A spec that cannot be run, with a Chinese message for the user."""


@dataclass(frozen=True)
class Filters:
    """Conditions on every dimension. Empty strings and ``None`` mean “any”.

    Codes filter by prefix (``functional="205"`` is the whole 类 205); names and numbers match exactly;
    ``payee`` and ``purpose`` match when they contain the text. Months and dates are inclusive ranges;
    amounts are fen, inclusive, on the single payment.
    """

    book: str = ""
    functional: str = ""
    economic: str = ""
    department: str = ""
    unit: str = ""
    project: str = ""
    indicator: str = ""
    funding_source: str = ""
    method: str = ""
    payee: str = ""
    purpose: str = ""
    month_from: int | None = None
    month_to: int | None = None
    date_from: str = ""
    date_to: str = ""
    amount_min_fen: int | None = None
    amount_max_fen: int | None = None

    def payment_only(self) -> bool:
        """True when a condition exists only on single payments (who, what for, how, when exactly, how much):
        budget and plan measures cannot honour it, so they are left out rather than shown unfiltered."""
        return bool(self.method or self.payee or self.purpose or self.date_from or self.date_to
                    or self.amount_min_fen is not None or self.amount_max_fen is not None)

    def validate(self) -> None:
        """Raise :class:`SpecError` (Chinese) for ranges that cannot hold."""
        for m in (self.month_from, self.month_to):
            if m is not None and not 1 <= m <= 12:
                raise SpecError("月份必须在 1 到 12 之间")
        if self.month_from is not None and self.month_to is not None and self.month_from > self.month_to:
            raise SpecError("起始月份不能晚于截止月份")
        start = _parse_date(self.date_from, "起始日期")
        end = _parse_date(self.date_to, "截止日期")
        if start and end and start > end:
            raise SpecError("起始日期不能晚于截止日期")
        for a in (self.amount_min_fen, self.amount_max_fen):
            if a is not None and a < 0:
                raise SpecError("金额不能为负数")
        if (self.amount_min_fen is not None and self.amount_max_fen is not None
                and self.amount_min_fen > self.amount_max_fen):
            raise SpecError("最小金额不能大于最大金额")

    def active(self) -> dict[str, Any]:
        """The conditions that are set, by field name."""
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}


def _parse_date(text: str, label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SpecError(f"{label}“{text}”不是有效日期，请写成 2024-06-30") from None


@dataclass(frozen=True)
class QuerySpec:
    """A query: year, drill path, the keys chosen so far (one per level above the current), filters, measures."""

    year: int
    path: str = "functional"
    selected: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    measures: tuple[str, ...] = ALL_MEASURES

    def __post_init__(self) -> None:
        if self.path not in PATHS:
            raise SpecError(f"没有“{self.path}”这种钻取路径")
        if len(self.selected) > len(PATHS[self.path]):
            raise SpecError("钻取层级超出了路径")
        unknown = [m for m in self.measures if m not in MEASURES]
        if unknown:
            raise SpecError(f"没有这些统计指标：{'、'.join(unknown)}")

    @property
    def levels(self) -> tuple[str, ...]:
        return PATHS[self.path]

    @property
    def level(self) -> str | None:
        """The level the result is grouped by, or None below the last level (the single payments)."""
        return self.levels[len(self.selected)] if len(self.selected) < len(self.levels) else None

    def at_bottom(self) -> bool:
        return self.level is None

    def drill(self, key: str) -> QuerySpec:
        """The spec one level down, inside ``key`` of the current level."""
        if self.at_bottom():
            raise SpecError("已经到了最底层（支付明细）")
        return replace(self, selected=(*self.selected, key))

    def up(self, depth: int) -> QuerySpec:
        """The spec with only the first ``depth`` choices kept (0 = the top of the path)."""
        return replace(self, selected=self.selected[:max(depth, 0)])

    def with_filters(self, filters: Filters) -> QuerySpec:
        return replace(self, filters=filters)

    def with_path(self, path: str) -> QuerySpec:
        return QuerySpec(year=self.year, path=path, filters=self.filters, measures=self.measures)

    def chosen(self) -> list[tuple[str, str]]:
        """``(level, key)`` for every choice made so far."""
        return list(zip(self.levels, self.selected, strict=False))

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "path": self.path, "selected": list(self.selected),
                "filters": self.filters.active(), "measures": list(self.measures)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuerySpec:
        """The spec saved by :meth:`to_json`; unknown filter names are refused (a clear message, no guess)."""
        try:
            raw = dict(data.get("filters") or {})
            known = set(Filters.__dataclass_fields__)
            unknown = sorted(set(raw) - known)
            if unknown:
                raise SpecError(f"保存的查询含有不认识的条件：{'、'.join(unknown)}")
            return cls(year=int(data["year"]), path=str(data.get("path", "functional")),
                       selected=tuple(str(s) for s in data.get("selected", ())), filters=Filters(**raw),
                       measures=tuple(data.get("measures") or ALL_MEASURES))
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SpecError):
                raise
            raise SpecError(f"保存的查询无法读取：{exc}") from None
