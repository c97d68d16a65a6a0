"""Property tests: random event sequences keep the tallies sound and the journal replays exactly."""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.conference import events as ev
from core.conference.journal import JournaledConference
from core.conference.meeting import PressRule, QuorumRule, Reveal, VoteSettings
from core.conference.state import ConferenceState
from core.conference.voting import Choice
from tests.conference.factory import make_setup

N = 8
SEATS = st.integers(min_value=0, max_value=N + 1)
ITEMS = st.sampled_from(["b1", "a1", "a2", "b2", "c1", "p1", "zz"])
VOTE_SETTINGS = st.builds(
    VoteSettings,
    anonymous=st.booleans(),
    press=st.sampled_from(list(PressRule)),
    duration_s=st.one_of(st.none(), st.sampled_from([3.0, 10.0])),
    reveal=st.sampled_from(list(Reveal)),
    majority=st.sampled_from(["half_of_all", "two_thirds_of_all"]),
)


def _settings(data: VoteSettings) -> VoteSettings:
    return VoteSettings.from_dict(data.to_dict())


CAST = st.builds(
    lambda s, c, q: ("cast", s, c, q),
    st.one_of(st.integers(1, N), SEATS),
    st.sampled_from(["yes", "no", "abstain"]),
    st.sampled_from([0, 0, 0, 1, 2]),
)
EPISODE = st.builds(
    lambda i, v, casts, end: ("episode", i, v, casts, end),
    st.sampled_from(["b1", "a1", "a2", "b2", "c1", "p1"]),
    st.one_of(st.none(), VOTE_SETTINGS),
    st.lists(CAST, min_size=1, max_size=25),
    st.sampled_from(["close", "cancel", "tick", "open"]),
)
SIGNED = st.frozensets(st.integers(1, N), min_size=2)
STEP = st.one_of(
    EPISODE,
    EPISODE,
    st.builds(lambda s: ("key", s), SEATS),
    st.builds(lambda s: ("leave", s), SEATS),
    CAST,
    CAST,
    CAST,
    CAST,
    st.builds(lambda i, v: ("open", i, v), ITEMS, st.one_of(st.none(), VOTE_SETTINGS)),
    st.just(("close",)),
    st.just(("cancel",)),
    st.just(("tick",)),
    st.builds(lambda s: ("speak", s), SEATS),
    st.builds(lambda s: ("unspeak", s), SEATS),
    st.builds(lambda i, c: ("hands", i, c), ITEMS, st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4))),
    st.builds(lambda s, i: ("reveal", i), SEATS, ITEMS),
    st.builds(lambda s: ("fault", s), SEATS),
)


def _messages(steps: list[tuple], signed: frozenset[int] = frozenset(range(1, N + 1))) -> list[ev.Message]:
    msgs: list[ev.Message] = [ev.SeatKeyPressed(s, 0.0) for s in sorted(signed)]
    msgs.append(ev.OpenMeeting(0.0))
    expanded: list[tuple] = []
    for step in steps:
        if step[0] == "episode":
            _, item, vote_settings, casts, end = step
            expanded += [("open", item, vote_settings), *casts]
            expanded += [] if end == "open" else [("tick",)] * 11 if end == "tick" else [(end,)]
        else:
            expanded.append(step)
    for n, step in enumerate(expanded, start=1):
        t = float(n)
        match step:
            case ("key", s):
                msgs.append(ev.SeatKeyPressed(s, t))
            case ("leave", s):
                msgs.append(ev.SeatLeft(s, t))
            case ("cast", s, c, q):
                msgs.append(ev.VoteCast(s, t, c, q))
            case ("open", i, v):
                msgs.append(ev.OpenVote(t, i, None if v is None else _settings(v)))
            case ("close",):
                msgs.append(ev.CloseVote(t))
            case ("cancel",):
                msgs.append(ev.CancelVote(t))
            case ("tick",):
                msgs.append(ev.Tick(t))
            case ("speak", s):
                msgs.append(ev.SpeakRequested(s, t))
            case ("unspeak", s):
                msgs.append(ev.SpeakCancelled(s, t))
            case ("hands", i, c):
                msgs.append(ev.EnterShowOfHands(t, i, (c,) if i != "p1" else (c, c, c)))
            case ("reveal", i):
                msgs.append(ev.RevealResult(t, i))
            case ("fault", s):
                msgs.append(ev.SeatFault(s, t, "x"))
    return msgs


def _check_invariants(state: ConferenceState) -> None:
    current = state.voting.current
    if current is not None:
        for ballot in current.ballots:
            assert all(n >= 0 for n in ballot.counts.values())
            assert sum(ballot.counts.values()) == len(ballot.voted)
            assert ballot.voted <= set(state.setup.seats)
            if current.settings.anonymous:
                assert ballot.named == {}
            else:
                assert set(ballot.named) == ballot.voted
                assert Counter(ballot.named.values()) == Counter({c: n for c, n in ballot.counts.items() if n})
    for record in state.voting.records:
        for q in record.questions:
            assert min(q.yes, q.no, q.abstain, q.not_voted) >= 0
            assert q.yes + q.no + q.abstain + q.not_voted == state.setup.total_members
            if q.named is not None:
                assert len(q.named) == q.yes + q.no + q.abstain
    att = state.attendance
    assert 0 <= att.present_count <= state.setup.total_members


LOW_QUORUM = QuorumRule(1, 4, False, "测试")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SIGNED, st.lists(STEP, min_size=3, max_size=60))
def test_random_sequences_keep_tallies_sound(signed: frozenset[int], steps: list[tuple]) -> None:
    state = ConferenceState(make_setup(N, quorum=LOW_QUORUM))
    for m in _messages(steps, signed):
        before = _tally(state)
        outcome = state.apply(m)
        _check_invariants(state)
        if isinstance(m, ev.VoteCast) and not outcome.ok:
            assert _tally(state) == before  # a refused press changes nothing


def _tally(state: ConferenceState) -> object:
    current = state.voting.current
    if current is None:
        return None
    return [(dict(b.counts), set(b.voted)) for b in current.ballots]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SIGNED, st.lists(STEP, min_size=3, max_size=40))
def test_replay_of_the_journal_equals_the_live_state(signed: frozenset[int], steps: list[tuple]) -> None:
    setup = make_setup(N, quorum=LOW_QUORUM)
    msgs = _messages(steps, signed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "j"
        live = JournaledConference.create(path, setup)
        reference = ConferenceState(setup)
        for m in msgs:
            assert live.apply(m) == reference.apply(m)
        replayed = JournaledConference.open(path)
        assert replayed.state.snapshot() == live.state.snapshot() == reference.snapshot()
        assert _tally(replayed.state) == _tally(live.state)
        assert replayed.verify().ok
        if live.state.anonymous_vote_open() is None:
            assert live.keys.existing() == []


def test_each_seat_counts_once_per_question() -> None:
    state = ConferenceState(make_setup(N, settings=VoteSettings(anonymous=True, press=PressRule.LAST), quorum=LOW_QUORUM))
    for s in range(1, N + 1):
        state.apply(ev.SeatKeyPressed(s, 0.0))
    state.apply(ev.OpenMeeting(0.5))
    state.apply(ev.OpenVote(1.0, "b1"))
    for rep in range(5):
        for s in range(1, N + 1):
            state.apply(ev.VoteCast(s, 2.0 + rep, list(Choice)[(s + rep) % 3].value))
    assert state.voting.current is not None
    ballot = state.voting.current.ballots[0]
    assert len(ballot.voted) == N and sum(ballot.counts.values()) == N


def _random_steps(rng: random.Random, length: int) -> list[tuple]:
    steps: list[tuple] = []
    items = ["b1", "a1", "a2", "b2", "c1", "p1"]
    for _ in range(length):
        roll = rng.random()
        seat = rng.randint(0, N + 1)
        if roll < 0.5:
            steps.append(("cast", seat, rng.choice(["yes", "no", "abstain"]), rng.choice([0, 0, 0, 1, 2])))
        elif roll < 0.6:
            v = VoteSettings(
                anonymous=rng.random() < 0.5,
                press=rng.choice(list(PressRule)),
                duration_s=rng.choice([None, 5.0, 20.0]),
                reveal=rng.choice(list(Reveal)),
                majority=rng.choice(["half_of_all", "two_thirds_of_all"]),
            )
            steps.append(("open", rng.choice(items), v))
        elif roll < 0.68:
            steps.append((rng.choice(["close", "cancel", "tick", "tick"]),))
        elif roll < 0.76:
            steps.append((rng.choice(["key", "leave", "fault"]), seat))
        elif roll < 0.9:
            steps.append((rng.choice(["speak", "unspeak"]), seat))
        else:
            steps.append(("hands", rng.choice(items), (rng.randint(0, 3), rng.randint(0, 3), rng.randint(0, 3))))
    return steps


def test_long_random_sessions_replay_exactly(tmp_path: Path) -> None:
    """Longer seeded sessions than hypothesis builds: invariants after every step, then replay."""
    setup = make_setup(N, quorum=LOW_QUORUM)
    accepted_casts = 0
    for seed in range(12):
        rng = random.Random(seed)
        msgs = _messages(_random_steps(rng, 250), frozenset(range(1, N + 1)))
        path = tmp_path / f"j{seed}"
        live = JournaledConference.create(path, setup)
        for m in msgs:
            outcome = live.apply(m)
            accepted_casts += isinstance(m, ev.VoteCast) and outcome.ok
            _check_invariants(live.state)
        replayed = JournaledConference.open(path)
        assert replayed.state.snapshot() == live.state.snapshot()
        assert _tally(replayed.state) == _tally(live.state)
    assert accepted_casts > 50  # the sessions really vote
