"""The edit dialog of a person's page: one form for the basic information or a row of a sub-tab.

The dialog is built from the fields of ``core.cadre.record`` (text, several lines, date as ``YYYY-MM-DD``,
choice, yes/no, whole number). 保存 calls the ``save`` function it was given with what the form holds; a
refusal (:class:`~core.cadre.record.RecordRefused`) is shown under the fields it names and in a summary, the
dialog stays open and nothing is written. Fields the role may not change (masked values) are shown read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)
from apps.common.theme import set_role, set_state
from core.cadre.record import Field, RecordRefused

FIELD_ERROR_STYLE = ("QLineEdit[state=\"error\"], QComboBox[state=\"error\"], QPlainTextEdit[state=\"error\"] "
                     "{ border: 2px solid #b00020; }")


FIELD_LABELS = (
    QT_TRANSLATE_NOOP("CadreFields", "姓名"),
    QT_TRANSLATE_NOOP("CadreFields", "性别"),
    QT_TRANSLATE_NOOP("CadreFields", "民族"),
    QT_TRANSLATE_NOOP("CadreFields", "出生日期"),
    QT_TRANSLATE_NOOP("CadreFields", "按农历过生日"),
    QT_TRANSLATE_NOOP("CadreFields", "籍贯"),
    QT_TRANSLATE_NOOP("CadreFields", "身份证号"),
    QT_TRANSLATE_NOOP("CadreFields", "政治面貌"),
    QT_TRANSLATE_NOOP("CadreFields", "入党时间"),
    QT_TRANSLATE_NOOP("CadreFields", "参加工作时间"),
    QT_TRANSLATE_NOOP("CadreFields", "状态"),
    QT_TRANSLATE_NOOP("CadreFields", "离退休类别"),
    QT_TRANSLATE_NOOP("CadreFields", "离退休时间"),
    QT_TRANSLATE_NOOP("CadreFields", "待遇级别"),
    QT_TRANSLATE_NOOP("CadreFields", "原单位"),
    QT_TRANSLATE_NOOP("CadreFields", "原职务"),
    QT_TRANSLATE_NOOP("CadreFields", "住址"),
    QT_TRANSLATE_NOOP("CadreFields", "邮政编码"),
    QT_TRANSLATE_NOOP("CadreFields", "手机"),
    QT_TRANSLATE_NOOP("CadreFields", "住宅电话"),
    QT_TRANSLATE_NOOP("CadreFields", "健在"),
    QT_TRANSLATE_NOOP("CadreFields", "去世日期"),
    QT_TRANSLATE_NOOP("CadreFields", "备注"),
    QT_TRANSLATE_NOOP("CadreFields", "类别"),
    QT_TRANSLATE_NOOP("CadreFields", "名称"),
    QT_TRANSLATE_NOOP("CadreFields", "说明"),
    QT_TRANSLATE_NOOP("CadreFields", "起始日期"),
    QT_TRANSLATE_NOOP("CadreFields", "截止日期"),
    QT_TRANSLATE_NOOP("CadreFields", "单位"),
    QT_TRANSLATE_NOOP("CadreFields", "职务"),
    QT_TRANSLATE_NOOP("CadreFields", "经历"),
    QT_TRANSLATE_NOOP("CadreFields", "关系"),
    QT_TRANSLATE_NOOP("CadreFields", "出生年份"),
    QT_TRANSLATE_NOOP("CadreFields", "工作单位"),
    QT_TRANSLATE_NOOP("CadreFields", "电话"),
    QT_TRANSLATE_NOOP("CadreFields", "紧急联系人"),
    QT_TRANSLATE_NOOP("CadreFields", "医院"),
    QT_TRANSLATE_NOOP("CadreFields", "病区"),
    QT_TRANSLATE_NOOP("CadreFields", "入院日期"),
    QT_TRANSLATE_NOOP("CadreFields", "出院日期"),
    QT_TRANSLATE_NOOP("CadreFields", "诊断"),
    QT_TRANSLATE_NOOP("CadreFields", "人员类别"),
    QT_TRANSLATE_NOOP("CadreFields", "获奖日期"),
    QT_TRANSLATE_NOOP("CadreFields", "奖项名称"),
    QT_TRANSLATE_NOOP("CadreFields", "级别"),
    QT_TRANSLATE_NOOP("CadreFields", "授予单位"),
    QT_TRANSLATE_NOOP("CadreFields", "文号"),
    QT_TRANSLATE_NOOP("CadreFields", "标题"),
    QT_TRANSLATE_NOOP("CadreFields", "日期"),
    QT_TRANSLATE_NOOP("CadreFields", "敏感资料（仅有敏感信息权限者可见）"),
    QT_TRANSLATE_NOOP("CadreFields", "即将离退休"),
    QT_TRANSLATE_NOOP("CadreFields", "已离退休"),
)
"""The labels of ``core.cadre.record``'s forms and the stages (``STAGE_LABELS``), for the translation files;
shown through ``field_text``."""

CHOICE_LABELS = (
    QT_TRANSLATE_NOOP("CadreFields", "男"),
    QT_TRANSLATE_NOOP("CadreFields", "女"),
    QT_TRANSLATE_NOOP("CadreFields", "离休"),
    QT_TRANSLATE_NOOP("CadreFields", "退休"),
    QT_TRANSLATE_NOOP("CadreFields", "兴趣"),
    QT_TRANSLATE_NOOP("CadreFields", "特长"),
    QT_TRANSLATE_NOOP("CadreFields", "资料"),
    QT_TRANSLATE_NOOP("CadreFields", "照片"),
    QT_TRANSLATE_NOOP("CadreFields", "证书"),
    QT_TRANSLATE_NOOP("CadreFields", "其他"),
    QT_TRANSLATE_NOOP("CadreFields", "配偶"),
    QT_TRANSLATE_NOOP("CadreFields", "儿子"),
    QT_TRANSLATE_NOOP("CadreFields", "女儿"),
    QT_TRANSLATE_NOOP("CadreFields", "儿媳"),
    QT_TRANSLATE_NOOP("CadreFields", "女婿"),
    QT_TRANSLATE_NOOP("CadreFields", "孙子女"),
    QT_TRANSLATE_NOOP("CadreFields", "外孙子女"),
    QT_TRANSLATE_NOOP("CadreFields", "兄弟姐妹"),
)
"""The fixed choices of those forms (``GENDERS``, ``RETIREMENT_KINDS``, ``INTEREST_KINDS``, ``DOCUMENT_KINDS``,
``RELATIONS``): stored in Chinese, shown in the current language."""


def field_text(label: str) -> str:
    """A form label, stage or fixed choice from the core in the current language."""
    return QCoreApplication.translate("CadreFields", label) if label else ""


def shown(value: Any) -> str:
    """A column value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class RowDialog(QDialog):
    """A form for ``fields``; ``save(values)`` writes them or raises ``RecordRefused``."""

    def __init__(self, title: str, fields: Sequence[Field], values: Mapping[str, Any],
                 save: Callable[[dict[str, Any]], object], *, labels: Mapping[str, Mapping[str, str]] | None = None,
                 read_only: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreRowDialog")
        self.setWindowTitle(title)
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self.fields = list(fields)
        self._save = save
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.saved = False
        form = QWidget()
        grid = QGridLayout(form)
        grid.setColumnStretch(1, 1)
        labels = labels or {}
        for n, f in enumerate(self.fields):
            widget = self._input(f, values.get(f.key), labels.get(f.key, {}))
            widget.setObjectName(f"input_{f.key}")
            if f.key in read_only:
                widget.setEnabled(False)
                widget.setToolTip(self.tr("您的角色不能修改此项（受保护的信息）"))
            self.inputs[f.key] = widget
            caption = QLabel(self.tr("{label}：").format(label=field_text(f.label) + ("＊" if f.required else "")))
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            error = set_role(QLabel(), "error")
            error.setObjectName(f"error_{f.key}")
            error.setWordWrap(True)
            error.hide()
            self.errors[f.key] = error
            grid.addWidget(caption, 2 * n, 0)
            grid.addWidget(widget, 2 * n, 1)
            grid.addWidget(error, 2 * n + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form)
        self.form_scroll = scroll
        self.summary = set_role(QLabel(), "error")
        self.summary.setObjectName("summaryLabel")
        self.summary.setWordWrap(True)
        self.summary.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setText(self.tr("保存"))
        set_role(save_button, "primary")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(720, min(820, 140 + 64 * len(self.fields)))

    def _input(self, f: Field, value: Any, labels: Mapping[str, str]) -> QWidget:
        if f.kind == "bool":
            box = QCheckBox(self.tr("是"))
            box.setChecked(bool(value))
            return box
        if f.kind == "choice":
            combo = QComboBox()
            for choice in f.choices:
                combo.addItem(labels.get(choice, field_text(choice) if choice else self.tr("（不填）")), choice)
            current = shown(value)
            if current and combo.findData(current) < 0:
                combo.addItem(labels.get(current, field_text(current)), current)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            return combo
        if f.kind == "long":
            edit = QPlainTextEdit(shown(value))
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(90)
            return edit
        line = QLineEdit(shown(value))
        if f.kind == "date":
            line.setPlaceholderText(self.tr("例如 2024-05-01"))
        if f.max_length:
            line.setMaxLength(max(f.max_length * 2, 40))  # longer text is refused with a message, not cut
        return line

    def values(self) -> dict[str, Any]:
        """What the form holds: text, or a bool for yes/no fields."""
        out: dict[str, Any] = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                out[key] = str(widget.currentData() or "")
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                out[key] = widget.text()
        return out

    def set_value(self, key: str, value: Any) -> None:
        """Fill one input as a person would (tests and prefilled forms)."""
        widget = self.inputs[key]
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(str(value))
            widget.setCurrentIndex(index if index >= 0 else widget.findText(str(value)))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    def submit(self) -> bool:
        """保存: write through ``save``; on refusal show the problems and keep the dialog open."""
        try:
            self._save(self.values())
        except RecordRefused as refusal:
            self.show_problems(refusal.problems)
            return False
        self.saved = True
        self.show_problems([])
        self.accept()
        return True

    def show_problems(self, problems: list[str]) -> None:
        by_key: dict[str, list[str]] = {}
        labels = {f.label: f.key for f in self.fields}
        for problem in problems:
            head = problem.split("：", 1)[0]
            by_key.setdefault(labels.get(head, ""), []).append(problem)
        for key, label in self.errors.items():
            mine = by_key.get(key, [])
            label.setText("\n".join(p.split("：", 1)[1] if "：" in p else p for p in mine))
            label.setVisible(bool(mine))
            set_state(self.inputs[key], "error" if mine else "")
        if problems:
            lines = "\n".join(f"• {p}" for p in problems)
            self.summary.setText(self.tr("没有保存，请改正以下 {n} 处：\n{lines}").format(n=len(problems), lines=lines))
            self.summary.show()
            first = next((f.key for f in self.fields if f.key in by_key), None)
            if first is not None:
                self.inputs[first].setFocus()
                self.form_scroll.ensureWidgetVisible(self.inputs[first])
        else:
            self.summary.clear()
            self.summary.hide()

    def field_error(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""
