"""The meeting-preparation app under pytest-qt, offscreen, on a real local store synced with a server:
create a meeting, pick members from the deputy registry, seat them, bind a card, set a vote rule, save,
reopen, send it to the hall, and run it in the kiosk runtime on another computer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from apps.common.qt import QDialogButtonBox
from apps.conference.demo import demo_draft
from apps.conference.members import DeputyPicker
from apps.conference.services import PrepServices
from apps.conference.window import PrepWorkspace
from apps.kiosk.runtime import ConferenceRuntime, prepared_setup
from core.conference.journal import JournalError
from core.conference.meeting import Member
from core.models.registry import Deputy
from core.sync.client import SyncClient
from devices.seats import open_bus
from devices.seats.simulator import SeatSimulator
from tests.devices.conftest import unique
from tests.helpers.waits import WAIT_MS, WAIT_S
from tests.sync.harness import World

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support .*")
DEPUTIES = [("王建国", "黄浦区代表团"), ("李明华", "徐汇区代表团"), ("张秀英", "长宁区代表团"),
            ("刘志强", "静安区代表团"), ("陈丽娟", "普陀区代表团"), ("杨海燕", "虹口区代表团"),
            ("黄国庆", "杨浦区代表团")]
WAIT = WAIT_MS


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path, f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with w.factory() as s, s.begin():
        for name, delegation in DEPUTIES:
            s.add(Deputy(name=name, delegation=delegation))
    yield w
    w.close()


@pytest.fixture
def operator(world: World) -> SyncClient:
    client = world.client(world.add_user("huiwu", "conference_operator"))
    client.sync()
    return client


@pytest.fixture
def workspace(qtbot: QtBot, operator: SyncClient) -> PrepWorkspace:
    ws = PrepWorkspace(PrepServices(operator.store.session))
    qtbot.addWidget(ws)
    ws.resize(1500, 960)
    ws.show()
    qtbot.waitUntil(lambda: not ws.busy, timeout=WAIT)
    return ws


def _idle(qtbot: QtBot, ws: PrepWorkspace) -> None:
    qtbot.waitUntil(lambda: not ws.busy, timeout=WAIT)


def _pick(qtbot: QtBot, ws: PrepWorkspace, names: list[str]) -> None:
    editor = ws.editor
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.members)
    editor.members.add_button.click()
    qtbot.waitUntil(lambda: editor.members.picker is not None and editor.members.picker.isVisible(), timeout=WAIT)
    picker = editor.members.picker
    assert isinstance(picker, DeputyPicker)
    picker.search.setText("区")
    for entry in [picker.list.item(i) for i in range(picker.list.count())]:
        if any(entry.text().startswith(n) for n in names):
            picker.check(entry.data(256).deputy_id)
    box = picker.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Ok).click()


def test_prepare_save_reopen_and_send_a_meeting(qtbot: QtBot, workspace: PrepWorkspace, operator: SyncClient,
                                                world: World, tmp_path: Path) -> None:
    ws = workspace
    assert ws.list_page.empty.isVisible()
    ws.list_page.new_button.click()
    editor = ws.editor
    assert editor is not None and ws.currentWidget() is editor
    editor.basics.title.setText("主席团第四次会议")
    editor.basics.place.setText("第一会议室")
    editor.basics.quorum.setCurrentIndex(editor.basics.quorum.findData("presidium"))

    _pick(qtbot, ws, ["王建国", "李明华", "张秀英", "刘志强", "陈丽娟"])
    draft = editor.draft
    assert sorted(m.name for m in draft.members) == sorted(["王建国", "李明华", "张秀英", "刘志强", "陈丽娟"])
    assert editor.members.table.rowCount() == 5
    assert set(draft.deputies) == {m.member_id for m in draft.members}
    _pick(qtbot, ws, ["王建国"])  # already in the meeting: offered disabled, nothing added twice
    assert len(draft.members) == 5

    # seats: one by drop, one by selection and button, the rest by auto-fill; seat 1 chairs
    seats = editor.seats
    editor.tabs.setCurrentWidget(seats)
    first = next(m.member_id for m in draft.members if m.name == "王建国")
    second = next(m.member_id for m in draft.members if m.name != "王建国")
    seats.grid.member_dropped.emit(1, first)
    assert draft.seats == {1: first}
    seats.members.setCurrentRow(0)
    chosen = seats.members.selected_member()
    seats.grid.select_seat(3)
    seats.place_button.click()
    assert chosen is not None and draft.seats[3] == chosen
    other = next(m.member_id for m in draft.members if m.member_id not in (first, chosen))
    seats.grid.member_dropped.emit(3, other)  # taken: refused with a message
    assert "已安排" in editor.feedback.text() and draft.seats[3] == chosen
    seats.fill_button.click()
    assert len(draft.seats) == 5 and seats.members.count() == 0
    seats.grid.select_seat(1)
    seats.chair_button.click()
    assert draft.chair_seats == {1}

    # IC cards: a card read as "04:A1:B2:C3" is bound; the same card for somebody else is refused
    members = editor.members
    editor.tabs.setCurrentWidget(members)
    members.select_member(first)
    members.card_edit.setText("04:A1:B2:C3")
    members.bind_button.click()
    assert draft.cards == {"04a1b2c3": first}
    members.select_member(second)
    members.card_edit.setText("04a1b2c3")
    members.bind_button.click()
    assert "已绑定 王建国" in editor.feedback.text() and draft.cards == {"04a1b2c3": first}

    # agenda: one named item with a two-thirds rule, one appointment voted person by person
    agenda = editor.agenda
    editor.tabs.setCurrentWidget(agenda)
    agenda.add_button.click()
    agenda.title.setText("关于召开代表大会的决定")
    agenda.title.editingFinished.emit()
    agenda.ballot.setCurrentIndex(agenda.ballot.findData(False))
    assert agenda.majority.currentData() == "half_of_all_presidium"  # a presidium meeting's own rule
    assert "第十三条第二款" in agenda.citation.text()
    assert agenda.majority.findData("half_of_all_standing") == -1  # another body's rule is not offered
    agenda.majority.setCurrentIndex(agenda.majority.findData("two_thirds_of_all"))
    assert agenda.citation.text() == ""
    assert "须写明所依据的章程或办法条文" in editor.problems.text()
    agenda.citation.setText("《主席团工作办法》第八条")
    agenda.citation.editingFinished.emit()
    assert draft.citations == {"two_thirds_of_all": "《主席团工作办法》第八条"}
    agenda.add_button.click()
    agenda.title.setText("副秘书长人选")
    agenda.title.editingFinished.emit()
    agenda.kind.setCurrentIndex(agenda.kind.findData("appointment"))
    assert agenda.candidates.isVisible()
    agenda.candidates.setPlainText("甲\n乙")
    first_item, second_item = draft.agenda
    assert (first_item.settings.anonymous, first_item.settings.majority) == (False, "two_thirds_of_all")
    assert second_item.candidates == ("甲", "乙")
    assert editor.problems.text() == "准备就绪，可以发送到会场。"

    with qtbot.waitSignal(ws.saved, timeout=WAIT):
        editor.save_button.click()
    _idle(qtbot, ws)
    assert "已保存" in editor.feedback.text()

    # reopen from the list: everything comes back
    editor.back_button.click()
    _idle(qtbot, ws)
    cell = ws.list_page.table.item(0, 0)
    assert ws.list_page.table.rowCount() == 1 and cell is not None and cell.text() == "主席团第四次会议"
    ws.list_page.open_button.click()
    _idle(qtbot, ws)
    reopened = ws.editor
    assert reopened is not None and reopened is not editor
    assert reopened.draft.to_setup() == draft.to_setup()
    assert reopened.basics.place.text() == "第一会议室"

    with pytest.raises(JournalError):
        prepared_setup(operator.store.session, draft.meeting_id)  # a draft is not for the hall yet
    with qtbot.waitSignal(ws.saved, timeout=WAIT):
        reopened.send_button.click()
    _idle(qtbot, ws)
    assert reopened.draft.status == "ready"
    assert operator.sync().rejected == 0

    # the hall's kiosk (another computer) syncs and runs the prepared meeting
    hall = world.client(world.add_user("huichang", "conference_operator"))
    hall.sync()
    setup = prepared_setup(hall.store.session, draft.meeting_id)
    assert setup == draft.to_setup()
    seats_of = sorted(setup.seats)
    channel = unique("prep-hall")
    with open_bus("virtual", channel=channel) as console, open_bus("virtual", channel=channel) as seat_side, \
            SeatSimulator(seat_side, seats_of) as sim, \
            ConferenceRuntime(tmp_path / "hall", setup, bus=console, supervise_s=None, tick_s=None,
                              records=hall.store.session) as rt:
        assert sim.press(1, "card", "04a1b2c3")
        for seat in seats_of[1:]:
            assert sim.press(seat, "sign_in")
        assert rt.wait_until(lambda s: s.attendance.present_count == 5, WAIT_S)
        assert rt.open_meeting().ok
        assert rt.open_vote(first_item.item_id).ok
    hall.sync()
    operator.sync()
    with operator.store.session() as s:
        from core.conference.recorder import load_setup

        stored = load_setup(s, draft.meeting_id)
    assert stored is not None and stored.status == "open"


def test_refusing_to_send_an_unfinished_meeting(qtbot: QtBot, workspace: PrepWorkspace) -> None:
    editor = workspace.new_meeting()
    editor.basics.title.setText("")
    editor.send_button.click()
    assert "还不能发送到会场" in editor.feedback.text() and "请填写会议名称" in editor.feedback.text()
    assert not workspace.busy  # nothing was stored


def test_read_only_without_the_conference_permission(qtbot: QtBot, operator: SyncClient) -> None:
    services = PrepServices(operator.store.session)
    services.save(demo_draft(services.deputies(), seated=5))
    ws = PrepWorkspace(PrepServices(operator.store.session, can_edit=False))
    qtbot.addWidget(ws)
    _idle(qtbot, ws)
    assert not ws.list_page.new_button.isEnabled() and not ws.list_page.delete_button.isEnabled()
    ws.list_page.open_button.click()
    _idle(qtbot, ws)
    editor = ws.editor
    assert editor is not None
    buttons: list[Any] = [editor.save_button, editor.send_button, editor.members.add_button,
                          editor.seats.fill_button, editor.agenda.add_button]
    assert not any(b.isEnabled() for b in buttons)
    with pytest.raises(PermissionError):
        PrepServices(operator.store.session, can_edit=False).save(editor.draft)


def test_withdrawing_a_meeting(qtbot: QtBot, workspace: PrepWorkspace, operator: SyncClient,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    from apps.common.qt import QMessageBox

    services = workspace.services
    services.save(demo_draft(services.deputies(), seated=5))
    workspace.refresh()
    _idle(qtbot, workspace)
    assert workspace.list_page.table.rowCount() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    workspace.list_page.delete_button.click()
    qtbot.waitUntil(lambda: workspace.list_page.table.rowCount() == 0, timeout=WAIT)
    assert workspace.list_page.empty.isVisibleTo(workspace)


def test_dropping_a_name_on_a_seat_places_the_member(qtbot: QtBot) -> None:
    from apps.common.qt import QMimeData, QPointF, Qt, QtGui
    from apps.conference.demo import fake_deputies
    from apps.conference.seatplan import MEMBER_MIME, SeatPlanTab
    from core.conference.preparation import MeetingDraft

    draft = MeetingDraft.new("拖放测试")
    draft.add_members([Member(d.deputy_id, d.name) for d in fake_deputies(3)])
    tab = SeatPlanTab(draft, can_edit=True)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    items = tab.members.selectedItems() or [tab.members.item(0)]
    mime = tab.members.mimeData(items)
    assert mime.hasFormat(MEMBER_MIME)
    row, column = tab.grid.cell_of(5)
    rect = tab.grid.visualRect(tab.grid.model().index(row, column))
    drop = QtGui.QDropEvent(QPointF(rect.center()), Qt.DropAction.MoveAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    tab.grid.dropEvent(drop)
    assert draft.seats == {5: "dep-000"}
    cell = tab.grid.item(row, column)
    assert tab.members.count() == 2 and cell is not None and cell.text() == f"5\n{draft.members[0].name}"
    foreign = QMimeData()
    foreign.setText("dep-001")
    tab.grid.dropEvent(QtGui.QDropEvent(QPointF(rect.center()), Qt.DropAction.MoveAction, foreign,
                                        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert draft.seats == {5: "dep-000"}  # only member names from the list are taken


def test_a_meeting_held_in_the_hall_is_read_only(qtbot: QtBot, workspace: PrepWorkspace) -> None:
    services = workspace.services
    draft = demo_draft(services.deputies(), seated=5)
    services.save(draft, "ready")
    with services.session_factory() as s, s.begin():
        from core.conference.recorder import save_setup

        save_setup(s, draft.to_setup(), status="open")  # what the hall's kiosk records
    workspace.open_meeting(draft.meeting_id)
    _idle(qtbot, workspace)
    editor = workspace.editor
    assert editor is not None and editor.draft.status == "open"
    assert not editor.save_button.isEnabled() and not editor.seats.fill_button.isEnabled()
    with pytest.raises(ValueError, match="已在会场举行"):
        services.save(editor.draft)


def test_the_meeting_date_reads_as_a_chinese_date(qtbot: QtBot) -> None:
    from datetime import date

    from apps.conference.editor import BasicsTab
    from core.conference.preparation import MeetingDraft

    tab = BasicsTab(MeetingDraft.new("主席团第三次会议", date(2026, 12, 8)), True)
    qtbot.addWidget(tab)
    assert tab.date.text() == "2026年12月8日" and tab.date.calendarPopup()


def test_choosing_a_seat_selects_only_it_even_with_a_key_held(qtbot: QtBot) -> None:
    """A Ctrl still held (or left so by an earlier key sequence) must not add seats to the selection: the chair
    button then found two seats and refused."""
    from datetime import date

    from apps.common.qt import QGuiApplication, Qt
    from apps.conference.seatplan import SeatPlanTab
    from core.conference.meeting import Member
    from core.conference.preparation import MeetingDraft

    draft = MeetingDraft.new("主席团第三次会议", date(2026, 12, 8))
    draft.add_members([Member(f"m{i}", f"委员{i}") for i in range(1, 4)])
    tab = SeatPlanTab(draft, True)
    qtbot.addWidget(tab)
    tab.show()
    tab.grid.select_seat(3)
    qtbot.keyPress(tab.grid, Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier)
    try:
        assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.ControlModifier
        tab.grid.select_seat(1)
        assert tab.grid.selected_seats() == [1]
    finally:
        qtbot.keyRelease(tab.grid, Qt.Key.Key_Control, Qt.KeyboardModifier.NoModifier)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
