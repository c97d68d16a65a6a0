"""Kiosk lock-down (PIN, close, Escape, face switching), the seat face, and restart from the journal."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from apps.common.qt import QApplication, QGuiApplication, QKeySequence, Qt, QtGui
from apps.kiosk.lockdown import KioskWindow, PinDialog, PinStore, hash_pin, pin_matches
from apps.kiosk.seatface import SeatFace
from apps.kiosk.source import ConferenceFeed
from apps.kiosk.window import open_kiosk
from core.conference import events as ev

PIN = "2468"


def _pins(tmp_path: Path) -> PinStore:
    store = PinStore(tmp_path / "kiosk.ini")
    store.set_pin(PIN)
    return store


def _kiosk(qtbot: QtBot, feed: ConferenceFeed, pins: PinStore) -> KioskWindow:
    window = KioskWindow(feed, pins)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def _enter(qtbot: QtBot, window: KioskWindow, pin: str) -> PinDialog:
    dialog = window.pin_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.pin_edit.setText(pin)
    dialog.submit()
    return dialog


def test_pin_is_stored_only_as_a_salted_hash(tmp_path: Path) -> None:
    store = _pins(tmp_path)
    text = (tmp_path / "kiosk.ini").read_text()
    stored = re.search(r"pbkdf2_sha256\$\d+\$[0-9a-f]{32}\$[0-9a-f]{64}", text)
    assert stored is not None
    # the hash's hexadecimal digits may contain the PIN's digits by chance; nothing else in the file may
    assert PIN not in text.replace(stored.group(0), "")
    assert store.check(PIN) and not store.check("1357") and not store.check("")
    assert hash_pin(PIN) != hash_pin(PIN)  # fresh salt each time
    assert not pin_matches(PIN, "garbage")


def test_close_is_refused_without_the_pin_and_accepted_with_it(
        qtbot: QtBot, feed: ConferenceFeed, tmp_path: Path) -> None:
    window = _kiosk(qtbot, feed, _pins(tmp_path))
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint and flags & Qt.WindowType.WindowStaysOnTopHint
    assert window.close() is False  # Alt+F4 and the window manager end up here
    assert window.isVisible()
    dialog = _enter(qtbot, window, "1111")
    assert "密码错误" in dialog.error.text() and window.isVisible()
    dialog.reject()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.isVisible()
    window.request_exit()
    _enter(qtbot, window, PIN)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_too_many_wrong_pins_lock_the_dialog(qtbot: QtBot, feed: ConferenceFeed, tmp_path: Path) -> None:
    window = _kiosk(qtbot, feed, _pins(tmp_path))
    window.request_exit()
    for _ in range(5):
        dialog = _enter(qtbot, window, "0000")
    assert not dialog.pin_edit.isEnabled() and "30 秒" in dialog.error.text()
    dialog._lift_lockout()
    assert dialog.pin_edit.isEnabled()
    dialog.reject()


def test_switching_faces_takes_the_pin(qtbot: QtBot, feed: ConferenceFeed, tmp_path: Path) -> None:
    window = _kiosk(qtbot, feed, _pins(tmp_path))
    assert window.face == "console"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keySequence(window, QKeySequence("Ctrl+Alt+2"))
    for key in (Qt.Key.Key_Alt, Qt.Key.Key_Control):  # let go of the modifiers, as a person's hand would
        qtbot.keyRelease(window, key, Qt.KeyboardModifier.NoModifier)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
    assert window.face == "console"
    _enter(qtbot, window, PIN)
    qtbot.waitUntil(lambda: window.face == "bigscreen")
    window.guarded(lambda: window.show_face("seat"))
    dialog = _enter(qtbot, window, "9999")
    dialog.reject()
    assert window.face == "bigscreen"


def test_first_start_has_the_operator_choose_a_pin(qtbot: QtBot, feed: ConferenceFeed, tmp_path: Path) -> None:
    store = PinStore(tmp_path / "first.ini")
    window = KioskWindow(feed, store)
    qtbot.addWidget(window)
    window.start()
    assert window.isFullScreen()
    dialog = window.pin_dialog
    assert dialog is not None and dialog.setting
    qtbot.waitUntil(dialog.isVisible)
    dialog.reject()  # cannot be dismissed
    assert dialog.isVisible()
    dialog.pin_edit.setText("12")
    dialog.submit()
    assert not store.has_pin()
    dialog.pin_edit.setText("5791")
    dialog.confirm_edit.setText("5790")
    dialog.submit()
    assert not store.has_pin()
    dialog.confirm_edit.setText("5791")
    dialog.submit()
    assert store.has_pin() and store.check("5791")
    assert window.close() is False
    # a task switch to another program brings the kiosk back; its own windows keep the focus
    assert window.reclaim() is (QApplication.activeWindow() is None)
    assert not KioskWindow(feed, store).reclaim()  # not started full screen


def test_seat_face_vote_keys_only_during_a_vote_and_only_when_signed_in(
        qtbot: QtBot, feed: ConferenceFeed) -> None:
    face = SeatFace(feed, 3)
    absent = SeatFace(feed, 29)
    for w in (face, absent):
        qtbot.addWidget(w)
        w.show()
    for seat in range(1, 17):
        if seat != 3:
            feed.send(lambda t, s=seat: ev.SeatKeyPressed(s, t))  # type: ignore[misc]
    feed.send(lambda t: ev.OpenMeeting(t))
    assert face.sign_in_button.isEnabled()
    assert not face.speak_button.isEnabled()
    with qtbot.waitSignal(feed.changed):
        face.sign_in_button.click()
    assert face.state.text() == "已报到" and not face.sign_in_button.isEnabled()
    assert not any(b.isEnabled() for b in face.vote_buttons.values())
    feed.send(lambda t: ev.OpenVote(t, "b1"))
    qtbot.waitUntil(lambda: face.vote_buttons["yes"].isEnabled())
    assert not any(b.isEnabled() for b in absent.vote_buttons.values())
    assert "请先报到" in absent.vote_state.text()
    face.speak_button.click()
    qtbot.waitUntil(lambda: face.speak_button.text() == "取消发言申请" or face.speak_button.text() == "结束发言")
    face.vote_buttons["no"].click()
    qtbot.waitUntil(lambda: face.vote_state.text() == "已表决")
    assert not face.vote_buttons["yes"].isEnabled()  # first press is valid
    feed.send(lambda t: ev.CloseVote(t))
    qtbot.waitUntil(lambda: face.vote_title.text() == "当前没有表决")


def test_restart_from_the_journal_restores_the_running_meeting(qtbot: QtBot, tmp_path: Path) -> None:
    journal = tmp_path / "meeting.jsonl"
    pins = _pins(tmp_path)
    first = open_kiosk(journal, pins=pins)
    qtbot.addWidget(first)
    assert not first.resumed
    feed = first.feed
    for seat in range(1, 21):
        feed.send(lambda t, s=seat: ev.SeatKeyPressed(s, t))  # type: ignore[misc]
    feed.send(lambda t: ev.OpenMeeting(t))
    feed.send(lambda t: ev.SpeakRequested(4, t))
    feed.send(lambda t: ev.OpenVote(t, "b1"))
    for seat in range(1, 12):
        feed.send(lambda t, s=seat: ev.VoteCast(s, t, "yes"))  # type: ignore[misc]
    before = feed.snapshot
    first.console.update_from(before)
    # the console is killed mid-vote: no close, no clean-up; a new kiosk opens the same journal
    second = open_kiosk(journal, pins=pins)
    qtbot.addWidget(second)
    assert second.resumed
    after = second.feed.snapshot
    for key in ("attendance", "seats", "speaking"):
        assert after[key] == before[key]
    assert after["voting"]["current"]["questions"] == before["voting"]["current"]["questions"]
    assert "已从会议日志恢复" in second.console.status.text()
    assert "已表决 11 / 出席 20" in second.console.tally.text()
    assert second.console.seat_map.states() == first.console.seat_map.states()
    for seat in range(12, 17):
        second.feed.send(lambda t, s=seat: ev.VoteCast(s, t, "yes"))  # type: ignore[misc]
    second.console.close_vote_button.click()
    qtbot.waitUntil(lambda: second.bigscreen.verdict.text() == "通过")
    keypress = QtGui.QKeyEvent(QtGui.QKeyEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    second.keyPressEvent(keypress)
    assert keypress.isAccepted()


def test_seat_face_votes_person_by_person_in_an_appointment(qtbot: QtBot, feed: ConferenceFeed) -> None:
    face = SeatFace(feed, 2)
    qtbot.addWidget(face)
    face.show()
    for seat in range(1, 17):
        feed.send(lambda t, s=seat: ev.SeatKeyPressed(s, t))  # type: ignore[misc]
    feed.send(lambda t: ev.OpenMeeting(t))
    feed.send(lambda t: ev.OpenVote(t, "p1"))  # two candidates, anonymous, first press valid
    qtbot.waitUntil(lambda: face.next_button.isVisibleTo(face))
    assert face.question_label.text().startswith("第 1 / 2 项：张明")
    face.vote_buttons["yes"].click()
    qtbot.waitUntil(lambda: not face.vote_buttons["yes"].isEnabled())
    face.next_button.click()
    assert face.question_label.text().startswith("第 2 / 2 项：李华")
    assert face.vote_buttons["no"].isEnabled() and face.vote_state.text() == "请按键表决"
    face.vote_buttons["no"].click()
    qtbot.waitUntil(lambda: face.vote_state.text() == "已表决")
    questions = feed.snapshot["voting"]["current"]["questions"]
    assert [q["voted"] for q in questions] == [[2], [2]]


def test_a_locked_kiosk_the_suite_closed_is_gone_with_its_tick_before_the_next_test(
        qtbot: QtBot, tmp_path: Path) -> None:
    import shiboken6

    from tests.helpers.qt import delete_closed_objects

    window = open_kiosk(tmp_path / "meeting.jsonl", pins=_pins(tmp_path))
    window.show()
    tick = window.feed.timer
    assert tick.isActive()
    # what pytest-qt does with a test's widgets at its end: a locked kiosk refuses the close, and is deleted later
    assert window.close() is False
    window.deleteLater()
    delete_closed_objects()  # the suite's teardown (tests/conftest.py), before any event loop runs again
    assert not shiboken6.isValid(tick) and not shiboken6.isValid(window)
