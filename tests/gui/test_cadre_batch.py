"""Batch actions on the register: filters narrow the group, a greeting SMS to the group goes to exactly
those with a mobile (through the outbox), address labels one per person, the greeting templates an
administrator keeps — and none of these for the record reader."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apps.cadre.batch import TemplateEditor, TemplatesDialog
from apps.cadre.people_page import PeoplePage
from apps.cadre.window import CadreDesk
from apps.common.demo import DemoServer
from apps.common.settings import ClientSettings
from core.cadre.models import (
    CadBranch,
    CadBranchMember,
    CadCategory,
    CadPerson,
    CadPersonCategory,
    CadSmsTemplate,
)
from core.db import make_engine
from core.notifications.models import NtfMessage
from core.sync.client import LocalStore
from tests.gui.test_launcher import _context
from tests.helpers.sqlite import copy_of

TODAY = date(2026, 12, 5)
PEOPLE = (  # id, name, born, category, kind, branch, mobile, address, alive
    ("p1", "张建国", date(1940, 5, 1), "LX", "离休", "b1", "13900000001", "上海市黄浦区人民大道1号", True),
    ("p2", "赵建华", date(1945, 6, 1), "TX", "退休", "b1", "", "上海市黄浦区人民大道2号", True),
    ("p3", "王文华", date(1950, 7, 1), "TX", "退休", "b1", "13900000003", "", True),
    ("p4", "李秀英", date(1955, 8, 1), "TX", "退休", "b2", "13900000004", "上海市静安区3号", True),
    ("p5", "陈美玲", date(1938, 9, 1), "TX", "退休", "b1", "13900000005", "上海市徐汇区5号", False),
    ("p6", "周志强", date(1960, 1, 1), "TX", "退休", "b1", "13900000006", "上海市长宁区6号", True),
)


@pytest.fixture
def store(migrated_sqlite: Path, tmp_path: Path) -> LocalStore:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'local.sqlite3')}")
    store = LocalStore(engine, tmp_path / "blobs")
    with store.session() as s, s.begin():
        s.add_all([CadCategory(code="LX", name="离休干部", position=0), CadCategory(code="TX", name="退休干部", position=1),
                   CadBranch(id="b1", name="第一党支部"), CadBranch(id="b2", name="第二党支部"),
                   CadSmsTemplate(id="t1", code="SR", title="生日祝福", text="尊敬的{称呼}：祝您生日快乐！"),
                   CadSmsTemplate(id="t2", code="CJ", title="春节问候", text="{姓名}同志：{日期}，恭祝新春！")])
        for pid, name, born, category, kind, branch, mobile, address, alive in PEOPLE:
            s.add(CadPerson(id=pid, name=name, birth_date=born, stage="retired", retirement_kind=kind,
                            phone_mobile=mobile, address=address, alive=alive,
                            died_on=None if alive else date(2025, 1, 1)))
            s.add(CadPersonCategory(person_id=pid, category_code=category))
            s.add(CadBranchMember(person_id=pid, branch_id=branch))
    return store


def _page(qtbot: QtBot, store: LocalStore) -> PeoplePage:
    page = PeoplePage(store.session, may_batch=True, today=lambda: TODAY)
    qtbot.addWidget(page)
    return page


def _choose(combo: object, value: object) -> None:
    index = combo.findData(value)  # type: ignore[attr-defined]
    assert index >= 0, value
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_filters_narrow_the_register(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    assert len(page.rows) == 6
    _choose(page.category, "LX")
    assert [r.person_id for r in page.rows] == ["p1"]
    _choose(page.category, "")
    _choose(page.branch, "b2")
    assert [r.person_id for r in page.rows] == ["p4"]
    _choose(page.branch, "b1")
    _choose(page.alive, False)
    assert [r.person_id for r in page.rows] == ["p5"]
    _choose(page.alive, True)
    _choose(page.kind, "退休")
    assert {r.person_id for r in page.rows} == {"p2", "p3", "p6"}
    page.min_age.setValue(70)
    page.max_age.setValue(80)  # 赵建华 81, 王文华 76, 周志强 66
    assert [r.person_id for r in page.rows] == ["p3"]
    page.min_age.setValue(0)
    page.max_age.setValue(0)
    page.search.setText("zjh")  # 赵建华 by its initials, within the filter
    assert [r.person_id for r in page.rows] == ["p2"] and page.count.text() == "共 1 人"


def test_sms_to_the_filtered_group_reaches_exactly_those_with_a_mobile(qtbot: QtBot, store: LocalStore) -> None:
    page = _page(qtbot, store)
    _choose(page.branch, "b1")  # 张建国, 赵建华 (no mobile), 王文华, 陈美玲 (deceased), 周志强
    dialog = page.open_sms()
    qtbot.addWidget(dialog)
    _choose(dialog.template, "t1")
    preview = [(dialog.preview.item(r, 0).text(), dialog.preview.item(r, 1).text())
               for r in range(dialog.preview.rowCount())]
    assert preview == [("王文华", "尊敬的王老：祝您生日快乐！"), ("张建国", "尊敬的张老：祝您生日快乐！"),
                       ("周志强", "尊敬的周老：祝您生日快乐！")]  # in the register's order
    skipped = {dialog.skipped.item(r, 0).text(): dialog.skipped.item(r, 1).text()
               for r in range(dialog.skipped.rowCount())}
    assert skipped == {"赵建华": "未登记手机号", "陈美玲": "已故"}
    assert dialog.send_button.text() == "确认发送给 3 人"
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(NtfMessage)) == 0  # nothing before the confirmation
    with qtbot.waitSignal(dialog.sent) as sent:
        dialog.send_button.click()
    assert sent.args == [3]
    with store.session() as s:
        messages = s.scalars(select(NtfMessage)).all()
    assert sorted(m.recipient_id for m in messages) == ["p1", "p3", "p6"]
    assert {m.params["text"] for m in messages} == {"尊敬的张老：祝您生日快乐！", "尊敬的王老：祝您生日快乐！",
                                                   "尊敬的周老：祝您生日快乐！"}


def test_labels_one_per_person_with_an_address(qtbot: QtBot, store: LocalStore, tmp_path: Path) -> None:
    page = _page(qtbot, store)
    _choose(page.alive, True)  # p1, p2, p3 (no address), p4, p6
    dialog = page.open_labels()
    qtbot.addWidget(dialog)
    assert [r.name for r in dialog.labels()] == ["李秀英", "张建国", "赵建华", "周志强"]
    assert "王文华" in dialog.summary.text()
    _choose(dialog.sheet, "3x8")
    written = dialog.save_to(tmp_path / "标签.pdf")
    assert written is not None
    text = subprocess.run(["pdftotext", "-layout", str(written), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count("收") == 4
    for name in ("张建国", "赵建华", "李秀英", "周志强"):
        assert name in text
    assert "王文华" not in text and "陈美玲" not in text


def test_a_template_with_an_unknown_placeholder_is_refused(qtbot: QtBot, store: LocalStore) -> None:
    dialog = TemplatesDialog(store.session)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    editor = dialog.open_editor(None)
    editor.code.setText("ZQ")
    editor.title_edit.setText("中秋问候")
    editor.occasion.setText("中秋")
    editor.text.setPlainText("尊敬的{名字}：中秋快乐！")
    assert not editor.save()
    assert "“{名字}”不认识" in editor.error.text()
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(CadSmsTemplate)) == 2
    editor.text.setPlainText("尊敬的{称呼}：中秋快乐！")
    assert editor.save()
    assert dialog.table.rowCount() == 3
    edit = TemplateEditor(store.session, "t1")
    qtbot.addWidget(edit)
    assert edit.code.text() == "SR"
    edit.code.setText("CJ")
    assert not edit.save() and "已被其他模板使用" in edit.error.text()


@pytest.mark.parametrize(("username", "batch", "templates"), [
    ("cadre", True, False), ("cadrereader", False, False), ("admin", False, True)])
def test_batch_and_template_actions_only_for_roles_that_may(qtbot: QtBot, gui: ClientSettings,
                                                            demo_server: DemoServer, tmp_path: Path,
                                                            username: str, batch: bool, templates: bool) -> None:
    context = _context(demo_server, username, tmp_path, gui)
    desk = CadreDesk(context)
    qtbot.addWidget(desk)
    people = desk.people
    assert people.sms_button.isVisibleTo(people) is batch
    assert people.labels_button.isVisibleTo(people) is batch
    assert people.templates_button.isVisibleTo(people) is templates
    context.close()
