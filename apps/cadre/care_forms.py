"""The small forms of the care work pages: a dialog of labelled fields whose 确定 runs an action of
``core.cadre.care``; a refusal shows its Chinese message in the dialog (naming the field, which is marked)
and the dialog stays open with nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from apps.common.qt import (
    QComboBox,
    QCompleter,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)
from apps.common.theme import set_role, set_state
from core.cadre.care import CareRefused

FIELD_ERROR_STYLE = ("QLineEdit[state=\"error\"], QComboBox[state=\"error\"], QDateEdit[state=\"error\"], "
                     "QPlainTextEdit[state=\"error\"] { border: 2px solid #b00020; }")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"
    """``text``, ``long`` (several lines), ``date``, ``choice`` (``choices``: (data, shown) pairs) or ``person``."""
    choices: tuple[tuple[str, str], ...] = ()
    value: Any = None


def to_date(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


class ActionDialog(QDialog):
    """Fields, then 确定 / 取消. ``action(values)`` saves or raises ``CareRefused``."""

    def __init__(self, title: str, fields: list[Field], action: Callable[[dict[str, Any]], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreCareDialog")
        self.setWindowTitle(title)
        self._action = action
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        form = QFormLayout()
        for field in fields:
            widget = self._widget(field)
            self.widgets[field.key] = widget
            self.labels[field.label] = field.key
            form.addRow(self.tr("{label}：").format(label=field.label), widget)
        self.error = set_role(QLabel(), "error")
        self.error.setWordWrap(True)
        self.error.setObjectName("CareDialogError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.setStyleSheet(FIELD_ERROR_STYLE)

    def _widget(self, field: Field) -> QWidget:
        if field.kind == "date":
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            day: date = field.value or date.today()
            edit.setDate(QDate(day.year, day.month, day.day))
            return edit
        if field.kind in ("choice", "person"):
            combo = QComboBox()
            for data, shown in field.choices:
                combo.addItem(shown, data)
            if field.kind == "person":
                combo.setEditable(True)
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                completer = combo.completer()
                if completer is not None:
                    completer.setFilterMode(Qt.MatchFlag.MatchContains)
                    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            if field.value is not None:
                index = combo.findData(field.value)
                combo.setCurrentIndex(max(index, 0))
            return combo
        if field.kind == "long":
            text = QPlainTextEdit()
            text.setPlainText(str(field.value or ""))
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 16)
            return text
        line = QLineEdit(str(field.value or ""))
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, widget in self.widgets.items():
            if isinstance(widget, QDateEdit):
                out[key] = to_date(widget)
            elif isinstance(widget, QComboBox):
                data = widget.currentData()
                if widget.isEditable() and widget.currentText() != widget.itemText(widget.currentIndex()):
                    data = ""  # a name typed that is not in the list
                out[key] = data if data is not None else ""
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                out[key] = widget.text()
        return out

    def set_value(self, key: str, value: Any) -> None:
        """For tests and callers: fill a field as a clerk would."""
        widget = self.widgets[key]
        if isinstance(widget, QDateEdit):
            widget.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            widget.setCurrentIndex(index if index >= 0 else widget.findText(str(value)))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    def submit(self) -> None:
        for widget in self.widgets.values():
            set_state(widget, "")
        try:
            self._action(self.values())
        except CareRefused as refusal:
            self.error.setText(str(refusal))
            key = self.labels.get(refusal.field)
            if key is not None:
                set_state(self.widgets[key], "error")
                self.widgets[key].setFocus()
            return
        self.error.clear()
        self.accept()
