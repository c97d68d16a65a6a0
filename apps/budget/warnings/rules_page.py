"""The warning rules: on or off, level, thresholds as typed editors, the basis in words; saved all at once
after validation (a bad value names the rule and the threshold, and nothing is saved). Read-only without
``budget.rules``."""

from __future__ import annotations

from typing import Any

from apps.budget.common.context import BudgetContext
from apps.budget.warnings.common import LEVEL_COLOURS, PAGE_STYLE, level_name, rule_name, rule_text
from apps.common.qt import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, TaskContext
from core.auth.roles import P_BUDGET_RULES
from core.budget.warnings import RULES, Param, RuleSettingError, load_settings, save_rule, validate
from core.budget.warnings.engine import reading


class ParamEditor:
    """One threshold's editor, typed by the parameter's kind."""

    def __init__(self, param: Param, value: Any, parent: QWidget) -> None:
        self.param = param
        self.widget: QWidget
        tr = parent.tr
        if param.kind == "percent" or param.kind == "number":
            box = QDoubleSpinBox()
            box.setDecimals(1)
            box.setRange(param.minimum or 0, param.maximum or 1e9)
            if param.kind == "percent":
                box.setSuffix(" %")
            box.setValue(float(value))
            self.widget = box
        elif param.kind == "days":
            spin = QSpinBox()
            spin.setRange(int(param.minimum or 0), int(param.maximum or 3650))
            spin.setSuffix(tr(" 天"))
            spin.setValue(int(value))
            self.widget = spin
        elif param.kind == "choice":
            combo = QComboBox()
            for key, label in param.choices:
                combo.addItem(rule_text(label), key)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            self.widget = combo
        else:
            edit = QLineEdit("、".join(value) if param.kind == "keywords" else str(value))
            if param.kind == "amount":
                edit.setMaximumWidth(180)
                edit.setPlaceholderText(tr("万元"))
            else:
                edit.setPlaceholderText(tr("多个词用顿号或逗号分开"))
            self.widget = edit
        self.widget.setObjectName(f"param_{param.key}")
        if param.kind != "keywords":
            self.widget.setMaximumWidth(220)

    def value(self) -> Any:
        w = self.widget
        if isinstance(w, QDoubleSpinBox):
            return w.value()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentData()
        assert isinstance(w, QLineEdit)
        return w.text()

    def set_value(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QDoubleSpinBox):
            w.setValue(float(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(w.findData(value), 0))
        elif isinstance(w, QLineEdit):
            w.setText("、".join(value) if isinstance(value, list) else str(value))


class BasisEdit(QPlainTextEdit):
    """The legal basis of a rule: wrapped in full (a law article is longer than any line), at most 400
    characters, as tall as its text."""

    MAX = 400

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("rule_basis")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())
        self.textChanged.connect(self._limit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()[:self.MAX]

    def _limit(self) -> None:
        if len(self.toPlainText()) > self.MAX:
            cursor = self.textCursor()
            self.setPlainText(self.toPlainText()[:self.MAX])
            cursor.setPosition(min(cursor.position(), self.MAX))
            self.setTextCursor(cursor)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as the wrapped text (counted in lines by the plain-text layout), at most eight lines."""
        layout = self.document().documentLayout()
        layout.documentSize()  # lays the text out at the current width
        lines = 0
        block = self.document().begin()
        while block.isValid():
            lines += max(1, block.layout().lineCount())
            block = block.next()
        height = (self.fontMetrics().lineSpacing() * min(max(lines, 1), 8) + 2 * int(self.document().documentMargin())
                  + 2 * self.frameWidth() + 4)
        if self.height() != height:
            self.setFixedHeight(height)


class RuleBox(QGroupBox):
    """One rule's settings."""

    def __init__(self, rule: str, page: WarningRulesPage) -> None:
        spec = RULES[rule]
        super().__init__(rule_name(rule, spec.name))
        self.rule = rule
        self.setObjectName(f"rule_{rule}")
        self.enabled = QCheckBox(self.tr("启用"))
        self.level = QComboBox()
        for level in ("red", "yellow", "blue"):
            self.level.addItem(level_name(level), level)
        self.basis = BasisEdit()
        self.description = QLabel(rule_text(spec.description))
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #444;")
        self.editors: dict[str, ParamEditor] = {}
        self.read_only = False
        form = QFormLayout()
        top = QHBoxLayout()
        top.addWidget(self.enabled)
        top.addSpacing(20)
        top.addWidget(QLabel(self.tr("预警等级")))
        top.addWidget(self.level)
        top.addStretch(1)
        form.addRow(top)
        form.addRow(self.description)
        for p in spec.params:
            editor = ParamEditor(p, p.default, page)
            editor.widget.setToolTip(rule_text(p.help))
            self.editors[p.key] = editor
            form.addRow(rule_text(p.label), editor.widget)
        form.addRow(self.tr("依据"), self.basis)
        self.setLayout(form)
        self.level.currentIndexChanged.connect(self._colour)

    def _colour(self) -> None:
        strong, _pale = LEVEL_COLOURS.get(str(self.level.currentData()), ("#333", "#fff"))
        self.setStyleSheet(f"QGroupBox#rule_{self.rule} {{ font-weight: bold; border: 1px solid #ccc;"
                           f" border-left: 6px solid {strong}; margin-top: 14px; padding: 10px; }}"
                           f"QGroupBox#rule_{self.rule}::title {{ subcontrol-origin: margin; left: 12px; }}")

    def load(self, enabled: bool, level: str, params: dict[str, Any], basis: str) -> None:
        self.enabled.setChecked(enabled)
        self.level.setCurrentIndex(max(self.level.findData(level), 0))
        for key, editor in self.editors.items():
            editor.set_value(params[key])
        self.basis.setPlainText(basis)
        self.basis.setToolTip(basis)
        self._colour()

    def values(self) -> tuple[bool, str, dict[str, Any], str]:
        return (self.enabled.isChecked(), str(self.level.currentData()),
                {k: e.value() for k, e in self.editors.items()}, self.basis.text())

    def set_read_only(self, read_only: bool) -> None:
        """Read-only editors keep dark text (disabled ones would be grey and hard to read)."""
        self.basis.setReadOnly(read_only)
        for w in (e.widget for e in self.editors.values()):
            if isinstance(w, QLineEdit | QSpinBox | QDoubleSpinBox):
                w.setReadOnly(read_only)
                if not isinstance(w, QLineEdit):
                    w.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons if read_only
                                       else QDoubleSpinBox.ButtonSymbols.UpDownArrows)
            else:
                w.setEnabled(not read_only)
        self.enabled.setEnabled(not read_only)
        self.level.setEnabled(not read_only)
        self.read_only = read_only


class WarningRulesPage(QWidget):
    """预警规则: thresholds staff may edit; everyone else sees them read-only."""

    saved = Signal()

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(PAGE_STYLE + "QComboBox:disabled, QCheckBox:disabled { color: #222; }")
        self.editable = ctx.can(P_BUDGET_RULES)
        self._task: BackgroundTask[None] | None = None
        self._shown: dict[str, tuple[bool, str, dict[str, Any], str]] = {}
        title = QLabel(self.title())
        title.setObjectName("page_title")
        note = QLabel(self.tr("阈值修改后，下次运行预警规则时生效。金额以万元为单位，百分比以 % 为单位。")
                      if self.editable else self.tr("您可以查看预警规则和阈值；只有预工委工作人员可以修改。"))
        note.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存全部规则"))
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton(self.tr("放弃修改"))
        self.reset_button.clicked.connect(self.reload)
        for b in (self.save_button, self.reset_button):
            b.setVisible(self.editable)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.reset_button)
        head.addWidget(self.save_button)

        self.boxes: dict[str, RuleBox] = {}
        inner = QWidget()
        column = QVBoxLayout(inner)
        for rule in RULES:
            box = RuleBox(rule, self)
            box.set_read_only(not self.editable)
            self.boxes[rule] = box
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        self.reload()

    def title(self) -> str:
        return self.tr("预警规则")

    def reload(self) -> None:
        """Show the stored settings (defaults where none are stored), dropping unsaved edits."""
        with reading(self.ctx.engine) as conn:
            settings = load_settings(conn)
        for rule, box in self.boxes.items():
            st = settings[rule]
            box.load(st.enabled, st.level, st.params, st.basis)
        self._shown = self._values()
        self.message.hide()

    def _values(self) -> dict[str, tuple[bool, str, dict[str, Any], str]]:
        return {rule: box.values() for rule, box in self.boxes.items()}

    def has_unsaved_edits(self) -> bool:
        return self._values() != self._shown

    def refresh(self) -> None:
        """After a sync: show what arrived, unless the user is editing (their edits are kept)."""
        if not self.has_unsaved_edits():
            self.reload()

    def save(self) -> bool:
        """Validate every rule here (a bad threshold is refused at once and nothing is saved), then store them
        all in one transaction in the background; ``saved`` fires when done. Returns whether saving started."""
        if not self.editable:
            self._say(self.tr("您没有修改预警规则的权限"), error=True)
            return False
        cleaned: list[tuple[str, bool, str, dict[str, Any], str]] = []
        for rule, box in self.boxes.items():
            enabled, level, params, basis = box.values()
            try:
                clean = validate(rule, level, params)
            except RuleSettingError as exc:
                self._say(self.tr("“%1”：%2").replace("%1", box.title()).replace("%2", str(exc)), error=True)
                box.setFocus()
                return False
            cleaned.append((rule, enabled, level, clean, basis))
        factory = self.ctx.session

        def write(_c: TaskContext) -> None:
            with factory() as s, s.begin():
                for rule, enabled, level, clean, basis in cleaned:
                    save_rule(s, rule, level=level, enabled=enabled, params=clean, basis=basis)

        def done(_result: None) -> None:
            self._shown = self._values()
            self.save_button.setEnabled(True)
            self._say(self.tr("预警规则已保存，下次运行预警规则时生效"))
            self.saved.emit()

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            self._say(self.tr("保存失败：%1").replace("%1", str(error)), error=True)

        self.save_button.setEnabled(False)
        self._task = BackgroundTask(write, owner=self, name="warning-rules-save").on_success(done) \
            .on_failure(failed).start()
        return True

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c62828; font-weight: bold;" if error else "color: #2e7d32;")
        self.message.setText(text)
        self.message.show()
