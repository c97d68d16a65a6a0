"""工作管理: the care work of the retired-cadre office, one sub-page each — 党支部, 帮困救助, 活动, 体检 and
联络关怀 (visits and contacts, status changes, documents sent).

Lists come from ``core.cadre.care``; the actions (add a member, record an office change, approve or refuse aid,
plan an activity, sign up, mark attendance, record a check-up result, record a visit) open a small form whose
确定 runs the core's validated action in one transaction of the local store, so the rows sync. A role without
``cadre.record`` (the record reader) sees the lists without any action button; a role without
``cadre.sensitive`` holds no check-up (the sync server never sends them) or sees masked values as masked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from apps.cadre.activity_photos import Fetch, LocalBytes, PhotoStrip
from apps.cadre.attachments_view import image_of
from apps.cadre.care_forms import ActionDialog, Field
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QCoreApplication,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from apps.common.tables import Sheet, ask_xlsx_path, fit, sheet_of, tidy, write_xlsx
from core.cadre import care
from core.cadre.models import BRANCH_OFFICES, CONTACT_KINDS
from core.sync.client import LocalStore

SessionFactory = Callable[[], Session]
Attach = Callable[[Session, Any, bytes, str], object]
"""The local store's ``attach``: keeps a file owned by a row (activity photos)."""


CHOICES = (
    QT_TRANSLATE_NOOP("CadreCare", "书记"),
    QT_TRANSLATE_NOOP("CadreCare", "副书记"),
    QT_TRANSLATE_NOOP("CadreCare", "组织委员"),
    QT_TRANSLATE_NOOP("CadreCare", "宣传委员"),
    QT_TRANSLATE_NOOP("CadreCare", "纪检委员"),
    QT_TRANSLATE_NOOP("CadreCare", "委员"),
    QT_TRANSLATE_NOOP("CadreCare", "已申请"),
    QT_TRANSLATE_NOOP("CadreCare", "已批准"),
    QT_TRANSLATE_NOOP("CadreCare", "未批准"),
    QT_TRANSLATE_NOOP("CadreCare", "已发放"),
    QT_TRANSLATE_NOOP("CadreCare", "筹划中"),
    QT_TRANSLATE_NOOP("CadreCare", "报名中"),
    QT_TRANSLATE_NOOP("CadreCare", "已举办"),
    QT_TRANSLATE_NOOP("CadreCare", "已取消"),
    QT_TRANSLATE_NOOP("CadreCare", "走访"),
    QT_TRANSLATE_NOOP("CadreCare", "电话"),
    QT_TRANSLATE_NOOP("CadreCare", "慰问"),
    QT_TRANSLATE_NOOP("CadreCare", "来访"),
    QT_TRANSLATE_NOOP("CadreCare", "其他"),
    QT_TRANSLATE_NOOP("CadreCare", "退休"),
    QT_TRANSLATE_NOOP("CadreCare", "离休"),
    QT_TRANSLATE_NOOP("CadreCare", "改为离休"),
    QT_TRANSLATE_NOOP("CadreCare", "待遇调整"),
    QT_TRANSLATE_NOOP("CadreCare", "去世"),
)
"""The fixed lists of ``core.cadre.models`` shown on these pages (offices, aid and activity states, contact
and status-change kinds): stored in Chinese, shown in the current language through ``_choice``."""


def _choice(text: str) -> str:
    return QCoreApplication.translate("CadreCare", text) if text else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _table(headers: Sequence[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    tidy(table, stretch=stretch)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], figures: Sequence[int] = ()) -> None:
    table.setRowCount(len(rows))
    for n, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column in figures:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(n, column, item)
    fit(table)


def _group(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(widget)
    return box


class CareSection(QWidget):
    """One sub-page: a button bar (actions for writers, 导出 Excel for all), lists, a status line."""

    export_name = "工作管理"

    def __init__(self, session_factory: SessionFactory, permissions: frozenset[str], username: str,
                 today: Callable[[], date], attach: Attach | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self.attach = attach
        self.permissions = permissions
        self.username = username
        self._today = today
        self.may_write = care.may_write(permissions)
        self.dialog: ActionDialog | None = None
        self.action_buttons: list[QPushButton] = []
        self.bar = QHBoxLayout()
        self.export_button = QPushButton(self.tr("导出 Excel"))
        self.export_button.clicked.connect(self._ask_export)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.bar)

    def finish_bar(self) -> None:
        self.bar.addStretch(1)
        self.bar.addWidget(self.export_button)

    def action(self, text: str, slot: Callable[[], object]) -> QPushButton | None:
        if not self.may_write:
            return None
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.bar.addWidget(button)
        self.action_buttons.append(button)
        return button

    def people(self) -> tuple[tuple[str, str], ...]:
        with self._session_factory() as session:
            return tuple(care.people_choices(session))

    def ask(self, title: str, fields: list[Field], run: Callable[[Session, dict[str, Any]], object]) -> ActionDialog:
        """Open a form; its 确定 runs ``run`` in one transaction, then the page reloads."""
        def action(values: dict[str, Any]) -> None:
            with self._session_factory() as session, session.begin():
                run(session, values)

        self.dialog = ActionDialog(title, fields, action, self)
        self.dialog.accepted.connect(self.reload)
        self.dialog.open()
        return self.dialog

    def say(self, text: str) -> None:
        self.status.setText(text)

    def reload(self) -> None:
        raise NotImplementedError

    def sheets(self) -> list[Sheet]:
        return [sheet_of(table, title) for title, table in self.tables()]

    def tables(self) -> list[tuple[str, QTableWidget]]:
        raise NotImplementedError

    def export_to(self, path: Path) -> Path:
        return write_xlsx(path, self.sheets())

    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, self.export_name + ".xlsx")
        if path is not None:
            self.export_to(path)


# ------------------------------------------------------------------------------------------ 党支部
class BranchSection(CareSection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("CadreCareBranches")
        self.export_name = self.tr("党支部")
        self.branch = QComboBox()
        self.bar.addWidget(QLabel(self.tr("党支部：")))
        self.bar.addWidget(self.branch)
        self.member_button = self.action(self.tr("添加党员"), self.ask_member)
        self.office_button = self.action(self.tr("记录任职变动"), self.ask_office)
        self.finish_bar()
        self.current = _table([self.tr("职务"), self.tr("姓名"), self.tr("任期开始"), self.tr("备注")], 3)
        self.history = _table([self.tr("职务"), self.tr("姓名"), self.tr("任期开始"), self.tr("任期结束"),
                               self.tr("备注")], 4)
        self.members = _table([self.tr("姓名"), self.tr("入支部日期"), self.tr("离开日期")], 0)
        top = QHBoxLayout()
        top.addWidget(_group(self.tr("现任书记和委员"), self.current), 1)
        top.addWidget(_group(self.tr("历任情况"), self.history), 1)
        self.body.addLayout(top, 1)
        self.body.addWidget(_group(self.tr("支部党员"), self.members), 1)
        self.body.addWidget(self.status)
        self.branch.currentIndexChanged.connect(self._show_branch)
        self.terms: list[care.Term] = []
        self.member_rows: list[care.Member] = []

    def reload(self) -> None:
        with self._session_factory() as session:
            found = care.branches(session)
        keep = self.branch.currentData()
        self.branch.blockSignals(True)
        self.branch.clear()
        for branch_id, name in found:
            self.branch.addItem(name, branch_id)
        self.branch.setCurrentIndex(max(self.branch.findData(keep), 0))
        self.branch.blockSignals(False)
        self._show_branch()

    def _show_branch(self, *_: object) -> None:
        branch_id = self.branch.currentData() or ""
        with self._session_factory() as session:
            self.terms = care.terms(session, branch_id) if branch_id else []
            self.member_rows = care.members(session, branch_id) if branch_id else []
        now = [t for t in self.terms if t.end is None]
        past = [t for t in self.terms if t.end is not None]
        _fill(self.current, [[_choice(t.office), t.name, _day(t.start), t.note] for t in now])
        _fill(self.history, [[_choice(t.office), t.name, _day(t.start), _day(t.end), t.note] for t in past])
        _fill(self.members, [[m.name, _day(m.joined), _day(m.left)] for m in self.member_rows])
        current = sum(1 for m in self.member_rows if m.left is None)
        self.say(self.tr("现任委员 {a} 人，历任 {b} 人次，党员 {c} 人").format(a=len(now), b=len(past), c=current))

    def tables(self) -> list[tuple[str, QTableWidget]]:
        name = self.branch.currentText()
        return [(name + self.tr("现任委员"), self.current), (name + self.tr("历任情况"), self.history),
                (name + self.tr("支部党员"), self.members)]

    def ask_member(self) -> ActionDialog:
        branch_id = self.branch.currentData() or ""
        fields = [Field("person", self.tr("姓名"), "person", self.people()),
                  Field("joined", self.tr("入支部日期"), "date", value=self._today())]
        return self.ask(self.tr("添加党员"), fields, lambda s, v: care.add_member(
            s, self.permissions, branch_id, v["person"], v["joined"]))

    def ask_office(self) -> ActionDialog:
        branch_id = self.branch.currentData() or ""
        fields = [Field("person", self.tr("姓名"), "person", self.people()),
                  Field("office", self.tr("职务"), "choice", tuple((o, _choice(o)) for o in BRANCH_OFFICES)),
                  Field("start", self.tr("任期开始"), "date", value=self._today()),
                  Field("note", self.tr("备注"))]
        return self.ask(self.tr("记录任职变动"), fields, lambda s, v: care.record_office(
            s, self.permissions, branch_id, v["person"], v["office"], v["start"], None, v["note"]))


# ------------------------------------------------------------------------------------------ 帮困救助
class AidSection(CareSection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("CadreCareAid")
        self.export_name = self.tr("帮困救助")
        self.apply_button = self.action(self.tr("登记申请"), self.ask_apply)
        self.approve_button = self.action(self.tr("批准"), self.ask_approve)
        self.refuse_button = self.action(self.tr("不予批准"), self.ask_refuse)
        self.pay_button = self.action(self.tr("发放"), self.ask_pay)
        self.finish_bar()
        self.table = _table([self.tr("姓名"), self.tr("申请日期"), self.tr("申请事由"), self.tr("申请金额（元）"),
                             self.tr("状态"), self.tr("批准金额（元）"), self.tr("审批日期"), self.tr("审批人"),
                             self.tr("发放日期"), self.tr("说明")], 2)
        self.totals = _table([self.tr("年度"), self.tr("姓名"), self.tr("申请件数"), self.tr("批准金额（元）"),
                              self.tr("已发放（元）")], 1)
        self.body.addWidget(_group(self.tr("救助申请"), self.table), 3)
        self.body.addWidget(_group(self.tr("每人年度合计"), self.totals), 2)
        self.body.addWidget(self.status)
        self.rows: list[care.AidRow] = []
        self.total_rows: list[care.AidTotal] = []

    def reload(self) -> None:
        with self._session_factory() as session:
            self.rows = care.aid_rows(session)
        self.total_rows = care.aid_totals(self.rows)
        _fill(self.table, [[r.name, _day(r.applied_on), r.reason, care.yuan(r.requested_fen), _choice(r.state_label),
                            care.yuan(r.approved_fen) if r.state in ("approved", "paid") else "",
                            _day(r.decided_on), r.decided_by, _day(r.paid_on), r.note] for r in self.rows], (3, 5))
        _fill(self.totals, [[str(t.year), t.name, str(t.applications), care.yuan(t.approved_fen),
                             care.yuan(t.paid_fen)] for t in self.total_rows], (0, 2, 3, 4))
        waiting = sum(1 for r in self.rows if r.state == "applied")
        self.say(self.tr("共 {n} 件申请，待审批 {w} 件").format(n=len(self.rows), w=waiting))

    def tables(self) -> list[tuple[str, QTableWidget]]:
        return [(self.tr("救助申请"), self.table), (self.tr("每人年度合计"), self.totals)]

    def selected(self) -> care.AidRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def total_for(self, person_id: str, year: int) -> care.AidTotal | None:
        return next((t for t in self.total_rows if t.person_id == person_id and t.year == year), None)

    def ask_apply(self) -> ActionDialog:
        fields = [Field("person", self.tr("姓名"), "person", self.people()),
                  Field("day", self.tr("申请日期"), "date", value=self._today()),
                  Field("reason", self.tr("申请事由")), Field("amount", self.tr("申请金额"))]
        return self.ask(self.tr("登记帮困救助申请"), fields, lambda s, v: care.apply_aid(
            s, self.permissions, v["person"], v["day"], v["reason"], v["amount"]))

    def _chosen(self) -> str:
        row = self.selected()
        if row is None:
            self.say(self.tr("请先在列表中选择一件申请"))
            return ""
        return row.aid_id

    def ask_approve(self) -> ActionDialog | None:
        aid_id = self._chosen()
        if not aid_id:
            return None
        chosen = self.selected()
        fields = [Field("amount", self.tr("批准金额"), value=care.yuan(chosen.requested_fen).replace(",", "")
                        if chosen else ""),
                  Field("day", self.tr("审批日期"), "date", value=self._today()),
                  Field("by", self.tr("审批人"), value=self.username)]
        return self.ask(self.tr("批准救助申请"), fields, lambda s, v: care.approve_aid(
            s, self.permissions, aid_id, v["amount"], v["day"], v["by"]))

    def ask_refuse(self) -> ActionDialog | None:
        aid_id = self._chosen()
        if not aid_id:
            return None
        fields = [Field("reason", self.tr("不予批准理由"), "long"),
                  Field("day", self.tr("审批日期"), "date", value=self._today()),
                  Field("by", self.tr("审批人"), value=self.username)]
        return self.ask(self.tr("不予批准"), fields, lambda s, v: care.refuse_aid(
            s, self.permissions, aid_id, v["reason"], v["day"], v["by"]))

    def ask_pay(self) -> ActionDialog | None:
        aid_id = self._chosen()
        if not aid_id:
            return None
        fields = [Field("day", self.tr("发放日期"), "date", value=self._today())]
        return self.ask(self.tr("登记发放"), fields, lambda s, v: care.pay_aid(s, self.permissions, aid_id, v["day"]))


# ------------------------------------------------------------------------------------------ 活动
class ActivitySection(CareSection):
    def __init__(self, *args: Any, local: LocalBytes | None = None, fetch: Fetch | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("CadreCareActivities")
        self.export_name = self.tr("活动")
        self.plan_button = self.action(self.tr("新建活动"), self.ask_plan)
        self.sign_button = self.action(self.tr("报名"), self.ask_sign_up)
        self.came_button = self.action(self.tr("记为出席"), lambda: self.mark(True))
        self.absent_button = self.action(self.tr("记为缺席"), lambda: self.mark(False))
        self.photo_button = self.action(self.tr("添加照片"), self._ask_photos) if self.attach is not None else None
        self.finish_bar()
        self.table = _table([self.tr("活动"), self.tr("日期"), self.tr("地点"), self.tr("名额"), self.tr("报名"),
                             self.tr("出席"), self.tr("照片"), self.tr("状态")], 0)
        self.entries = _table([self.tr("姓名"), self.tr("报名日期"), self.tr("出席")], 0)
        self.entries_box = _group(self.tr("报名与出席"), self.entries)
        self.photos = PhotoStrip(local or (lambda _sha: None), fetch)
        self.photos_box = _group(self.tr("活动照片"), self.photos)
        self.body.addWidget(_group(self.tr("活动安排"), self.table), 1)
        lower = QHBoxLayout()
        lower.addWidget(self.entries_box, 2)
        lower.addWidget(self.photos_box, 3)
        self.body.addLayout(lower, 1)
        self.body.addWidget(self.status)
        self.rows: list[care.ActivityRow] = []
        self.entry_rows: list[care.EntryRow] = []
        self.table.itemSelectionChanged.connect(self._show_entries)

    def reload(self) -> None:
        keep = self.selected()
        with self._session_factory() as session:
            self.rows = care.activities(session)
        _fill(self.table, [[r.title, _day(r.held_on), r.place, str(r.capacity) if r.capacity else self.tr("不限"),
                            str(r.signed_up), str(r.attended), str(r.photos), _choice(r.state_label)] for r in self.rows],
              (3, 4, 5, 6))
        index = next((n for n, r in enumerate(self.rows) if keep and r.activity_id == keep.activity_id), 0)
        if self.rows:
            self.table.selectRow(index)
        self._show_entries()

    def selected(self) -> care.ActivityRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show_entries(self) -> None:
        activity = self.selected()
        with self._session_factory() as session:
            self.entry_rows = care.entries(session, activity.activity_id) if activity else []
        marks = {True: self.tr("出席"), False: self.tr("缺席"), None: ""}
        _fill(self.entries, [[e.name, _day(e.signed_up_on), marks[e.attended]] for e in self.entry_rows])
        self.entries_box.setTitle(self.tr("报名与出席：{title}").format(title=activity.title) if activity
                                  else self.tr("报名与出席"))
        shown = self.photos.title, [p.id for p in self.photos.photos]
        with self._session_factory() as session:
            photos = care.activity_photos(session, activity.activity_id) if activity else []
        if shown != (activity.title if activity else "", [p.id for p in photos]):
            self.photos.show_photos(photos, activity.title if activity else "")
        self.photos_box.setTitle(self.tr("活动照片：{title}（{n} 张）").format(title=activity.title, n=len(photos))
                                 if activity else self.tr("活动照片"))
        self.say(self.tr("共 {n} 项活动").format(n=len(self.rows)))

    def tables(self) -> list[tuple[str, QTableWidget]]:
        activity = self.selected()
        return [(self.tr("活动安排"), self.table),
                (self.tr("报名与出席") + (f"（{activity.title}）" if activity else ""), self.entries)]

    def ask_plan(self) -> ActionDialog:
        fields = [Field("title", self.tr("活动名称")), Field("kind", self.tr("类别")),
                  Field("day", self.tr("活动日期"), "date", value=self._today()), Field("place", self.tr("地点")),
                  Field("capacity", self.tr("名额"))]
        return self.ask(self.tr("新建活动"), fields, lambda s, v: care.plan_activity(
            s, self.permissions, v["title"], v["day"], v["place"], v["capacity"], None, v["kind"]))

    def ask_sign_up(self) -> ActionDialog | None:
        activity = self.selected()
        if activity is None:
            self.say(self.tr("请先在列表中选择一项活动"))
            return None
        fields = [Field("person", self.tr("姓名"), "person", self.people())]
        return self.ask(self.tr("报名：{title}").format(title=activity.title), fields, lambda s, v: care.sign_up(
            s, self.permissions, activity.activity_id, v["person"], self._today()))

    def add_photos(self, paths: Sequence[Path]) -> int:
        """Keep the chosen pictures for the selected activity; returns how many were kept."""
        activity = self.selected()
        if activity is None or self.attach is None:
            self.say(self.tr("请先在列表中选择一项活动"))
            return 0
        kept = 0
        problems: list[str] = []
        for path in paths:
            try:
                with self._session_factory() as session, session.begin():
                    care.add_photo(session, self.permissions, activity.activity_id, path.name, path.read_bytes(),
                                   self._attach_picture)
                kept += 1
            except care.CareRefused as refusal:
                problems.append(str(refusal))
            except OSError as error:
                problems.append(self.tr("无法读取“{name}”：{error}").format(name=path.name, error=error.strerror))
        self.reload()
        self.say("；".join([self.tr("已添加 {n} 张照片").format(n=kept), *problems]))
        return kept

    def _attach_picture(self, session: Session, owner: Any, data: bytes, filename: str) -> object:
        """The store's ``attach``, after the core's size and type checks, for pictures that really decode."""
        assert self.attach is not None
        if image_of(data) is None:
            raise care.CareRefused(self.tr("“{name}”不是可显示的图片（内容已损坏），没有添加").format(name=filename),
                                   "照片")
        return self.attach(session, owner, data, filename)

    def _ask_photos(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("选择活动照片"), "",
                                                self.tr("图片 (*.jpg *.jpeg *.png)"))
        if names:
            self.add_photos([Path(n) for n in names])

    def mark(self, attended: bool) -> None:
        row = self.entries.currentRow()
        if not 0 <= row < len(self.entry_rows):
            self.say(self.tr("请先在报名名单中选择一人"))
            return
        entry = self.entry_rows[row]
        try:
            with self._session_factory() as session, session.begin():
                care.mark_attendance(session, self.permissions, entry.entry_id, attended, self._today())
        except care.CareRefused as refusal:
            self.say(str(refusal))
            return
        self.reload()
        self.entries.selectRow(row)


# ------------------------------------------------------------------------------------------ 体检
class CheckupSection(CareSection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("CadreCareCheckups")
        self.export_name = self.tr("体检")
        self.may_write = care.may_see_health(self.permissions)
        self.arrange_button = self.action(self.tr("安排体检"), self.ask_arrange)
        self.result_button = self.action(self.tr("登记体检结果"), self.ask_result)
        self.finish_bar()
        self.notice = QLabel(self.tr("体检安排和结果属于健康信息，只有具备敏感信息权限的工作人员可以查阅。"
                                     "同步服务器不向您的角色发送体检记录，本机不保存；"
                                     "若收到屏蔽的记录，屏蔽的内容显示为 ******。"))
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.notice.setVisible(not care.may_see_health(self.permissions))
        self.table = _table([self.tr("姓名"), self.tr("年度"), self.tr("安排日期"), self.tr("体检日期"),
                             self.tr("医院"), self.tr("结论"), self.tr("结果")], 6)
        self.body.addWidget(self.notice)
        self.box = _group(self.tr("体检安排与结果"), self.table)
        self.body.addWidget(self.box, 1)
        self.body.addWidget(self.status)
        self.rows: list[care.CheckupRow] = []

    def reload(self) -> None:
        with self._session_factory() as session:
            self.rows = care.checkups(session)
        _fill(self.table, [[r.name, str(r.year), _day(r.arranged_on), _day(r.done_on), r.hospital, r.conclusion,
                            r.result] for r in self.rows], (1,))
        done = sum(1 for r in self.rows if r.done_on)
        shown = bool(self.rows) or care.may_see_health(self.permissions)
        self.box.setVisible(shown)  # nothing to list: the notice says why, at the top of the page
        self.notice.setSizePolicy(QSizePolicy.Policy.Preferred,
                                  QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Expanding)
        self.say(self.tr("本机共 {n} 条体检记录，已体检 {d} 人次").format(n=len(self.rows), d=done))

    def tables(self) -> list[tuple[str, QTableWidget]]:
        return [(self.tr("体检安排与结果"), self.table)]

    def ask_arrange(self) -> ActionDialog:
        fields = [Field("person", self.tr("姓名"), "person", self.people()),
                  Field("day", self.tr("安排日期"), "date", value=self._today()),
                  Field("hospital", self.tr("体检医院"))]
        return self.ask(self.tr("安排体检"), fields, lambda s, v: care.arrange_checkup(
            s, self.permissions, v["person"], v["day"], v["hospital"]))

    def ask_result(self) -> ActionDialog | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self.say(self.tr("请先在列表中选择一条体检安排"))
            return None
        chosen = self.rows[row]
        fields = [Field("day", self.tr("体检日期"), "date", value=self._today()),
                  Field("conclusion", self.tr("体检结论"), value=chosen.conclusion),
                  Field("result", self.tr("体检结果"), "long", value=chosen.result)]
        return self.ask(self.tr("登记体检结果：{name}").format(name=chosen.name), fields,
                        lambda s, v: care.record_checkup_result(s, self.permissions, chosen.checkup_id, v["day"],
                                                                v["conclusion"], v["result"]))


# ------------------------------------------------------------------------------------------ 联络关怀
class ContactSection(CareSection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("CadreCareContacts")
        self.export_name = self.tr("联络关怀")
        self.contact_button = self.action(self.tr("登记走访联络"), self.ask_contact)
        self.finish_bar()
        self.contacts = _table([self.tr("日期"), self.tr("姓名"), self.tr("方式"), self.tr("走访人"),
                                self.tr("情况记录")], 4)
        self.changes = _table([self.tr("日期"), self.tr("姓名"), self.tr("变动"), self.tr("变动前"),
                               self.tr("变动后"), self.tr("文号"), self.tr("备注")], 6)
        self.dispatches = _table([self.tr("送阅日期"), self.tr("姓名"), self.tr("文件"), self.tr("文号"),
                                  self.tr("方式"), self.tr("收到日期")], 2)
        self.body.addWidget(_group(self.tr("走访联络"), self.contacts), 1)
        self.body.addWidget(_group(self.tr("离退休状态变动"), self.changes), 1)
        self.body.addWidget(_group(self.tr("文件送阅"), self.dispatches), 1)
        self.body.addWidget(self.status)

    def reload(self) -> None:
        with self._session_factory() as session:
            contacts = care.contacts(session)
            changes = care.status_changes(session)
            sent = care.dispatches(session)
        _fill(self.contacts, [[_day(c.day), c.name, _choice(c.kind), c.staff, c.summary] for c in contacts])
        _fill(self.changes, [[_day(c.day), c.name, _choice(c.kind), c.from_text, c.to_text, c.document_no, c.note]
                             for c in changes])
        _fill(self.dispatches, [[_day(d.sent_on), d.name, d.title, d.document_no, d.channel, _day(d.received_on)]
                                for d in sent])
        self.say(self.tr("走访联络 {a} 次，状态变动 {b} 条，文件送阅 {c} 份").format(
            a=len(contacts), b=len(changes), c=len(sent)))

    def tables(self) -> list[tuple[str, QTableWidget]]:
        return [(self.tr("走访联络"), self.contacts), (self.tr("离退休状态变动"), self.changes),
                (self.tr("文件送阅"), self.dispatches)]

    def ask_contact(self) -> ActionDialog:
        fields = [Field("person", self.tr("姓名"), "person", self.people()),
                  Field("day", self.tr("日期"), "date", value=self._today()),
                  Field("kind", self.tr("方式"), "choice", tuple((k, _choice(k)) for k in CONTACT_KINDS)),
                  Field("staff", self.tr("走访人"), value=self.username),
                  Field("summary", self.tr("情况记录"), "long")]
        return self.ask(self.tr("登记走访联络"), fields, lambda s, v: care.add_contact(
            s, self.permissions, v["person"], v["day"], v["kind"], v["staff"], v["summary"], self._today()))


def _local_reader(store: LocalStore | None) -> LocalBytes | None:
    if store is None:
        return None
    blobs = store.blobs
    return lambda sha256: blobs.get(sha256) if blobs.has(sha256) else None


class CarePage(QTabWidget):
    """The 工作管理 tab: the five sub-pages, reloaded after a sync."""

    def __init__(self, session_factory: SessionFactory, permissions: frozenset[str], username: str = "",
                 today: Callable[[], date] = date.today, attach: Attach | None = None,
                 parent: QWidget | None = None, *, store: LocalStore | None = None,
                 fetch_attachment: Fetch | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreCare")
        if attach is None and store is not None:
            attach = store.attach
        args = (session_factory, frozenset(permissions), username, today, attach)
        self.branches = BranchSection(*args)
        self.aid = AidSection(*args)
        self.activities = ActivitySection(*args, local=_local_reader(store), fetch=fetch_attachment)
        self.checkups = CheckupSection(*args)
        self.contacts = ContactSection(*args)
        for section, title in ((self.branches, self.tr("党支部")), (self.aid, self.tr("帮困救助")),
                               (self.activities, self.tr("活动")), (self.checkups, self.tr("体检")),
                               (self.contacts, self.tr("联络关怀"))):
            self.addTab(section, title)
        self.reload()

    def title(self) -> str:
        return self.tr("工作管理")

    def sections(self) -> list[CareSection]:
        return [self.branches, self.aid, self.activities, self.checkups, self.contacts]

    def reload(self) -> None:
        for section in self.sections():
            section.reload()
