"""The workflow of a letters-and-visits case: states, actions, and the article each action rests on.

Pure rules — no database, no Qt. A caller (the desk, the exchange, the portal's bridge) asks
``allowed_actions`` what a user may do on a case and ``apply`` what an action does; ``apply`` never raises
and never changes anything: it returns an ``Outcome`` (the new state, the article to record in the
case's history, the flags the action sets) or a ``Refusal`` with a Chinese reason a clerk can act on,
naming the case's current state and the article.

The articles are those of the 2022 《信访工作条例》 and 《上海市信访条例》 as summarised in the product's law
notes. 督办 and 退回重办 rest on no article there; their ``article`` says so (待核) until confirmed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from core.auth.roles import P_PETITION_APPROVE, P_PETITION_CASE, P_PETITION_HANDLE

REGULATION = "《信访工作条例》"
SHANGHAI = "《上海市信访条例》"
INTERNAL = "本机关内部工作程序"
"""Basis shown for steps no article of the regulations prescribes (督办, 退回重办)."""

STATES: dict[str, str] = {
    "registered": "登记",
    "routed": "已分流",
    "informed": "已告知",
    "refused": "不予受理",
    "accepted": "受理",
    "objected": "异议",
    "handling": "办理中",
    "answered": "已答复",
    "rated": "已评价",
    "closed": "办结",
    "review": "复查中",
    "rereview": "复核中",
    "final": "终结",
}
"""Every state of a case: ASCII key (stored) → Chinese label (shown)."""

INITIAL = "registered"
TERMINAL = frozenset({"final"})
OPEN_STATES = frozenset(STATES) - {"closed", "final"}
"""States in which a case is still running (督办 is possible)."""

MAX_EXTENSION_DAYS = 30
RATINGS = ("满意", "基本满意", "不满意")


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    from_states: frozenset[str]
    to_state: str | None
    """``None``: the case keeps its state (延期, 督办 set a flag only)."""
    article: str
    permission: str
    required_inputs: tuple[tuple[str, str], ...] = ()
    """(input key, Chinese name) that must be given and non-empty."""

    def target(self, state: str) -> str:
        return state if self.to_state is None else self.to_state


def _fs(*states: str) -> frozenset[str]:
    return frozenset(states)


ACTIONS: tuple[Action, ...] = (
    Action("route_transfer", "转送", _fs("registered", "objected"), "routed",
           f"{REGULATION}第二十二条；{SHANGHAI}第三十条", P_PETITION_CASE, (("body", "接收单位"),)),
    Action("route_assign", "交办", _fs("registered", "objected"), "routed",
           f"{REGULATION}第二十二条；{SHANGHAI}第三十一条", P_PETITION_CASE, (("body", "接收单位"),)),
    Action("inform", "告知", _fs("registered", "objected"), "informed",
           f"{REGULATION}第二十三条第二款、第三十一条", P_PETITION_CASE),
    Action("refuse", "不予受理", _fs("registered", "routed", "objected"), "refused",
           f"{REGULATION}第三十一条", P_PETITION_CASE, (("reason", "不予受理的理由"),)),
    Action("accept", "受理", _fs("routed"), "accepted",
           f"{REGULATION}第二十三条第三款、第三十四条", P_PETITION_HANDLE),
    Action("object", "异议", _fs("routed"), "objected",
           f"{REGULATION}第二十三条第三款", P_PETITION_HANDLE, (("reason", "异议的理由"),)),
    Action("extend", "延期", _fs("accepted", "handling"), None,
           f"{REGULATION}第三十四条；{SHANGHAI}第三十一条", P_PETITION_APPROVE,
           (("days", "延长的天数"), ("reason", "延期的理由"))),
    Action("answer", "答复", _fs("accepted", "handling"), "answered",
           f"{REGULATION}第三十四条", P_PETITION_HANDLE),
    Action("rate", "评价", _fs("answered"), "rated",
           f"{REGULATION}第二十一条", P_PETITION_CASE, (("rating", "评价结果"),)),
    Action("close", "办结", _fs("answered", "rated", "informed", "refused"), "closed",
           f"{REGULATION}第三十四条", P_PETITION_CASE),
    Action("request_review", "申请复查", _fs("answered", "rated", "closed"), "review",
           f"{REGULATION}第三十五条", P_PETITION_CASE),
    Action("review_answer", "复查答复", _fs("review"), "answered",
           f"{REGULATION}第三十五条", P_PETITION_CASE),
    Action("request_rereview", "申请复核", _fs("answered", "rated", "closed"), "rereview",
           f"{REGULATION}第三十六条第一款", P_PETITION_CASE),
    Action("rereview_answer", "复核答复", _fs("rereview"), "final",
           f"{REGULATION}第三十六条第一款、第三款", P_PETITION_APPROVE),
    Action("supervise", "督办", OPEN_STATES, None, INTERNAL, P_PETITION_CASE),
    Action("send_back", "退回重办", _fs("answered", "closed"), "handling",
           INTERNAL, P_PETITION_CASE, (("reason", "退回的理由"),)),
)
"""Every action; the table in docs/petition.md (办理流程与依据) is made from it."""

ACTION_BY_KEY: dict[str, Action] = {a.key: a for a in ACTIONS}


@dataclass(frozen=True)
class Outcome:
    to_state: str
    article: str
    sets_extended: bool = False
    sets_reviewed: bool = False
    """The case has had its 复查 answer: from now on 申请复核, no longer 申请复查."""
    sets_supervised: bool = False
    extension_days: int = 0


@dataclass(frozen=True)
class Refusal:
    reason: str


def state_label(state: str) -> str:
    return STATES.get(state, state)


def _flag_refusal(action: Action, state: str, *, extended: bool, reviewed: bool) -> str | None:
    """Why the case's flags forbid the action in this state (None: they do not)."""
    if action.key == "extend" and extended:
        return "已延期过一次，办理期限只能延长一次"
    if action.key == "request_review" and reviewed:
        return "已作出复查意见，只能申请复核"
    if action.key == "request_rereview" and not reviewed:
        return "尚未复查，须先申请复查"
    return None


def _state_allows(action: Action, state: str, *, extended: bool, reviewed: bool) -> bool:
    return state in action.from_states and _flag_refusal(action, state, extended=extended,
                                                         reviewed=reviewed) is None


def allowed_actions(state: str, *, extended: bool, permissions: Collection[str],
                    reviewed: bool = False) -> list[Action]:
    """The actions a user with ``permissions`` may take on a case in ``state`` (in table order)."""
    return [a for a in ACTIONS
            if a.permission in permissions and _state_allows(a, state, extended=extended, reviewed=reviewed)]


def _refuse(state: str, action: Action, why: str) -> Refusal:
    return Refusal(f"案件当前状态为“{state_label(state)}”，不能{action.label}：{why}（依据{action.article}）")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def apply(state: str, action_key: str, *, extended: bool, permissions: Collection[str],
          inputs: Mapping[str, Any] | None = None, reviewed: bool = False) -> Outcome | Refusal:
    """What ``action_key`` does to a case in ``state``; a ``Refusal`` when it may not be done."""
    inputs = inputs or {}
    if state not in STATES:
        return Refusal(f"案件当前状态“{state}”不是已知的状态，不能办理任何操作")
    action = ACTION_BY_KEY.get(action_key)
    if action is None:
        return Refusal(f"案件当前状态为“{state_label(state)}”，没有“{action_key}”这一操作")
    if state not in action.from_states:
        allowed = "、".join(STATES[s] for s in STATES if s in action.from_states)
        return _refuse(state, action, f"只有“{allowed}”的案件可以{action.label}")
    flag = _flag_refusal(action, state, extended=extended, reviewed=reviewed)
    if flag is not None:
        return _refuse(state, action, flag)
    if action.permission not in permissions:
        return _refuse(state, action, f"需要权限“{action.permission}”")
    for key, name in action.required_inputs:
        if _missing(inputs.get(key)):
            return _refuse(state, action, f"须填写{name}")
    days = 0
    if action.key == "extend":
        raw = inputs["days"]
        if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).strip().isdigit():
            return _refuse(state, action, f"延长的天数“{raw}”不是整数")
        days = int(str(raw).strip())
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            return _refuse(state, action, f"延长的天数为 1 至 {MAX_EXTENSION_DAYS} 日，填写的是 {days} 日")
    if action.key == "rate" and inputs["rating"] not in RATINGS:
        return _refuse(state, action, f"评价结果须为{'、'.join(RATINGS)}之一")
    return Outcome(to_state=action.target(state), article=action.article,
                   sets_extended=action.key == "extend", sets_reviewed=action.key == "review_answer",
                   sets_supervised=action.key == "supervise", extension_days=days)


def actions_markdown() -> list[str]:
    """The table of docs/petition.md's section 办理流程与依据 (a test compares)."""
    lines = ["| 操作 | key | 从（状态） | 到（状态） | 依据 | 权限 |", "|---|---|---|---|---|---|"]
    for a in ACTIONS:
        froms = "、".join(STATES[s] for s in STATES if s in a.from_states)
        to = "（不变）" if a.to_state is None else STATES[a.to_state]
        lines.append(f"| {a.label} | `{a.key}` | {froms} | {to} | {a.article} | `{a.permission}` |")
    return lines
