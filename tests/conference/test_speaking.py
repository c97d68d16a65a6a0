"""The floor: FIFO queue, microphone limits, modes, chair priority, time limits."""

from __future__ import annotations

from core.conference import events as ev
from core.conference.meeting import MicMode, SpeakingSettings
from core.conference.state import ConferenceState
from tests.conference.factory import make_setup, opened


def _state(mode: MicMode = MicMode.OPEN, max_open: int = 2, **kw: float) -> ConferenceState:
    return opened(make_setup(12, speaking=SpeakingSettings(mode=mode, max_open=max_open, **kw)), present=12)


def _speakers(state: ConferenceState) -> list[int]:
    return [s["seat"] for s in state.snapshot()["speaking"]["speakers"]]


def test_fifo_with_microphone_limit() -> None:
    state = _state(max_open=2)
    for n, seat in enumerate((5, 3, 8, 4)):
        assert state.apply(ev.SpeakRequested(seat, 10.0 + n)).ok
    assert _speakers(state) == [5, 3]
    assert state.speaking.queue == [8, 4]
    assert not state.apply(ev.SpeakRequested(8, 20.0)).ok  # already queued
    state.apply(ev.SpeakCancelled(5, 30.0))
    assert _speakers(state) == [3, 8]
    assert state.speaking.queue == [4]
    state.apply(ev.SpeakCancelled(4, 31.0))  # withdraws request
    assert state.speaking.queue == []


def test_one_to_four_microphones() -> None:
    state = _state(max_open=4)
    for seat in range(2, 8):
        state.apply(ev.SpeakRequested(seat, float(seat)))
    assert _speakers(state) == [2, 3, 4, 5]
    assert not state.apply(ev.SetMicMode(10.0, MicMode.OPEN, 5)).ok
    assert not state.apply(ev.SetMicMode(10.0, MicMode.OPEN, 0)).ok


def test_unsigned_seat_cannot_request() -> None:
    state = opened(make_setup(12), present=5)
    assert not state.apply(ev.SpeakRequested(9, 3.0)).ok


def test_override_switches_off_the_longest_speaker() -> None:
    state = _state(MicMode.OVERRIDE, max_open=2)
    for seat in (2, 3, 4):
        state.apply(ev.SpeakRequested(seat, float(seat)))
    assert _speakers(state) == [3, 4]
    assert state.speaking.finished[-1].reason == "override"


def test_apply_mode_waits_for_the_chair() -> None:
    state = _state(MicMode.APPLY, max_open=1)
    state.apply(ev.SpeakRequested(4, 3.0))
    state.apply(ev.SpeakRequested(6, 4.0))
    assert _speakers(state) == []
    assert state.apply(ev.ApproveSpeaker(5.0, 6)).ok
    assert _speakers(state) == [6]
    assert not state.apply(ev.ApproveSpeaker(6.0, 4)).ok  # limit reached
    assert state.apply(ev.RejectSpeaker(7.0, 4)).ok
    assert state.speaking.queue == []


def test_voice_mode_has_no_queue() -> None:
    state = _state(MicMode.VOICE, max_open=1)
    assert state.apply(ev.SpeakRequested(4, 3.0)).ok
    assert not state.apply(ev.SpeakRequested(5, 3.5)).ok
    assert state.speaking.queue == []


def test_chair_priority_mutes_all_delegates() -> None:
    state = _state(max_open=2)
    for seat in (2, 3, 4):
        state.apply(ev.SpeakRequested(seat, float(seat)))
    state.apply(ev.SpeakRequested(1, 5.0))  # chair: not counted, not queued
    assert _speakers(state) == [2, 3, 1]
    assert not state.apply(ev.ChairPriority(2, 6.0)).ok
    assert state.apply(ev.ChairPriority(1, 6.0)).ok
    assert _speakers(state) == [1]
    assert state.speaking.queue == [4]
    assert {f.reason for f in state.speaking.finished} == {"muted"}


def test_mute_all_and_stop_speaker() -> None:
    state = _state(max_open=1)
    state.apply(ev.SpeakRequested(2, 1.0))
    state.apply(ev.SpeakRequested(3, 1.0))
    assert state.apply(ev.StopSpeaker(2.0, 2)).ok
    assert _speakers(state) == [3]
    assert state.apply(ev.MuteAll(3.0)).ok
    assert _speakers(state) == []


def test_time_limit_warning_and_cut_off_then_shorter_limit() -> None:
    state = _state(max_open=1, first_limit_s=900, later_limit_s=600, warn_before_s=60)
    state.apply(ev.SpeakRequested(2, 100.0))
    state.apply(ev.SpeakRequested(3, 101.0))
    state.apply(ev.Tick(100.0 + 839))
    speaker = state.snapshot()["speaking"]["speakers"][0]
    assert not speaker["warned"] and speaker["remaining_s"] == 61
    state.apply(ev.Tick(100.0 + 840))
    assert state.snapshot()["speaking"]["speakers"][0]["warned"]
    state.apply(ev.Tick(100.0 + 900))
    assert _speakers(state) == [3]
    assert state.speaking.finished[-1].reason == "time"
    state.apply(ev.SpeakCancelled(3, 1100.0))
    state.apply(ev.SpeakRequested(2, 1200.0))
    assert state.snapshot()["speaking"]["speakers"][0]["limit_s"] == 600
    state.apply(ev.Tick(1800.0))
    assert _speakers(state) == []


def test_leaving_drops_the_request() -> None:
    state = _state(max_open=1)
    state.apply(ev.SpeakRequested(2, 1.0))
    state.apply(ev.SpeakRequested(3, 1.0))
    state.apply(ev.SeatLeft(2, 2.0))
    assert _speakers(state) == [3]
