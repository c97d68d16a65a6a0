"""The chair's console, the big screen and the seat panel driven by seat events."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from apps.kiosk.bigscreen import BigScreen
from apps.kiosk.console import ChairConsole, parse_seats
from apps.kiosk.panel import SeatPanel
from apps.kiosk.seatface import SeatFace
from apps.kiosk.source import ConferenceFeed, LocalConference
from core.conference import events as ev
from core.conference.meeting import MicMode
from tests.kiosk.conftest import Clock


def _faces(qtbot: QtBot, feed: ConferenceFeed) -> tuple[ChairConsole, BigScreen, SeatPanel]:
    console, big, panel = ChairConsole(feed), BigScreen(feed), SeatPanel(feed)
    for w in (console, big, panel):
        qtbot.addWidget(w)
        w.show()
    return console, big, panel


def _sign_in(qtbot: QtBot, feed: ConferenceFeed, panel: SeatPanel, seats: range) -> None:
    for seat in seats:
        with qtbot.waitSignal(feed.changed):
            panel.cells[seat].sign_in.click()


def test_sign_in_shows_on_the_map_and_in_attendance(qtbot: QtBot, feed: ConferenceFeed) -> None:
    console, big, panel = _faces(qtbot, feed)
    assert console.seat_map.states()[3] == "absent"
    _sign_in(qtbot, feed, panel, range(1, 6))
    qtbot.waitUntil(lambda: console.seat_map.states()[3] == "present")
    states = console.seat_map.states()
    assert [states[s] for s in range(1, 7)] == ["present"] * 5 + ["absent"]
    assert "5 / 全体 30" in console.attendance.text()
    assert "未达到" in console.quorum.text()
    assert big.seat_map.states() == states
    assert "5 / 30" in big.attendance.text()
    assert not panel.cells[3].sign_in.isEnabled()
    _sign_in(qtbot, feed, panel, range(6, 17))
    qtbot.waitUntil(lambda: "已达到" in console.quorum.text())
    assert "16 / 全体 30" in console.attendance.text()


def test_speaking_request_queues_and_approve_gives_the_floor(qtbot: QtBot, feed: ConferenceFeed) -> None:
    console, big, panel = _faces(qtbot, feed)
    _sign_in(qtbot, feed, panel, range(1, 10))
    console.mode_combo.setCurrentIndex(console.mode_combo.findData(str(MicMode.APPLY)))
    console.mode_button.click()
    assert feed.snapshot["speaking"]["mode"] == "apply"
    with qtbot.waitSignal(feed.changed):
        panel.cells[7].speak.click()
    panel.cells[4].speak.click()
    qtbot.waitUntil(lambda: console.queue_list.count() == 2)
    assert console.queue_list.item(0).text().startswith("1. 7")
    assert console.seat_map.states()[7] == "requesting"
    assert "7" in big.queue.text()
    console.approve_button.click()  # nothing selected: the first in the queue
    qtbot.waitUntil(lambda: console.speakers_list.count() == 1)
    assert console.speakers_list.item(0).text().startswith("7")
    assert console.seat_map.states()[7] == "speaking"
    assert big.speaker.text().startswith("7 ")
    assert [console.queue_list.item(i).text()[:4] for i in range(console.queue_list.count())] == ["1. 4"]
    console.mute_button.click()
    qtbot.waitUntil(lambda: console.speakers_list.count() == 0)
    assert console.seat_map.states()[7] == "present"
    assert console.seat_map.states()[4] == "requesting"  # mute-all keeps the queue
    console.queue_list.setCurrentRow(0)
    console.reject_button.click()
    qtbot.waitUntil(lambda: console.queue_list.count() == 0)


def test_vote_from_the_panel_to_the_result_with_its_citation(
        qtbot: QtBot, feed: ConferenceFeed, clock: Clock) -> None:
    console, big, panel = _faces(qtbot, feed)
    _sign_in(qtbot, feed, panel, range(1, 21))
    console.open_meeting_button.click()
    qtbot.waitUntil(lambda: console.open_vote_button.isEnabled())
    console.select_item("b1")  # anonymous, 60 s, half of all members of the standing committee
    assert console.anonymous_check.isChecked()
    assert console.duration_spin.value() == 60
    assert not panel.cells[3].votes["yes"].isEnabled()
    with qtbot.waitSignal(feed.changed):
        console.open_vote_button.click()
    qtbot.waitUntil(lambda: panel.cells[3].votes["yes"].isEnabled())
    assert not panel.cells[25].votes["yes"].isEnabled()  # not signed in
    assert "剩余 01:00" in console.countdown.text()
    assert big.verdict.text() == "01:00"
    for seat in range(1, 17):
        panel.cells[seat].votes["yes"].click()
    panel.cells[17].votes["no"].click()
    qtbot.waitUntil(lambda: "已表决 17" in console.tally.text())
    assert "已表决 17 人" in big.counts.text()
    assert not panel.cells[3].votes["no"].isEnabled()  # first press is valid
    clock.advance(20)
    feed.tick()
    qtbot.waitUntil(lambda: "剩余 00:40" in console.countdown.text())
    assert big.verdict.text() == "00:40"
    with qtbot.waitSignal(feed.changed):
        console.close_vote_button.click()
    qtbot.waitUntil(lambda: big.verdict.text() == "通过")
    assert "赞成 16" in big.counts.text() and "反对 1" in big.counts.text()
    assert "16 票（全体 30 人）" in big.rule.text()
    assert "组织法" in big.citation.text()
    assert "通过" in console.countdown.text()
    assert not panel.cells[3].votes["yes"].isEnabled()


def test_fixed_duration_vote_closes_itself_on_the_tick(qtbot: QtBot, feed: ConferenceFeed, clock: Clock) -> None:
    console, big, panel = _faces(qtbot, feed)
    _sign_in(qtbot, feed, panel, range(1, 17))
    console.open_meeting_button.click()
    console.select_item("b1")
    console.open_vote_button.click()
    for seat in range(1, 10):
        panel.cells[seat].votes["yes"].click()
    clock.advance(61)
    with qtbot.waitSignal(feed.changed):
        feed.tick()
    qtbot.waitUntil(lambda: big.verdict.text() == "未通过")  # 9 of 30 is not more than half
    assert "未按键 21" in big.counts.text()


def test_anonymous_vote_shows_who_voted_but_never_the_choice(qtbot: QtBot, feed: ConferenceFeed) -> None:
    console, big, panel = _faces(qtbot, feed)
    _sign_in(qtbot, feed, panel, range(1, 21))
    console.open_meeting_button.click()
    console.select_item("b1")
    console.open_vote_button.click()
    panel.cells[2].votes["yes"].click()
    panel.cells[3].votes["no"].click()
    panel.cells[4].votes["abstain"].click()
    qtbot.waitUntil(lambda: console.seat_map.states()[4] == "voted")
    states = console.seat_map.states()
    assert {states[2], states[3], states[4]} == {"voted"}
    assert states[5] == "present"
    words = ("赞成", "反对", "弃权")
    for face in (console.seat_map, big.seat_map):
        for tile in face.tiles.values():
            assert not any(w in tile.text() or w in tile.toolTip() or w in tile.accessibleName() for w in words)
    assert "赞成" not in console.tally.text() and "反对" not in console.tally.text()
    question = feed.snapshot["voting"]["current"]["questions"][0]
    assert "counts" not in question and "named" not in question


def test_named_vote_with_delayed_reveal_waits_for_the_chair(qtbot: QtBot, feed: ConferenceFeed) -> None:
    console, big, panel = _faces(qtbot, feed)
    _sign_in(qtbot, feed, panel, range(1, 21))
    console.open_meeting_button.click()
    console.select_item("b2")
    assert not console.anonymous_check.isChecked()
    console.open_vote_button.click()
    for seat in range(1, 20):
        panel.cells[seat].votes["yes"].click()
    qtbot.waitUntil(lambda: "已表决 19" in console.tally.text())
    assert "赞成" not in console.tally.text()  # delayed reveal hides live counts of a named vote too
    console.close_vote_button.click()
    qtbot.waitUntil(lambda: big.verdict.text() == "结果待宣布")
    assert console.reveal_button.isEnabled()
    console.reveal_button.click()
    qtbot.waitUntil(lambda: big.verdict.text() == "通过")


def test_show_of_hands_is_entered_and_marked(qtbot: QtBot, feed: ConferenceFeed) -> None:
    console, big, panel = _faces(qtbot, feed)
    _sign_in(qtbot, feed, panel, range(1, 21))
    console.open_meeting_button.click()
    console.select_item("b1")
    dialog = console.show_of_hands()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    yes, no, abstain = dialog.spins[0]
    yes.setValue(25)
    no.setValue(10)
    dialog.submit()
    assert dialog.error.isVisibleTo(dialog) and dialog.result() == 0  # 35 > 30 members
    no.setValue(2)
    abstain.setValue(1)
    with qtbot.waitSignal(feed.changed):
        dialog.submit()
    qtbot.waitUntil(lambda: big.verdict.text() == "通过")
    assert "举手表决" in big.counts.text()
    assert feed.snapshot["voting"]["results"][-1]["show_of_hands"] is True


def test_refusals_are_shown_and_messages_reach_the_seats(qtbot: QtBot, feed: ConferenceFeed) -> None:
    console, _big, panel = _faces(qtbot, feed)
    seat_face = SeatFace(feed, 3)
    qtbot.addWidget(seat_face)
    _sign_in(qtbot, feed, panel, range(1, 5))
    console.open_meeting_button.click()
    with qtbot.waitSignal(feed.refused):
        console.open_vote_button.click()  # 4 of 30 present: no quorum
    assert "法定人数" in console.status.text()
    console.message_seats.setText("3, 5-6")
    console.message_text.setText("请各位委员回到座位")
    with qtbot.waitSignal(feed.messages_sent):
        console.send_button.click()
    assert seat_face.message.isVisibleTo(seat_face)
    assert "请各位委员回到座位" in seat_face.message.text()
    assert "3、5、6" in console.sent_label.text()
    source = feed.source
    assert isinstance(source, LocalConference) and source.sent[-1].seats == (3, 5, 6)
    console.message_seats.setText("三号")
    console.message_text.setText("x")
    console.send_button.click()
    assert "席位写法" in console.status.text()
    assert parse_seats("") == [] and parse_seats("2-4,9") == [2, 3, 4, 9] and parse_seats("4-2") is None


def test_manual_sign_in_and_a_faulty_seat(qtbot: QtBot, feed: ConferenceFeed) -> None:
    console, big, _panel = _faces(qtbot, feed)
    console.member_combo.setCurrentIndex(console.member_combo.findData("m008"))
    console.manual_button.click()
    qtbot.waitUntil(lambda: console.seat_map.states()[8] == "present")
    feed.send(lambda t: ev.SeatFault(8, t, "按键无响应"))
    qtbot.waitUntil(lambda: console.seat_map.states()[8] == "fault")
    assert big.seat_map.states()[8] == "fault"


def test_a_source_that_changes_in_another_thread_refreshes_the_faces(qtbot: QtBot) -> None:
    """A runtime-like source: seat events applied in a worker thread, announced to subscribers."""
    import threading
    from collections.abc import Callable
    from typing import Any

    from apps.kiosk.demo import demo_setup
    from core.conference.state import ConferenceState

    class ThreadedSource(LocalConference):
        def __init__(self) -> None:
            super().__init__(ConferenceState(demo_setup()))
            self.lock = threading.Lock()
            self.subscribers: list[Callable[[Any], None]] = []

        def snapshot(self) -> dict[str, Any]:
            with self.lock:
                return super().snapshot()

        def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]:
            self.subscribers.append(callback)
            return lambda: self.subscribers.remove(callback)

        def now(self) -> float:
            return 50.0

        def press(self, seat: int) -> None:
            with self.lock:
                self.apply(ev.SeatKeyPressed(seat, 50.0))
            for callback in list(self.subscribers):
                callback(seat)

    source = ThreadedSource()
    feed = ConferenceFeed(source, tick_ms=0)
    assert feed.now() == 50.0 and len(source.subscribers) == 1
    console = ChairConsole(feed)
    qtbot.addWidget(console)
    with qtbot.waitSignal(feed.changed):
        def press_two() -> None:
            for seat in (2, 3):
                source.press(seat)

        worker = threading.Thread(target=press_two)
        worker.start()
    worker.join()
    qtbot.waitUntil(lambda: console.seat_map.states()[3] == "present")
    feed.detach()
    assert source.subscribers == []


def test_person_by_person_vote_moves_the_terminals_to_the_next_candidate(qtbot: QtBot, feed: ConferenceFeed) -> None:
    console, _, _ = _faces(qtbot, feed)
    for seat in range(1, 21):
        feed.apply(ev.SeatKeyPressed(seat, feed.now()))
    feed.send(lambda t: ev.OpenMeeting(t))
    console.item_combo.setCurrentIndex(console.item_combo.findData("p1"))
    with qtbot.waitSignal(feed.changed):
        console.open_vote_button.click()
    qtbot.waitUntil(lambda: console.next_question_button.isEnabled())
    assert console.next_question_button.isVisible()
    assert "▶ 张明" in console.tally.text()
    feed.apply(ev.VoteCast(3, feed.now(), "yes", 0))
    with qtbot.waitSignal(feed.changed):
        console.next_question_button.click()
    qtbot.waitUntil(lambda: "▶ 李华" in console.tally.text())
    assert "（已截止）" in console.tally.text()
    assert not console.next_question_button.isEnabled()  # the last candidate is being voted on
    assert not feed.apply(ev.VoteCast(4, feed.now(), "yes", 0)).ok  # a late press for 张明
    assert feed.apply(ev.VoteCast(4, feed.now(), "no", 1)).ok
    from apps.kiosk.seatface import can_vote

    assert not can_vote(feed.snapshot, 5, 0) and can_vote(feed.snapshot, 5, 1)
