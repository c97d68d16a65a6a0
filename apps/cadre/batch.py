"""Batch actions on the group the register shows: 发送短信 (a greeting template filled in per person, previewed,
confirmed with the count and queued through the notifications outbox) and 打印地址标签 (a label sheet, print
preview and PDF); and 短信模板, where an administrator keeps the greeting templates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from apps.common.i18n import join_list
from apps.common.printing import PdfPrintJob, preview_dialog
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import fit, tidy
from apps.common.tasks import BackgroundTask, Progress
from core.cadre import batch
from core.cadre.greetings import PLACEHOLDERS
from core.cadre.labels import DEFAULT_LAYOUT, LAYOUTS, LabelError, Recipient, labels_pdf
from core.cadre.models import CadSmsTemplate
from core.notifications.templates import TemplateError

PREVIEW_PEOPLE = 5
"""The preview shows the message as filled in for this many people."""


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    tidy(table, stretch=len(headers) - 1, wrap=True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for n, row in enumerate(rows):
        for column, text in enumerate(row):
            table.setItem(n, column, QTableWidgetItem(text))
    fit(table)


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #a40000; font-weight: bold;")
    return label


SHEET_TITLES = (QT_TRANSLATE_NOOP("LabelSheets", "A4 2×7（99.1×38.1 毫米）"),
                QT_TRANSLATE_NOOP("LabelSheets", "A4 3×8（70×37 毫米）"),
                QT_TRANSLATE_NOOP("LabelSheets", "A4 2×4 信封标签（99.1×67.7 毫米）"))
"""The names of ``core.cadre.labels.LAYOUTS``, for the translation files."""


class SmsDialog(QDialog):
    """Pick a template, see the text for the first people and who is skipped, confirm with the count."""

    sent = Signal(int)

    def __init__(self, session_factory: Callable[[], Session], person_ids: Sequence[str], *,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreSmsDialog")
        self.setWindowTitle(self.tr("发送问候短信"))
        self._session_factory = session_factory
        self._today = today
        self.person_ids = list(person_ids)
        self.plan: batch.SmsPlan | None = None
        self.task: BackgroundTask[int] | None = None
        with session_factory() as session:
            self.templates = [(t.id, t.title, t.text) for t in session.scalars(
                select(CadSmsTemplate).where(CadSmsTemplate.deleted.is_(False), CadSmsTemplate.active.is_(True))
                .order_by(CadSmsTemplate.code))]
        self.template = QComboBox()
        for tid, title, _text in self.templates:
            self.template.addItem(title, tid)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.preview = _table([self.tr("姓名"), self.tr("短信内容")])
        self.skipped_label = QLabel()
        self.skipped_label.setWordWrap(True)
        self.skipped = _table([self.tr("姓名"), self.tr("不发送的原因")])
        self.error = _error_label()
        self.progress = QProgressBar()
        self.progress.hide()
        self.send_button = QPushButton()
        self.send_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        form = QFormLayout()
        form.addRow(self.tr("短信模板："), self.template)
        form.addRow(self.tr("模板内容："), self.text)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("预览（前 {n} 人）：").format(n=PREVIEW_PEOPLE)))
        layout.addWidget(self.preview, 2)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.skipped, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(1000, 720)
        self.template.currentIndexChanged.connect(self.make_plan)
        self.send_button.clicked.connect(self.send)
        self.cancel_button.clicked.connect(self._cancel)
        self.make_plan()

    def make_plan(self, *_: object) -> None:
        self.plan = None
        self.error.setText("")
        index = self.template.currentIndex()
        if index < 0:
            self.text.setText("")
            self.error.setText(self.tr("没有可用的短信模板，请管理员先在“短信模板”中添加。"))
            self._show_plan()
            return
        _tid, _title, text = self.templates[index]
        self.text.setText(text)
        with self._session_factory() as session:
            people = batch.load_people(session, self.person_ids)
            try:
                self.plan = batch.sms_plan(text, people, self._today())
            except TemplateError as exc:
                self.error.setText(str(exc))
            for person in people:
                session.expunge(person)
        self._show_plan()

    def _show_plan(self) -> None:
        plan = self.plan or batch.SmsPlan()
        _fill(self.preview, [(p.name, text) for p, text in plan.send[:PREVIEW_PEOPLE]])
        _fill(self.skipped, [(p.name, reason) for p, reason in plan.skipped])
        self.skipped_label.setText(self.tr("以下 {n} 人不发送：").format(n=len(plan.skipped)) if plan.skipped
                                   else self.tr("所选人员都可以发送。"))
        self.skipped.setVisible(bool(plan.skipped))
        self.send_button.setText(self.tr("确认发送给 {n} 人").format(n=len(plan.send)))
        self.send_button.setEnabled(bool(plan.send))

    def send(self) -> None:
        """Queue the plan in the background in one transaction; 取消 while it runs queues nothing."""
        plan, index = self.plan, self.template.currentIndex()
        if plan is None or not plan.send or index < 0 or (self.task is not None and self.task.is_running):
            return
        template_id, factory, today = self.templates[index][0], self._session_factory, self._today()
        person_ids = [p.id for p, _text in plan.send]

        def work(context: Any) -> int:
            with factory() as session, session.begin():
                template = session.get(CadSmsTemplate, template_id)
                if template is None:
                    raise TemplateError(QCoreApplication.translate("SmsDialog", "短信模板已被删除"))
                fresh = batch.sms_plan(template.text, batch.load_people(session, person_ids), today)

                def report(done: int, total: int) -> None:
                    context.check_cancelled()
                    context.progress("queue", done, total)

                return batch.queue_plan(session, template, fresh, today, report)

        self.send_button.setEnabled(False)
        self.template.setEnabled(False)
        self.progress.setRange(0, len(person_ids))
        self.progress.setValue(0)
        self.progress.show()
        self.task = BackgroundTask(work, owner=self, name="cadre-sms")
        self.task.on_progress(self._progressed).on_success(self._done).on_failure(self._failed)
        self.task.on_cancelled(lambda _e: self._stopped(self.tr("已取消，没有发送任何短信。")))
        self.task.start()

    def _progressed(self, progress: Progress) -> None:
        self.progress.setValue(progress.done)

    def _done(self, count: int) -> None:
        self.sent.emit(count)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._stopped(self.tr("没有发送：{error}").format(error=error))

    def _stopped(self, text: str) -> None:
        self.progress.hide()
        self.error.setText(text)
        self.template.setEnabled(True)
        self._show_plan()

    def _cancel(self) -> None:
        if self.task is not None and self.task.is_running:
            self.task.cancel()
        else:
            self.reject()


class LabelsDialog(QDialog):
    """Address labels of the group on the chosen sheet: print preview and PDF."""

    def __init__(self, session_factory: Callable[[], Session], person_ids: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreLabelsDialog")
        self.setWindowTitle(self.tr("打印地址标签"))
        self.preview: Any = None
        with session_factory() as session:
            self.recipients, missing = batch.label_recipients(batch.load_people(session, list(person_ids)))
            self.missing = [p.name for p in missing]
        self.sheet = QComboBox()
        for key, sheet in LAYOUTS.items():
            self.sheet.addItem(QCoreApplication.translate("LabelSheets", sheet.title), key)
        self.sheet.setCurrentIndex(list(LAYOUTS).index(DEFAULT_LAYOUT))
        self.outlines = QCheckBox(self.tr("画出标签边框（在普通纸上试印）"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = _error_label()
        self.preview_button = QPushButton(self.tr("打印预览…"))
        self.save_button = QPushButton(self.tr("另存为 PDF…"))
        close = QPushButton(self.tr("关闭"))
        form = QFormLayout()
        form.addRow(self.tr("标签纸："), self.sheet)
        form.addRow("", self.outlines)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.preview_button, self.save_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        text = self.tr("共 {n} 张标签。").format(n=len(self.recipients))
        if self.missing:
            text += self.tr("以下 {n} 人没有登记地址，不打印：{names}").format(
                n=len(self.missing), names=join_list(self.missing[:30]) + ("……" if len(self.missing) > 30 else ""))
        self.summary.setText(text)
        enabled = bool(self.recipients)
        self.preview_button.setEnabled(enabled)
        self.save_button.setEnabled(enabled)
        self.preview_button.clicked.connect(self.open_preview)
        self.save_button.clicked.connect(self._ask_save)
        close.clicked.connect(self.accept)
        self.resize(760, 320)

    def labels(self) -> list[Recipient]:
        return self.recipients

    def pdf(self) -> bytes | None:
        try:
            return labels_pdf(self.recipients, sheet=self.sheet.currentData() or DEFAULT_LAYOUT,
                              outlines=self.outlines.isChecked())
        except LabelError as exc:
            self.error.setText(str(exc))
            return None

    def open_preview(self) -> None:
        pdf = self.pdf()
        if pdf is not None:
            self.preview = preview_dialog(PdfPrintJob(pdf, self.tr("地址标签")), self)
            self.preview.open()

    def save_to(self, path: Path) -> Path | None:
        pdf = self.pdf()
        if pdf is None:
            return None
        path.write_bytes(pdf)
        return path

    def _ask_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("另存为 PDF"), self.tr("地址标签.pdf"), "PDF (*.pdf)")
        if name:
            self.save_to(Path(name if name.lower().endswith(".pdf") else name + ".pdf"))


class TemplateEditor(QDialog):
    """Add or edit one greeting template; a bad placeholder is refused with a message naming it."""

    def __init__(self, session_factory: Callable[[], Session], template_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreTemplateEditor")
        self._session_factory = session_factory
        self.template_id = template_id
        self.setWindowTitle(self.tr("修改短信模板") if template_id else self.tr("新增短信模板"))
        self.code = QLineEdit()
        self.title_edit = QLineEdit()
        self.occasion = QLineEdit(self.tr("生日"))
        self.text = QPlainTextEdit()
        self.text.setMinimumHeight(120)
        self.active = QCheckBox(self.tr("启用"))
        self.active.setChecked(True)
        hint = QLabel(self.tr("可以使用的占位符：") + "；".join(f"{{{k}}} {v}" for k, v in PLACEHOLDERS.items()))
        hint.setWordWrap(True)
        self.error = _error_label()
        save = QPushButton(self.tr("保存"))
        save.setDefault(True)
        cancel = QPushButton(self.tr("取消"))
        form = QFormLayout()
        form.addRow(self.tr("编码："), self.code)
        form.addRow(self.tr("名称："), self.title_edit)
        form.addRow(self.tr("使用场合："), self.occasion)
        form.addRow(self.tr("短信内容："), self.text)
        form.addRow("", self.active)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        save.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        if template_id:
            with session_factory() as session:
                row = session.get(CadSmsTemplate, template_id)
                if row is not None:
                    self.code.setText(row.code)
                    self.title_edit.setText(row.title)
                    self.occasion.setText(row.occasion)
                    self.text.setPlainText(row.text)
                    self.active.setChecked(row.active)
        self.resize(820, 480)

    def save(self) -> bool:
        """Check and store the template; a refused one changes nothing and shows why."""
        code, title, occasion = self.code.text().strip(), self.title_edit.text().strip(), self.occasion.text().strip()
        text = self.text.toPlainText().strip()
        try:
            with self._session_factory() as session, session.begin():
                batch.check_sms_template(session, code, title, occasion, text, self.template_id)
                row = session.get(CadSmsTemplate, self.template_id) if self.template_id else None
                if row is None:
                    row = CadSmsTemplate(code=code)
                    session.add(row)
                row.code, row.title, row.occasion, row.text = code, title, occasion, text
                row.active = self.active.isChecked()
        except TemplateError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True


class TemplatesDialog(QDialog):
    """The greeting templates, with 新增 and 修改."""

    def __init__(self, session_factory: Callable[[], Session], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreTemplates")
        self.setWindowTitle(self.tr("短信模板"))
        self._session_factory = session_factory
        self.ids: list[str] = []
        self.editor: TemplateEditor | None = None
        self.table = _table([self.tr("编码"), self.tr("名称"), self.tr("场合"), self.tr("状态"), self.tr("短信内容")])
        self.add_button = QPushButton(self.tr("新增…"))
        self.edit_button = QPushButton(self.tr("修改…"))
        close = QPushButton(self.tr("关闭"))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self._edit_current)
        self.table.doubleClicked.connect(lambda index: self.open_editor(self.ids[index.row()]))
        close.clicked.connect(self.accept)
        self.resize(1000, 560)
        self.reload()

    def reload(self) -> None:
        with self._session_factory() as session:
            rows = session.scalars(select(CadSmsTemplate).where(CadSmsTemplate.deleted.is_(False))
                                   .order_by(CadSmsTemplate.code)).all()
            self.ids = [r.id for r in rows]
            _fill(self.table, [(r.code, r.title, r.occasion, self.tr("启用") if r.active else self.tr("停用"), r.text)
                               for r in rows])
        self.edit_button.setEnabled(bool(self.ids))

    def _edit_current(self) -> None:
        row = self.table.currentRow()
        self.open_editor(self.ids[row] if 0 <= row < len(self.ids) else (self.ids[0] if self.ids else None))

    def open_editor(self, template_id: str | None) -> TemplateEditor:
        self.editor = TemplateEditor(self._session_factory, template_id, self)
        self.editor.accepted.connect(self.reload)
        self.editor.open()
        return self.editor
