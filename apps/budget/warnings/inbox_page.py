"""The warning inbox: counts by level (chips that filter), the warnings, a detail panel with the reason, the
records behind it and the follow-up, and — for staff — running the rules in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from apps.budget.common.context import BudgetContext
from apps.budget.warnings.common import (
    LEVEL_COLOURS,
    PAGE_STYLE,
    TRAIL_KINDS,
    action_name,
    level_name,
    readable_subject,
    rule_name,
    status_name,
    trail_lines,
)
from apps.common.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import Sheet, ask_xlsx_path, export_xlsx, fit, sheet_of, tidy
from apps.common.tasks import BackgroundTask, Progress, TaskContext
from core.auth.roles import P_BUDGET_DATA, P_BUDGET_WARNING
from core.budget.warnings import RULES, RulesRun, latest_month, run_rules
from core.budget.warnings.engine import reading
from core.budget.warnings.followup import FollowUpError, act, allowed_actions, check, history
from core.budget.warnings.inbox import (
    WarningFilter,
    WarningRow,
    departments_with_warnings,
    level_counts,
    list_warnings,
)
from core.money import MoneyUnit, format_fen

COLUMNS = 8


class NoteDialog(QDialog):
    """Asks for the note of a follow-up step (the letter's gist, the department's answer, why it is closed)."""

    def __init__(self, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("预警处理：%1").replace("%1", action_name(action)))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("填写说明，例如发函文号、部门答复要点或关闭理由"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("说明：")))
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(520, 260)


class WarningInboxPage(QWidget):
    """预警信息: what the rules raised, filtered, with each warning's trail and follow-up."""

    open_item = Signal(str, str)
    loaded = Signal()
    run_finished = Signal(object)
    acted = Signal(bool)
    exported = Signal(str)
    """The path of a finished export, or "" when it failed."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[WarningRow] = []
        self.current: WarningRow | None = None
        self.levels: set[str] = set()
        self._task: BackgroundTask[Any] | None = None
        self._run_task: BackgroundTask[Any] | None = None
        self._act_task: BackgroundTask[Any] | None = None
        self.setStyleSheet(PAGE_STYLE)

        title = QLabel(self.title())
        title.setObjectName("page_title")
        self.chips: dict[str, QPushButton] = {}
        chips = QHBoxLayout()
        chips.addWidget(title)
        chips.addSpacing(20)
        for level in ("red", "yellow", "blue"):
            chip = QPushButton()
            chip.setCheckable(True)
            chip.setObjectName(f"chip_{level}")
            strong, pale = LEVEL_COLOURS[level]
            chip.setStyleSheet(
                f"QPushButton {{ color: {strong}; background: {pale}; border: 2px solid {strong};"
                f" border-radius: 14px; padding: 6px 18px; font-size: 13pt; font-weight: bold; }}"
                f"QPushButton:checked {{ color: white; background: {strong}; }}")
            chip.toggled.connect(lambda on, lv=level: self._chip_toggled(lv, on))
            self.chips[level] = chip
            chips.addWidget(chip)
        chips.addStretch(1)

        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.month.setSuffix(self.tr(" 月"))
        self.month.setPrefix(self.tr("截至 "))
        self.run_button = QPushButton(self.tr("立即运行预警规则"))
        self.run_button.clicked.connect(self.start_run)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.cancel_run)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        can_run = ctx.can(P_BUDGET_DATA) and ctx.can(P_BUDGET_WARNING)
        for w in (self.month, self.run_button):
            w.setVisible(can_run)
            chips.addWidget(w)
        chips.addWidget(self.progress)
        chips.addWidget(self.cancel_button)

        self.rule_filter = QComboBox()
        self.rule_filter.addItem(self.tr("全部规则"), "")
        for key, spec in RULES.items():
            self.rule_filter.addItem(rule_name(key, spec.name), key)
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("全部状态"), "")
        for status in ("待处理", "已发函", "已答复", "已关闭"):
            self.status_filter.addItem(status_name(status), status)
        self.department_filter = QComboBox()
        self.department_filter.addItem(self.tr("全部部门"), "")
        self.active_filter = QComboBox()
        self.active_filter.addItem(self.tr("在办预警"), True)
        self.active_filter.addItem(self.tr("已解除"), False)
        self.active_filter.addItem(self.tr("全部"), None)
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(self.tr("搜索原因、对象或部门"))
        self.text_filter.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        for label, combo in ((self.tr("规则"), self.rule_filter), (self.tr("状态"), self.status_filter),
                             (self.tr("部门"), self.department_filter), (self.tr("范围"), self.active_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
        filters.addWidget(self.text_filter, 1)
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.setObjectName("warnings_export")
        self.export_button.setToolTip(self.tr("把列表中的预警（当前筛选条件下）导出为 Excel 工作簿"))
        self.export_button.clicked.connect(lambda: self.export_to())
        filters.addWidget(self.export_button)
        for combo in (self.rule_filter, self.status_filter, self.department_filter, self.active_filter):
            combo.currentIndexChanged.connect(self.refresh)
        self.text_filter.returnPressed.connect(self.refresh)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("等级"), self.tr("规则"), self.tr("部门"), self.tr("对象"),
                                              self.tr("原因"), self.tr("金额（万元）"), self.tr("状态"),
                                              self.tr("预警日期")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        tidy(self.table, stretch=4, cap=260)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; font-size: 14pt; padding: 40px;")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.detail = self._build_detail()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list_stack)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([1050, 550])
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("message")

        layout = QVBoxLayout(self)
        layout.addLayout(chips)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self._set_counts({"red": 0, "yellow": 0, "blue": 0})
        self.message.hide()
        self.refresh()

    def title(self) -> str:
        return self.tr("预警信息")

    # ------------------------------------------------------------------ detail panel
    def _build_detail(self) -> QWidget:
        box = QWidget()
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        self.detail_title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.detail_reason = QLabel()
        self.detail_reason.setWordWrap(True)
        self.detail_reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_reason.setStyleSheet("background: #fafafa; border: 1px solid #ddd; padding: 8px;")
        self.trail = QTableWidget(0, 4)
        self.trail.setObjectName("warning_trail")
        self.trail.setHorizontalHeaderLabels([self.tr("日期"), self.tr("收款人或对象"), self.tr("金额（万元）"),
                                              self.tr("用途或说明")])
        self.trail.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.trail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trail.verticalHeader().setVisible(False)
        tidy(self.trail, stretch=1, cap=220, wrap=True, chooser=False, min_stretch=150)
        self.trail.cellDoubleClicked.connect(lambda row, _col: self._trail_opened(row))
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.buttons_row = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for action in ("发函", "答复", "关闭", "重新打开", "备注"):
            button = QPushButton(action_name(action))
            button.clicked.connect(lambda _=False, a=action: self.take_action(a))
            self.action_buttons[action] = button
            self.buttons_row.addWidget(button)
        self.buttons_row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.detail_title)
        layout.addWidget(self.detail_reason)
        layout.addWidget(QLabel(self.tr("预警依据的记录（双击在查询中打开）：")))
        layout.addWidget(self.trail, 2)
        layout.addWidget(QLabel(self.tr("处理记录：")))
        layout.addWidget(self.history, 1)
        layout.addLayout(self.buttons_row)
        self._show_detail(None)
        return box

    # ------------------------------------------------------------------ loading
    def current_filter(self) -> WarningFilter:
        return WarningFilter(year=self.ctx.year, levels=frozenset(self.levels),
                             rule=str(self.rule_filter.currentData() or ""),
                             status=str(self.status_filter.currentData() or ""),
                             department_code=str(self.department_filter.currentData() or ""),
                             active=self.active_filter.currentData(), text=self.text_filter.text())

    def refresh(self) -> None:
        """Reload the warnings under the current filters in the background; ``loaded`` fires when shown."""
        f = self.current_filter()
        engine = self.ctx.engine

        def load(_c: TaskContext) -> tuple[list[WarningRow], dict[str, int], list[tuple[str, str]], int]:
            month = latest_month(engine, f.year)
            with reading(engine) as conn, Session(bind=conn) as s:
                return list_warnings(s, f), level_counts(s, f), departments_with_warnings(s, f.year), month

        self._task = (BackgroundTask(load, owner=self, name="warning-inbox").on_success(self._show)
                      .on_failure(lambda e: self._say(self.tr("读取预警失败：%1").replace("%1", str(e)), error=True))
                      .start())

    def _show(self, result: tuple[list[WarningRow], dict[str, int], list[tuple[str, str]], int]) -> None:
        rows, counts, departments, month = result
        keep = self.current.warning_key if self.current else ""
        self.rows = rows
        self._set_counts(counts)
        if self.department_filter.count() <= 1 and departments:
            self.department_filter.blockSignals(True)
            for code, name in departments:
                self.department_filter.addItem(f"{name}（{code}）", code)
            self.department_filter.blockSignals(False)
        if not self.run_button.isVisible() or self.month.value() == 1:
            self.month.setValue(month)
        self.table.setRowCount(len(rows))
        for r, w in enumerate(rows):
            strong, pale = LEVEL_COLOURS.get(w.level, ("#333", "#fff"))
            money = format_fen(w.amount_fen, MoneyUnit.WAN).removesuffix(" 万元")
            cells = [level_name(w.level), rule_name(w.rule), w.department, readable_subject(w), w.reason, money,
                     status_name(w.status) if w.active else self.tr("%1（已解除）").replace("%1", status_name(w.status)),
                     w.raised_at.strftime("%Y-%m-%d") if w.raised_at else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setBackground(QBrush(QColor(pale)))
                    item.setForeground(QBrush(QColor(strong)))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if c == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not w.active:
                    item.setForeground(QBrush(QColor("#888")))
                self.table.setItem(r, c, item)
        fit(self.table)
        self.export_button.setEnabled(bool(rows))
        if rows:
            self.list_stack.setCurrentWidget(self.table)
        else:
            self.empty.setText(self._empty_text())
            self.list_stack.setCurrentWidget(self.empty)
        index = next((i for i, w in enumerate(rows) if w.warning_key == keep), -1)
        if index >= 0:
            self.table.selectRow(index)
            self._show_detail(rows[index])
        else:
            self._show_detail(None)
        self.loaded.emit()

    def _empty_text(self) -> str:
        f = self.current_filter()
        if f.levels or f.rule or f.status or f.department_code or f.text or f.active is not True:
            return self.tr("没有符合筛选条件的预警。请放宽筛选条件。")
        if self.run_button.isVisible():
            return self.tr("%1 年暂无在办预警。\n点击“立即运行预警规则”，按当前阈值检查预算执行和支付明细。"
                           ).replace("%1", str(self.ctx.year))
        return self.tr("%1 年暂无本委员会联系部门的预警。预工委运行预警规则后，预警会同步到这里。"
                       ).replace("%1", str(self.ctx.year))

    def _set_counts(self, counts: dict[str, int]) -> None:
        for level, chip in self.chips.items():
            chip.setText(self.tr("%1预警 %2").replace("%1", level_name(level)).replace("%2", str(counts.get(level, 0))))

    def _chip_toggled(self, level: str, on: bool) -> None:
        if on:
            self.levels.add(level)
        else:
            self.levels.discard(level)
        self.refresh()

    # ------------------------------------------------------------------ detail
    def _selection_changed(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        row = selected[0].row() if selected else -1
        self._show_detail(self.rows[row] if 0 <= row < len(self.rows) else None)

    def select_warning(self, warning_key: str) -> bool:
        for i, w in enumerate(self.rows):
            if w.warning_key == warning_key:
                self.table.selectRow(i)
                return True
        return False

    def _show_detail(self, w: WarningRow | None) -> None:
        self.current = w
        self.trail.setRowCount(0)
        self.history.clear()
        if w is None:
            self.detail_title.setText(self.tr("选择一条预警查看详情"))
            self.detail_reason.setText(self.tr("左侧列表中选择预警后，这里显示预警原因、依据的支付或指标记录，"
                                               "以及发函、答复、关闭等处理记录。"))
            for b in self.action_buttons.values():
                b.hide()
            return
        strong, _pale = LEVEL_COLOURS.get(w.level, ("#333", "#fff"))
        self.detail_title.setText(f"<span style='color:{strong}'>【{level_name(w.level)}】</span> "
                                  f"{rule_name(w.rule)} · {readable_subject(w)}")
        state = status_name(w.status) if w.active else self.tr("%1，异常已消失，预警已解除").replace(
            "%1", status_name(w.status))
        self.detail_reason.setText(f"{w.reason}\n\n" + self.tr("状态：%1；截至 %2 月的数据").replace(
            "%1", state).replace("%2", str(w.as_of_month)))
        with reading(self.ctx.engine) as conn:
            lines = trail_lines(conn, w.trail)
            steps = history(conn, w.warning_key)
        self.trail.clearSpans()
        self.trail.setRowCount(len(lines))
        for r, line in enumerate(lines):
            if not (line.day or line.amount):  # a department, project, indicator or note: one line across
                text = f"{line.what}：{line.who}" if line.who and line.what else (line.who or line.what)
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (line.table, line.key))
                if line.reference:
                    item.setToolTip(f"{text}\n{line.reference}")
                self.trail.setItem(r, 0, item)
                self.trail.setSpan(r, 0, 1, 4)
                continue
            for c, text in enumerate((line.day, line.who, line.amount, line.what)):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if line.reference:
                    item.setToolTip(f"{text}\n{line.reference}" if text else line.reference)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, (line.table, line.key))
                self.trail.setItem(r, c, item)
        fit(self.trail)
        for step in steps:
            when = step.acted_at.strftime("%Y-%m-%d %H:%M") if step.acted_at else ""
            text = f"{when} {action_name(step.action)}（{step.actor}）"
            self.history.addItem(f"{text}：{step.note}" if step.note else text)
        if not steps:
            self.history.addItem(self.tr("尚未处理"))
        allowed = set(allowed_actions(w.status)) if self.ctx.can(P_BUDGET_WARNING) else set()
        for action, button in self.action_buttons.items():
            button.setVisible(action in allowed)

    def _trail_opened(self, row: int) -> None:
        item = self.trail.item(row, 0)
        table, key = (item.data(Qt.ItemDataRole.UserRole) if item is not None else None) or ("", "")
        kind = TRAIL_KINDS.get(str(table))
        if kind and key:
            self.open_item.emit(kind, str(key))

    # ------------------------------------------------------------------ follow-up
    def ask_note(self, action: str) -> str | None:
        """The note for a step from a dialog; None when the user cancels."""
        dialog = NoteDialog(action, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.text.toPlainText()

    def take_action(self, action: str, note: str | None = None) -> bool:
        """One follow-up step on the selected warning. A step the status or the user's rights do not allow is
        refused at once with the reason; an allowed one is written in the background (``acted`` tells how it
        went) and the list reloads. Returns whether the step was started."""
        w = self.current
        if w is None:
            return False
        try:  # allowed at all? (before asking for the note, which is checked after)
            check(w.status, action, "-" if note is None else note, self.ctx.permissions)
            if note is None:
                note = self.ask_note(action)
                if note is None:
                    return False
                check(w.status, action, note, self.ctx.permissions)
        except FollowUpError as exc:
            self._say(str(exc), error=True)
            return False
        factory, key, actor, permissions = self.ctx.session, w.warning_key, self.ctx.user_name, self.ctx.permissions
        subject = w.subject

        def write(_c: TaskContext) -> None:
            with factory() as s, s.begin():
                act(s, key, action, note, actor=actor, permissions=permissions)

        def done(_result: None) -> None:
            self._say(self.tr("已%1：%2").replace("%1", action_name(action)).replace("%2", subject))
            self.acted.emit(True)
            self.refresh()

        def failed(error: BaseException) -> None:
            self._say(str(error) if isinstance(error, FollowUpError) else
                      self.tr("处理失败：%1").replace("%1", str(error)), error=True)
            self.acted.emit(False)

        self._act_task = (BackgroundTask(write, owner=self, name="warning-follow-up").on_success(done)
                          .on_failure(failed).start())
        return True

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c62828; font-weight: bold;" if error else "color: #2e7d32;")
        self.message.setText(text)
        self.message.show()

    # ------------------------------------------------------------------ export
    def export_sheet(self) -> Sheet:
        """The warnings as listed (current filters, shown columns), amounts in 万元 as the list shows them."""
        f = self.current_filter()
        note = self.tr("%1 年预警信息，导出时的筛选：%2；金额单位：万元").replace("%1", str(self.ctx.year)).replace(
            "%2", "、".join(x for x in (self.rule_filter.currentText(), self.status_filter.currentText(),
                                       self.department_filter.currentText(), self.active_filter.currentText(),
                                       f.text) if x))
        return sheet_of(self.table, self.tr("预警信息"), note)

    def export_to(self, path: Path | None = None) -> BackgroundTask[Path] | None:
        """Export the list to an Excel workbook (asking where when ``path`` is None), in the background."""
        if path is None:
            path = ask_xlsx_path(self, self.tr("%1年预警信息.xlsx").replace("%1", str(self.ctx.year)))
            if path is None:
                return None
        self.export_button.setEnabled(False)

        def done(written: Path) -> None:
            self.export_button.setEnabled(True)
            self._say(self.tr("已导出 %1 条预警到 %2").replace("%1", str(len(self.rows))).replace("%2", str(written)))
            self.exported.emit(str(written))

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            self._say(self.tr("导出失败，没有写入文件：%1").replace("%1", str(error)), error=True)
            self.exported.emit("")

        return export_xlsx(self, path, [self.export_sheet()], done=done, failed=failed)

    # ------------------------------------------------------------------ running the rules
    def start_run(self) -> None:
        """Run the rules for the page's year up to the chosen month, in the background, with progress."""
        if self._run_task is not None and self._run_task.is_running:
            return
        engine, year, month, user = self.ctx.engine, self.ctx.year, self.month.value(), self.ctx.user_name
        factory = self.ctx.session

        def work(c: TaskContext) -> RulesRun:
            return run_rules(engine, year, month, progress=lambda step, done, total: c.progress(step, done, total),
                             cancel=lambda: c.cancelled, actor=user, session_factory=factory)

        self.run_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self._run_task = (BackgroundTask(work, owner=self, name="warning-rules").on_progress(self._run_progress)
                          .on_success(self._run_done).on_failure(self._run_failed)
                          .on_cancelled(lambda _e: self._run_failed(None)).on_finished(self._run_ended).start())

    def cancel_run(self) -> None:
        if self._run_task is not None:
            self._run_task.cancel()

    def _run_progress(self, p: Progress) -> None:
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        self.progress.setFormat(p.stage)

    def _run_done(self, run: RulesRun) -> None:
        self._say(self.tr("预警规则已运行：在办预警 %1 条，新增 %2 条，更新 %3 条，解除 %4 条，用时 %5 秒").replace(
            "%1", str(run.raised)).replace("%2", str(run.new)).replace("%3", str(run.updated)).replace(
            "%4", str(run.retired)).replace("%5", f"{run.seconds:.1f}"))
        self.refresh()
        self.run_finished.emit(run)

    def _run_failed(self, error: BaseException | None) -> None:
        if error is None:
            self._say(self.tr("已取消，预警未更新"), error=True)
        else:
            self._say(self.tr("运行预警规则失败：%1").replace("%1", str(error)), error=True)
        self.run_finished.emit(None)

    def _run_ended(self) -> None:
        self.run_button.setEnabled(True)
        self.progress.hide()
        self.cancel_button.hide()
