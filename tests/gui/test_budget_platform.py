"""The work-platform pages under pytest-qt, offscreen, over the demo year with demo working records:
a deputy writes a comment and staff answer it, an expert submits an opinion, staff build a plan from the
ranking, and every page hides what the role may not do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from apps.budget.common.context import BudgetContext, standalone
from apps.budget.common.demo import demo_engine
from apps.common.qt import QApplication, Qt, QWidget
from core.budget.platform import demo
from core.budget.work import Comment, DocumentLink, Expert, ReviewItem, ReviewPlan, ReviewTask

pytestmark = pytest.mark.usefixtures("gui")


@pytest.fixture
def contexts(tmp_path: Path) -> Iterator[dict[str, BudgetContext]]:
    engine, _manifest = demo_engine(tmp_path / "budget")
    demo.seed(engine, 2024)
    yield {
        "staff": standalone(engine, user_id="staff-1", user_name="预工委小李", roles=("budget_staff",)),
        "committee": standalone(engine, user_id="committee-1", user_name="委员", roles=("committee_member",),
                                domains=("教科文卫",)),
        "deputy": standalone(engine, user_id="deputy-1", user_name="王建国", roles=("deputy",)),
        "expert": standalone(engine, user_id="expert-1", user_name="赵文华", roles=("expert",)),
    }
    engine.dispose()


def settle(qtbot: Any, page: Any) -> None:
    qtbot.waitUntil(lambda: page.busy == 0)


def shown(qtbot: Any, page: QWidget) -> Any:
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    settle(qtbot, page)
    return page


def rows(table: Any) -> list[list[str]]:
    return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_a_deputy_writes_a_comment_and_staff_answer_it(qtbot: Any, contexts: dict[str, BudgetContext]) -> None:
    from apps.budget.platform.comments import CommentsPage

    page = shown(qtbot, CommentsPage(contexts["deputy"]))
    assert page.new_button.isVisible() and not page.answer_button.isVisible()
    before = len(page.rows)
    dialog = page.write_comment()
    dialog.choose("department", "D010")
    with qtbot.waitSignal(dialog.refused):
        dialog.submit()  # empty body
    assert "请填写建言内容" in dialog.error.text()
    dialog.body.setPlainText("建议公开义务教育经费的绩效目标和完成情况。")
    with qtbot.waitSignal(page.loaded):
        dialog.submit()
    settle(qtbot, page)
    assert len(page.rows) == before + 1
    mine = next(c for c in page.rows if c.body.startswith("建议公开义务教育经费"))
    assert (mine.status, mine.target_kind, mine.author_id) == ("待答复", "department", "deputy-1")

    staff = shown(qtbot, CommentsPage(contexts["staff"]))
    assert not staff.new_button.isVisible() and staff.answer_button.isVisible()
    row = next(r for r, c in enumerate(staff.rows) if c.id == mine.id)
    staff.table.selectRow(row)
    staff.answer_button.click()  # no answer written yet
    settle(qtbot, staff)
    assert "请填写答复内容" in staff.message.text()
    staff.answer.setPlainText("已转市教委研究，将在部门预算公开中细化绩效目标。")
    with qtbot.waitSignal(staff.done):
        staff.answer_button.click()
    settle(qtbot, staff)
    with Session(contexts["staff"].engine) as s:
        answered = s.get(Comment, mine.id)
        assert answered is not None and answered.status == "已答复" and answered.answered_by == "预工委小李"
    page.refresh()
    settle(qtbot, page)
    assert next(c for c in page.rows if c.id == mine.id).answer.startswith("已转市教委")


def test_an_expert_submits_an_opinion_and_staff_accept_it(qtbot: Any, contexts: dict[str, BudgetContext]) -> None:
    from apps.budget.platform.review_tasks import ReviewTasksPage

    page = shown(qtbot, ReviewTasksPage(contexts["expert"]))
    assert {t.expert_user_id for t in page.rows} == {"expert-1"}
    assert not page.complete_button.isVisible() and not page.return_button.isVisible()
    row = next(r for r, t in enumerate(page.rows) if t.status == "已接受")
    task_id = page.rows[row].id
    page.table.selectRow(row)
    assert page.submit_button.isEnabled() and not page.accept_button.isEnabled()
    page.opinion.setPlainText("太短")
    page.conclusion.setCurrentIndex(page.conclusion.findData("同意"))
    page.submit_button.click()
    settle(qtbot, page)
    assert "太短" in page.message.text()
    with Session(contexts["expert"].engine) as s:
        assert s.get(ReviewTask, task_id).status == "已接受"  # type: ignore[union-attr]
    page.opinion.setPlainText("项目绩效目标不够细化，部分资金闲置，建议修改后同意。")
    page.conclusion.setCurrentIndex(page.conclusion.findData("修改后同意"))
    with qtbot.waitSignal(page.done):
        page.submit_button.click()
    settle(qtbot, page)
    with Session(contexts["expert"].engine) as s:
        task = s.get(ReviewTask, task_id)
        assert task is not None and (task.status, task.conclusion) == ("已提交", "修改后同意")

    staff = shown(qtbot, ReviewTasksPage(contexts["staff"]))
    assert not staff.submit_button.isVisible()
    staff.table.selectRow(next(r for r, t in enumerate(staff.rows) if t.id == task_id))
    assert staff.complete_button.isEnabled()
    with qtbot.waitSignal(staff.done):
        staff.complete_button.click()
    settle(qtbot, staff)
    with Session(contexts["staff"].engine) as s:
        assert s.get(ReviewTask, task_id).status == "已完成"  # type: ignore[union-attr]


def test_staff_build_a_plan_from_the_ranking(qtbot: Any, contexts: dict[str, BudgetContext]) -> None:
    from apps.budget.platform.review_plan import ReviewPlanPage

    page = shown(qtbot, ReviewPlanPage(contexts["staff"]))
    assert len(page.scores) > 10
    table = rows(page.factors)
    assert len(table) == 5 and sum(int(r[2]) for r in table) == page.scores[0].score
    page.ranking.clearSelection()
    page.make_button.click()  # nothing selected
    settle(qtbot, page)
    assert "请至少选择一个审查对象" in page.message.text()
    page.top_n.setValue(3)
    page.select_top()
    assert len(page.selected_scores()) == 3
    page.plan_title.setText("第二批重点审查")
    with qtbot.waitSignal(page.done):
        page.make_button.click()
    settle(qtbot, page)
    plan_no = page.plan.currentData()
    assert [i.target_code for i in page.items] == [s.code for s in page.scores[:3]]
    assert all("（未分配）" in r[3] for r in rows(page.item_table))
    with qtbot.waitSignal(page.done):
        page.suggest_button.click()
    settle(qtbot, page)
    assert all(i.expert_ids for i in page.items)
    page.item_table.selectRow(0)
    with qtbot.waitSignal(page.done):
        page.clear_experts_button.click()
    settle(qtbot, page)
    assert page.items[0].expert_ids == ()
    page.item_table.selectRow(0)
    page.expert_choice.setCurrentIndex(page.expert_choice.findText("赵文华", Qt.MatchFlag.MatchStartsWith))
    chosen = page.expert_choice.currentData()
    with qtbot.waitSignal(page.done):
        page.add_expert_button.click()
    settle(qtbot, page)
    assert page.items[0].expert_ids == (chosen,) and page.items[0].expert_names == ("赵文华",)
    page.item_table.selectRow(0)
    page.committee.setCurrentIndex(page.committee.findData("财经"))
    with qtbot.waitSignal(page.done):
        page.committee_button.click()
    settle(qtbot, page)
    with qtbot.waitSignal(page.done):
        page.tasks_button.click()
    settle(qtbot, page)
    with Session(contexts["staff"].engine) as s:
        plan = s.scalars(select(ReviewPlan).where(ReviewPlan.plan_no == plan_no)).one()
        assert (plan.title, plan.status) == ("第二批重点审查", "已印发")
        items = s.scalars(select(ReviewItem).where(ReviewItem.plan_no == plan_no)).all()
        assert sum(1 for i in items if i.committee == "财经") >= 1
        made = s.scalars(select(ReviewTask).where(ReviewTask.plan_no == plan_no)).all()
        assert len(made) == sum(len(i.expert_ids) for i in items) and all(t.due_on for t in made)


def test_pages_hide_what_the_role_may_not_do(qtbot: Any, contexts: dict[str, BudgetContext]) -> None:
    from apps.budget.platform.documents import DocumentsPage
    from apps.budget.platform.home import HomePage
    from apps.budget.platform.registries import RegistriesPage
    from apps.budget.platform.review_plan import ReviewPlanPage

    deputy_home = shown(qtbot, HomePage(contexts["deputy"]))
    assert deputy_home.role == "deputy" and deputy_home.comment_button.isVisible()
    assert rows(deputy_home.tables["books"][0])[0][0] == "一般公共预算"
    staff_home = shown(qtbot, HomePage(contexts["staff"]))
    assert staff_home.role == "staff" and not staff_home.comment_button.isVisible()
    assert int(staff_home.tiles["red"].value.text()) > 0
    warnings = staff_home.tables["warnings"][0]
    with qtbot.waitSignal(staff_home.open_item) as opened:
        warnings.cellDoubleClicked.emit(0, 1)
    assert opened.args[0] == "department" and opened.args[1]
    assert shown(qtbot, HomePage(contexts["committee"])).role == "committee"
    expert_home = shown(qtbot, HomePage(contexts["expert"]))
    assert expert_home.role == "expert" and rows(expert_home.tables["tasks"][0])

    registry = shown(qtbot, RegistriesPage(contexts["deputy"]))
    assert not registry.form.isVisible()
    assert all("****" in r[4] for r in rows(registry.experts))
    staff_registry = shown(qtbot, RegistriesPage(contexts["staff"]))
    assert staff_registry.form.isVisible() and all("*" not in r[4] for r in rows(staff_registry.experts))

    docs = shown(qtbot, DocumentsPage(contexts["deputy"]))
    assert not docs.link_panel.isVisible() and docs.rows
    plan = shown(qtbot, ReviewPlanPage(contexts["committee"]))
    assert not plan.make_button.isEnabled() and not plan.tasks_button.isEnabled()


def test_staff_add_an_expert_and_filter_by_field(qtbot: Any, contexts: dict[str, BudgetContext]) -> None:
    from apps.budget.platform.registries import RegistriesPage

    page = shown(qtbot, RegistriesPage(contexts["staff"]))
    page.clear_form()
    page.name.setText("马新民")
    page.fields.setText("数据治理，财政")
    page.phone.setText("123")
    page.save_button.click()
    settle(qtbot, page)
    assert "电话号码格式不正确" in page.message.text()
    page.phone.setText("13700001234")
    with qtbot.waitSignal(page.loaded):
        page.save_button.click()
    settle(qtbot, page)
    with Session(contexts["staff"].engine) as s:
        assert s.scalars(select(Expert.fields).where(Expert.name == "马新民")).one() == "数据治理、财政"
    page.field.setCurrentIndex(page.field.findData("数据治理"))
    settle(qtbot, page)
    assert [r[0] for r in rows(page.experts)] == ["马新民"]


def test_staff_find_a_document_and_link_it(qtbot: Any, contexts: dict[str, BudgetContext]) -> None:
    from apps.budget.platform.documents import DocumentsPage

    page = shown(qtbot, DocumentsPage(contexts["staff"]))
    page.words.setText("审计 结转")
    page.search_button.click()
    settle(qtbot, page)
    assert [d.title for d in page.rows] == ["2023年度市本级预算执行审计工作报告"]
    page.link_kind.setCurrentIndex(page.link_kind.findData("department"))
    page.link_code.setText("NOPE")
    page.link_button.click()
    settle(qtbot, page)
    assert "找不到部门" in page.message.text()
    page.link_code.setText("D010")
    with qtbot.waitSignal(page.done):
        page.link_button.click()
    settle(qtbot, page)
    assert [(x.target_kind, x.target_code) for x in page.rows[0].links] == [("department", "D010")]
    with Session(contexts["staff"].engine) as s:
        assert s.scalars(select(DocumentLink).where(DocumentLink.target_code == "D010",
                                                    DocumentLink.document_id == page.rows[0].id)).one().public
    assert QApplication.instance() is not None
