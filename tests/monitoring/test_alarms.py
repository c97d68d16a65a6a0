"""Alarm rules by worked example: thresholds with hysteresis, on-delay, rate of change, flapping, escalation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.monitoring.alarms import AlarmEvent, PointJudge, Policy, Rule, escalations_due
from core.monitoring.defaults import defaults_for
from core.monitoring.models import CRITICAL, HIGH, LOW, RATE, STATE, WARNING

T0 = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def run(judge: PointJudge, values: list[float | bool], step_s: float = 1.0) -> list[tuple[int, str, str, str]]:
    """Feed one value per ``step_s``; (index, event, kind, severity) of every event except peaks."""
    out = []
    for i, v in enumerate(values):
        for e in judge.feed(T0 + timedelta(seconds=i * step_s), v):
            if e.event != "peak":
                out.append((i, e.event, e.kind, e.severity))
    return out


def test_inlet_temperature_with_hysteresis_raises_once_and_clears_below_the_band() -> None:
    # GB 50174-2017 附录A: inlet 18–27 ℃; hysteresis 0.5 ℃: a value hovering at 27 raises one alarm.
    judge = PointJudge(Rule(low_warning=18, high_warning=27, high_critical=32, hysteresis=0.5))
    events = run(judge, [26.0, 27.1, 26.9, 27.2, 26.6, 26.5, 26.4, 27.1])
    assert events == [(1, "raise", HIGH, WARNING), (5, "clear", HIGH, WARNING), (7, "raise", HIGH, WARNING)]


def test_critical_and_warning_are_separate_alarms() -> None:
    judge = PointJudge(Rule(high_warning=27, high_critical=32))
    assert run(judge, [25, 28, 33, 28, 25]) == [
        (1, "raise", HIGH, WARNING), (2, "raise", HIGH, CRITICAL), (3, "clear", HIGH, CRITICAL),
        (4, "clear", HIGH, WARNING)]


def test_on_delay_ignores_a_spike_shorter_than_the_delay() -> None:
    judge = PointJudge(Rule(low_warning=18, on_delay_s=30))
    # 20 s below 18 ℃: nothing; then 40 s below: raised after 30 s of it
    values = [19.0] + [17.5] * 20 + [19.0] + [17.5] * 40
    assert run(judge, values) == [(52, "raise", LOW, WARNING)]


def test_rate_of_change_over_the_window() -> None:
    # 20 ℃/h (disk drives): 0.5 ℃ per minute is 30 ℃/h
    judge = PointJudge(Rule(rate_limit_per_h=20, rate_window_s=600))
    rising = [22 + 0.5 * i for i in range(12)] + [28.0] * 12
    events = run(judge, rising, step_s=60)
    assert events[0] == (5, "raise", RATE, WARNING)  # judged once half the window (5 min) is seen
    assert events[-1][1:] == ("clear", RATE, WARNING)


def test_a_leak_raises_a_critical_state_alarm() -> None:
    judge = PointJudge(Rule(alarm_when="true"))
    assert run(judge, [False, True, True, False]) == [(1, "raise", STATE, CRITICAL), (3, "clear", STATE, CRITICAL)]


def test_a_port_going_down_uses_false_as_the_alarm_state() -> None:
    judge = PointJudge(Rule(**{k: v for k, v in defaults_for("if.eth0.oper_up").items() if k != "basis"}))
    assert run(judge, [True, False, True]) == [(1, "raise", STATE, CRITICAL), (2, "clear", STATE, CRITICAL)]


def test_flapping_holds_the_alarm_open_and_counts_repeats() -> None:
    judge = PointJudge(Rule(alarm_when="true", state_severity=WARNING), Policy(flap_count=3, flap_window_s=60))
    # a door contact bouncing every second for 10 s, then quiet
    values: list[float | bool] = [True, False] * 5 + [False] * 70
    events = run(judge, values)
    assert events[:6] == [(0, "raise", STATE, WARNING), (1, "clear", STATE, WARNING), (2, "raise", STATE, WARNING),
                          (3, "clear", STATE, WARNING), (4, "raise", STATE, WARNING), (5, "flapping", STATE, WARNING)]
    assert [e[1] for e in events[6:]] == ["repeat", "repeat", "clear"]
    assert events[-1][0] == 9 + 60  # cleared after a whole quiet window


def test_escalation_when_not_acknowledged_in_time() -> None:
    policy = Policy(escalate_after_s={CRITICAL: 300, WARNING: 1800}, max_escalation=2)
    alarms = [("a", CRITICAL, T0, 0, False), ("b", CRITICAL, T0, 0, True), ("c", WARNING, T0, 0, False)]
    assert escalations_due(alarms, T0 + timedelta(seconds=299), policy) == []
    [due] = escalations_due(alarms, T0 + timedelta(seconds=301), policy)
    assert (due.alarm_id, due.level, due.at) == ("a", 1, T0 + timedelta(seconds=300))
    [again] = escalations_due([("a", CRITICAL, T0, 1, False)], T0 + timedelta(seconds=601), policy)
    assert again.level == 2
    assert escalations_due([("a", CRITICAL, T0, 2, False)], T0 + timedelta(hours=5), policy) == []


def test_bad_rules_are_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="高限告警（30）必须小于高限严重（27）"):
        Rule(high_warning=30, high_critical=27)
    with pytest.raises(ValueError, match="回差"):
        Rule(hysteresis=-1)


def test_the_clock_stepping_back_judges_nothing() -> None:
    judge = PointJudge(Rule(high_warning=27))
    assert [e.event for e in judge.feed(T0, 28.0)] == ["raise"]
    assert judge.feed(T0 - timedelta(minutes=5), 20.0) == []
    assert [e.event for e in judge.feed(T0 + timedelta(seconds=1), 20.0)] == ["clear"]


values_st = st.lists(st.floats(min_value=10, max_value=40, allow_nan=False), min_size=1, max_size=200)


@settings(max_examples=200, deadline=None)
@given(values_st, st.floats(min_value=0, max_value=3), st.floats(min_value=0, max_value=5))
def test_raises_and_clears_alternate_and_follow_the_band(values: list[float], hysteresis: float,
                                                        delay: float) -> None:
    judge = PointJudge(Rule(high_warning=27, hysteresis=hysteresis, on_delay_s=delay),
                       Policy(flap_count=10_000))
    active = False
    for i, v in enumerate(values):
        events: list[AlarmEvent] = [e for e in judge.feed(T0 + timedelta(seconds=i), v) if e.event != "peak"]
        for e in events:
            assert e.event == ("clear" if active else "raise")
            if e.event == "raise":
                assert v > 27
            else:
                assert v <= 27 - hysteresis
            active = not active
        assert (HIGH, WARNING) in judge.active() if active else not judge.active()
