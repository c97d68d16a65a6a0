"""The journal: crash recovery by replay, tamper detection, no seat→choice link for anonymous votes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.conference import events as ev
from core.conference.journal import (
    GENESIS,
    JournaledConference,
    JournalError,
    canonical,
    entry_hash,
    verify,
)
from core.conference.meeting import PressRule, VoteSettings
from core.conference.state import ConferenceState
from tests.conference.factory import make_setup

CHOICES = ("yes", "no", "abstain")


def _prelude(n: int) -> list[ev.Message]:
    msgs: list[ev.Message] = [ev.SeatKeyPressed(s, 1.0 + s / 100) for s in range(1, n + 1)]
    msgs += [ev.OpenMeeting(2.0), ev.SpeakRequested(3, 3.0), ev.SpeakRequested(4, 3.1), ev.SpeakRequested(5, 3.2)]
    return msgs


def _casts(seats: range, t: float, shift: int = 0) -> list[ev.Message]:
    return [ev.VoteCast(s, t + s / 100, CHOICES[(s + shift) % 3]) for s in seats]


def _run(conference: JournaledConference | ConferenceState, msgs: list[ev.Message]) -> None:
    for m in msgs:
        conference.apply(m)


def _tallies(state: ConferenceState) -> Any:
    current = state.voting.current
    if current is None:
        return None
    return [(b.public(), dict(b.named)) for b in current.ballots]


@pytest.mark.parametrize(
    "settings",
    [
        VoteSettings(anonymous=True, press=PressRule.LAST),
        VoteSettings(anonymous=True, press=PressRule.FIRST),
        VoteSettings(anonymous=False, press=PressRule.LAST, duration_s=60),
    ],
    ids=["anonymous-last", "anonymous-first", "named-fixed"],
)
def test_console_killed_mid_vote_resumes_with_the_same_state(tmp_path: Path, settings: VoteSettings) -> None:
    setup = make_setup(30, settings=settings)
    before = [*_prelude(30), ev.OpenVote(10.0, "b1"), *_casts(range(1, 21), 11.0), *_casts(range(1, 6), 12.0, shift=1)]
    after = [*_casts(range(3, 26), 20.0, shift=2), ev.Tick(30.0), ev.CloseVote(40.0)]
    path = tmp_path / "meeting.journal"
    live = JournaledConference.create(path, setup)
    _run(live, before)
    del live  # the console dies: nothing is closed or flushed beyond what apply() did

    resumed = JournaledConference.open(path)
    reference = ConferenceState(setup)
    _run(reference, before)
    assert resumed.state.snapshot() == reference.snapshot()
    assert _tallies(resumed.state) == _tallies(reference)
    assert resumed.state.voting.current is not None

    _run(resumed, after)
    _run(reference, after)
    assert resumed.state.snapshot() == reference.snapshot()
    again = JournaledConference.open(path)
    assert again.state.snapshot() == reference.snapshot()
    assert again.verify().ok


def test_crash_between_close_and_its_tally_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    setup = make_setup(10, settings=VoteSettings(anonymous=True, press=PressRule.LAST))
    msgs = [*_prelude(10), ev.OpenVote(10.0, "b1"), *_casts(range(1, 9), 11.0)]
    path = tmp_path / "j"
    live = JournaledConference.create(path, setup)
    _run(live, msgs)
    real_append = live.journal.append

    class Crash(Exception):
        pass

    def append(kind: str, body: Any) -> Any:
        if kind == "anon_close":
            raise Crash
        return real_append(kind, body)

    monkeypatch.setattr(live.journal, "append", append)
    with pytest.raises(Crash):
        live.apply(ev.CloseVote(20.0))
    assert live.keys.existing() == [1]

    resumed = JournaledConference.open(path)
    reference = ConferenceState(setup)
    _run(reference, [*msgs, ev.CloseVote(20.0)])
    assert resumed.state.snapshot() == reference.snapshot()
    assert resumed.keys.existing() == []
    assert [json.loads(line)["kind"] for line in path.read_text().splitlines()][-1] == "anon_close"
    assert JournaledConference.open(path).state.snapshot() == reference.snapshot()


def test_torn_last_line_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "j"
    live = JournaledConference.create(path, make_setup(5))
    _run(live, _prelude(5))
    with path.open("ab") as f:
        f.write(b'{"seq": 99, "kind": "msg", "bo')
    assert verify(path).torn_tail
    resumed = JournaledConference.open(path)
    assert resumed.verify().ok and not resumed.verify().torn_tail
    assert resumed.state.snapshot() == live.state.snapshot()


def test_tamper_is_detected_at_the_first_broken_entry(tmp_path: Path) -> None:
    path = tmp_path / "j"
    setup = make_setup(10, settings=VoteSettings(anonymous=False))
    live = JournaledConference.create(path, setup)
    _run(live, [*_prelude(10), ev.OpenVote(10.0, "b1"), *_casts(range(1, 11), 11.0), ev.CloseVote(20.0)])
    assert verify(path) == verify(path) and verify(path).ok
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(n for n, line in enumerate(lines) if '"VoteCast"' in line and '"no"' in line)
    entry = json.loads(lines[target])
    entry["body"]["choice"] = "yes"
    tampered = [*lines[:target], canonical(entry).decode(), *lines[target + 1 :]]
    path.write_text("\n".join(tampered) + "\n", encoding="utf-8")
    report = verify(path)
    assert not report.ok and report.first_bad == target and "被改动" in report.reason
    with pytest.raises(JournalError):
        JournaledConference.open(path)

    # re-hashing the altered entry does not help: the next entry no longer links to it
    entry["hash"] = entry_hash(entry["prev"], entry["seq"], entry["kind"], entry["body"])
    tampered[target] = canonical(entry).decode()
    path.write_text("\n".join(tampered) + "\n", encoding="utf-8")
    report = verify(path)
    assert report.first_bad == target + 1 and "不衔接" in report.reason

    # a deleted entry is found as well
    path.write_text("\n".join([*lines[:target], *lines[target + 1 :]]) + "\n", encoding="utf-8")
    assert verify(path).first_bad == target


def test_first_entry_chains_from_genesis(tmp_path: Path) -> None:
    path = tmp_path / "j"
    JournaledConference.create(path, make_setup(3))
    first = json.loads(path.read_text().splitlines()[0])
    assert first["prev"] == GENESIS and first["kind"] == "setup"
    with pytest.raises(JournalError):
        JournaledConference.create(path, make_setup(3))


def _anonymous_run(tmp_path: Path) -> tuple[Path, JournaledConference, list[dict[str, Any]]]:
    setup = make_setup(12, settings=VoteSettings(anonymous=True, press=PressRule.LAST))
    path = tmp_path / "anon.journal"
    conf = JournaledConference.create(path, setup)
    snapshots: list[dict[str, Any]] = []
    msgs = [*_prelude(12), ev.OpenVote(10.0, "b1"), *_casts(range(1, 13), 11.0), *_casts(range(1, 7), 12.0, 1)]
    for m in msgs:
        conf.apply(m)
        snapshots.append(conf.snapshot())
    assert conf.keys.existing() == [1]
    conf.apply(ev.CloseVote(20.0))
    snapshots.append(conf.snapshot())
    return path, conf, snapshots


def test_anonymous_vote_leaves_no_seat_to_choice_link(tmp_path: Path) -> None:
    path, conf, snapshots = _anonymous_run(tmp_path)
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    sealed = [e for e in entries if e["kind"] == "sealed"]
    assert len(sealed) == 18
    assert len({len(e["body"]["box"]) for e in sealed}) == 1  # the box length does not give the choice away
    assert set(sealed[0]["body"]) == {"vote", "box"}
    for e in entries:
        if e["kind"] == "msg":
            assert e["body"]["type"] != "VoteCast"
    close = next(e for e in entries if e["kind"] == "anon_close")
    assert close["body"] == {
        "vote": 1,
        "tally": [{"counts": {"yes": 4, "no": 4, "abstain": 4}, "voted": list(range(1, 13))}],
    }
    # the key that could open the boxes is gone, and nothing in memory links seats to choices
    assert conf.keys.existing() == [] and conf._vote_keys == {}
    assert not list((tmp_path / "anon.journal.keys").glob("*.key"))
    record = conf.state.voting.records[0]
    assert record.questions[0].named is None
    for snap in snapshots:
        text = json.dumps(snap, ensure_ascii=False)
        assert '"named"' not in text
        current = snap["voting"]["current"]
        if current is not None:
            assert "counts" not in current["questions"][0]
    result = snapshots[-1]["voting"]["results"][0]["questions"][0]
    assert (result["yes"], result["no"], result["abstain"]) == (4, 4, 4)


def test_anonymous_ballot_memory_holds_only_opaque_commitments() -> None:
    state = ConferenceState(make_setup(6, settings=VoteSettings(anonymous=True, press=PressRule.LAST)))
    _run(state, [*_prelude(6), ev.OpenVote(10.0, "b1"), *_casts(range(1, 7), 11.0)])
    assert state.voting.current is not None
    ballot = state.voting.current.ballots[0]
    assert ballot.named == {}
    values = list(ballot._commitments.values())
    assert len(set(values)) == len(values) == 6  # per-seat salted: equal choices do not look equal
    state.apply(ev.CloseVote(20.0))
    assert ballot._commitments == {} and ballot._key == b""


def test_replay_after_close_without_key_gives_the_same_result(tmp_path: Path) -> None:
    path, conf, _ = _anonymous_run(tmp_path)
    resumed = JournaledConference.open(path)
    assert resumed.state.snapshot() == conf.state.snapshot()
    assert resumed.snapshot()["journal"] == conf.snapshot()["journal"]
