"""The workflow's rules: states, actions, articles, permissions (pure, no database)."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.auth.roles import P_PETITION_APPROVE, P_PETITION_CASE, P_PETITION_HANDLE
from core.petition.workflow import (
    ACTION_BY_KEY,
    ACTIONS,
    INITIAL,
    STATES,
    TERMINAL,
    Outcome,
    Refusal,
    actions_markdown,
    allowed_actions,
    apply,
)

ALL = frozenset({P_PETITION_CASE, P_PETITION_HANDLE, P_PETITION_APPROVE})
GOOD_INPUTS: dict[str, Any] = {"body": "jkww", "reason": "理由", "days": 30, "rating": "满意"}
DOC = Path(__file__).resolve().parents[2] / "docs" / "petition.md"

permission_sets = st.sets(st.sampled_from(sorted(ALL))).map(frozenset)
action_keys = st.sampled_from([a.key for a in ACTIONS] + ["fly", ""])
inputs = st.one_of(
    st.just(GOOD_INPUTS),
    st.just({}),
    st.fixed_dictionaries({}, optional={
        "body": st.sampled_from(["", "  ", "jkww"]),
        "reason": st.sampled_from(["", "理由"]),
        "days": st.one_of(st.integers(-5, 40), st.sampled_from(["", "x", "10", True])),
        "rating": st.sampled_from(["满意", "基本满意", "不满意", "好", ""]),
    }),
)



def _run(steps: list[tuple[str, frozenset[str], dict[str, Any]]]) -> list[tuple[str, bool, bool]]:
    """Apply ``steps`` from 登记; the trail of (state, extended, reviewed) after each step."""
    state, extended, reviewed = INITIAL, False, False
    trail = []
    for key, perms, given_inputs in steps:
        before = dict(given_inputs)
        result = apply(state, key, extended=extended, permissions=perms, inputs=given_inputs,
                       reviewed=reviewed)
        assert given_inputs == before
        if isinstance(result, Outcome):
            assert key in {a.key for a in allowed_actions(state, extended=extended, permissions=perms,
                                                          reviewed=reviewed)}
            assert result.article == ACTION_BY_KEY[key].article
            assert not (extended and result.sets_extended)
            state = result.to_state
            extended = extended or result.sets_extended
            reviewed = reviewed or result.sets_reviewed
        else:
            assert isinstance(result, Refusal)
            assert result.reason
        assert state in STATES
        trail.append((state, extended, reviewed))
    return trail


@settings(max_examples=300)
@given(st.lists(st.tuples(action_keys, permission_sets, inputs), max_size=40))
def test_random_sequences_stay_in_defined_states(steps: list[tuple[str, frozenset[str], dict[str, Any]]]) -> None:
    _run(steps)


@settings(max_examples=300)
@given(st.sampled_from(sorted(STATES)), st.booleans(), st.booleans(), action_keys, permission_sets, inputs)
def test_a_refusal_changes_nothing_and_names_state_and_article(
        state: str, extended: bool, reviewed: bool, key: str, perms: frozenset[str],
        given_inputs: dict[str, Any]) -> None:
    before = dict(given_inputs)
    result = apply(state, key, extended=extended, permissions=perms, inputs=given_inputs, reviewed=reviewed)
    assert given_inputs == before
    if isinstance(result, Refusal):
        assert STATES[state] in result.reason
        if key in ACTION_BY_KEY:
            assert ACTION_BY_KEY[key].article in result.reason
    else:
        assert result.to_state in STATES


@settings(max_examples=200)
@given(st.sampled_from(sorted(STATES)), st.booleans(), st.booleans(), permission_sets)
def test_allowed_actions_agree_with_apply(state: str, extended: bool, reviewed: bool,
                                          perms: frozenset[str]) -> None:
    allowed = {a.key for a in allowed_actions(state, extended=extended, permissions=perms, reviewed=reviewed)}
    for action in ACTIONS:
        result = apply(state, action.key, extended=extended, permissions=perms, inputs=GOOD_INPUTS,
                       reviewed=reviewed)
        assert isinstance(result, Outcome) == (action.key in allowed), (state, action.key)


def test_every_state_is_reachable_from_registered() -> None:
    start = (INITIAL, False, False)
    seen = {start}
    queue = deque([start])
    while queue:
        state, extended, reviewed = queue.popleft()
        for action in allowed_actions(state, extended=extended, permissions=ALL, reviewed=reviewed):
            result = apply(state, action.key, extended=extended, permissions=ALL, inputs=GOOD_INPUTS,
                           reviewed=reviewed)
            assert isinstance(result, Outcome)
            node = (result.to_state, extended or result.sets_extended, reviewed or result.sets_reviewed)
            if node not in seen:
                seen.add(node)
                queue.append(node)
    assert {s for s, _e, _r in seen} == set(STATES)


@given(st.lists(st.tuples(action_keys, st.just(ALL), st.just(GOOD_INPUTS)), max_size=60))
def test_extension_at_most_once(steps: list[tuple[str, frozenset[str], dict[str, Any]]]) -> None:
    state, extended = INITIAL, False
    extensions = 0
    for key, perms, given_inputs in steps:
        result = apply(state, key, extended=extended, permissions=perms, inputs=given_inputs)
        if isinstance(result, Outcome):
            extensions += result.sets_extended
            extended = extended or result.sets_extended
            state = result.to_state
    assert extensions <= 1


def test_final_is_terminal() -> None:
    assert frozenset({"final"}) == TERMINAL
    for extended in (False, True):
        for reviewed in (False, True):
            assert allowed_actions("final", extended=extended, permissions=ALL, reviewed=reviewed) == []
            for action in ACTIONS:
                result = apply("final", action.key, extended=extended, permissions=ALL, inputs=GOOD_INPUTS,
                               reviewed=reviewed)
                assert isinstance(result, Refusal)
                assert "终结" in result.reason


def test_the_usual_path_with_its_articles() -> None:
    path = [("route_assign", P_PETITION_CASE, "routed", "第二十二条"),
            ("accept", P_PETITION_HANDLE, "accepted", "第三十四条"),
            ("extend", P_PETITION_APPROVE, "accepted", "第三十四条"),
            ("answer", P_PETITION_HANDLE, "answered", "第三十四条"),
            ("request_review", P_PETITION_CASE, "review", "第三十五条"),
            ("review_answer", P_PETITION_CASE, "answered", "第三十五条"),
            ("request_rereview", P_PETITION_CASE, "rereview", "第三十六条"),
            ("rereview_answer", P_PETITION_APPROVE, "final", "第三十六条")]
    state, extended, reviewed = INITIAL, False, False
    for key, perm, to_state, article in path:
        result = apply(state, key, extended=extended, permissions={perm}, inputs=GOOD_INPUTS, reviewed=reviewed)
        assert isinstance(result, Outcome), result
        assert result.to_state == to_state
        assert article in result.article
        state, extended, reviewed = to_state, extended or result.sets_extended, reviewed or result.sets_reviewed


def test_refusals_a_clerk_can_act_on() -> None:
    def reason(state: str, key: str, perms: set[str], given_inputs: dict[str, Any], **flags: bool) -> str:
        result = apply(state, key, extended=flags.get("extended", False), permissions=perms,
                       inputs=given_inputs, reviewed=flags.get("reviewed", False))
        assert isinstance(result, Refusal)
        return result.reason

    assert reason("registered", "route_transfer", {P_PETITION_CASE}, {"body": " "}) == (
        "案件当前状态为“登记”，不能转送：须填写接收单位（依据《信访工作条例》第二十二条；《上海市信访条例》第三十条）")
    assert "只能延长一次" in reason("handling", "extend", {P_PETITION_APPROVE}, GOOD_INPUTS, extended=True)
    assert "1 至 30 日，填写的是 31 日" in reason("accepted", "extend", {P_PETITION_APPROVE},
                                               {**GOOD_INPUTS, "days": 31})
    assert "不是整数" in reason("accepted", "extend", {P_PETITION_APPROVE}, {**GOOD_INPUTS, "days": "十"})
    assert "需要权限“petition.approve”" in reason("accepted", "extend", {P_PETITION_CASE}, GOOD_INPUTS)
    assert "需要权限“petition.handle”" in reason("routed", "accept", {P_PETITION_CASE}, GOOD_INPUTS)
    assert "须填写异议的理由" in reason("routed", "object", {P_PETITION_HANDLE}, {})
    assert "须先申请复查" in reason("answered", "request_rereview", ALL, GOOD_INPUTS)
    assert "只能申请复核" in reason("answered", "request_review", ALL, GOOD_INPUTS, reviewed=True)
    assert "只有“已分流”的案件可以受理" in reason("registered", "accept", ALL, GOOD_INPUTS)
    assert apply("nowhere", "accept", extended=False, permissions=ALL) == Refusal(
        "案件当前状态“nowhere”不是已知的状态，不能办理任何操作")


def test_supervise_keeps_the_state_and_sets_the_flag() -> None:
    for state in sorted(set(STATES) - {"closed", "final"}):
        result = apply(state, "supervise", extended=False, permissions={P_PETITION_CASE})
        assert isinstance(result, Outcome)
        assert (result.to_state, result.sets_supervised) == (state, True)
    assert isinstance(apply("closed", "supervise", extended=False, permissions={P_PETITION_CASE}), Refusal)


def test_doc_table_matches_the_actions() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 办理流程与依据", 1)[1].split("\n## ", 1)[0]
    assert "\n".join(actions_markdown()) in section
