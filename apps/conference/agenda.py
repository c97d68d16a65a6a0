"""The agenda and each item's vote settings (议程与表决设置).

An item has a kind (bill, amendment of another item, appointment voted person by person, procedural)
and its vote: named or anonymous, first- or last-press-valid, a fixed duration or ended by the chair,
the majority preset with the law's article it comes from, and whether the result shows at once.
"""

from __future__ import annotations

from dataclasses import replace

from apps.common.qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.theme import set_role
from apps.conference.labels import (
    BALLOT_LABELS,
    KIND_LABELS,
    MAJORITY_LABELS,
    PRESS_LABELS,
    REVEAL_LABELS,
    tr_label,
)
from core.conference.law import default_majority, majorities_for
from core.conference.meeting import AgendaItem, ItemKind, PressRule, Reveal, VoteSettings
from core.conference.preparation import MeetingDraft
from core.conference.voting import MAJORITY_PRESETS


class AgendaTab(QWidget):
    """The list of agenda items and the form of the selected one; edits apply at once."""

    changed = Signal()
    message = Signal(str, bool)

    def __init__(self, draft: MeetingDraft, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.can_edit = can_edit
        self._filling = False
        self.items = QListWidget()
        self.items.setObjectName("agendaList")
        self.items.setSpacing(3)
        self.items.setWordWrap(True)
        font = self.items.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.items.setFont(font)
        self.items.currentItemChanged.connect(lambda *_: self._show_current())
        self.add_button = set_role(QPushButton(self.tr("新增议程")), "primary")
        self.add_button.clicked.connect(self.add_item)
        self.remove_button = QPushButton(self.tr("删除"))
        self.remove_button.clicked.connect(self.remove_item)
        self.up_button = QPushButton(self.tr("上移"))
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton(self.tr("下移"))
        self.down_button.clicked.connect(lambda: self.move_current(1))

        self.title = QLineEdit()
        self.kind = QComboBox()
        for key in KIND_LABELS:
            self.kind.addItem(tr_label(KIND_LABELS, key), key)
        self.amends = QComboBox()
        self.candidates = QPlainTextEdit()
        self.candidates.setPlaceholderText(self.tr("每行一位候选人"))
        self.candidates.setFixedHeight(120)
        self.ballot = QComboBox()
        for anonymous in (True, False):
            self.ballot.addItem(tr_label(BALLOT_LABELS, anonymous), anonymous)
        self.press = QComboBox()
        for key in PRESS_LABELS:
            self.press.addItem(tr_label(PRESS_LABELS, key), key)
        self.duration = QSpinBox()
        self.duration.setRange(0, 3600)
        self.duration.setSuffix(self.tr(" 秒"))
        self.duration.setSpecialValueText(self.tr("由主持人结束"))
        self.majority = QComboBox()
        self._fill_majorities()
        self.citation = QLineEdit()
        self.citation.setPlaceholderText(self.tr("写明所依据的法律、章程或办法的条文"))
        self.citation.setToolTip(self.tr("默认为本类会议适用的法律条文；核对现行文本后可在此改写，只对本次会议有效"))
        self.citation.editingFinished.connect(self._store_citation)
        self.reveal = QComboBox()
        for key in REVEAL_LABELS:
            self.reveal.addItem(tr_label(REVEAL_LABELS, key), key)

        self.form = QFormLayout()
        self.form.addRow(self.tr("议程名称"), self.title)
        self.form.addRow(self.tr("类型"), self.kind)
        self.form.addRow(self.tr("所修正的议程"), self.amends)
        self.form.addRow(self.tr("候选人"), self.candidates)
        self.form.addRow(self.tr("表决方式"), self.ballot)
        self.form.addRow(self.tr("按键规则"), self.press)
        self.form.addRow(self.tr("表决时长"), self.duration)
        self.form.addRow(self.tr("通过规则"), self.majority)
        self.form.addRow(self.tr("法律依据"), self.citation)
        self.form.addRow(self.tr("结果公布"), self.reveal)
        self.title.editingFinished.connect(self._store)
        self.candidates.textChanged.connect(self._store)
        for combo in (self.kind, self.amends, self.ballot, self.press, self.majority, self.reveal):
            combo.currentIndexChanged.connect(lambda *_: self._store())
        self.duration.valueChanged.connect(lambda *_: self._store())
        self.form_box = QWidget()
        box = QVBoxLayout(self.form_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(self.form)
        box.addStretch(1)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(can_edit)
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addWidget(self.items, 1)
        left.addLayout(buttons)
        left.addWidget(set_role(QLabel(self.tr("修正案须排在它所修正的议程之前：先表决修正案，再表决全案。")), "hint"))
        left_box = QWidget()
        left_box.setLayout(left)
        for i in range(left.count()):
            item = left.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                widget.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.addWidget(left_box, 2)
        layout.addWidget(self.form_box, 3)
        self.form_box.setEnabled(False)
        self.refresh()

    def set_draft(self, draft: MeetingDraft) -> None:
        self.draft = draft
        self.refresh()

    def _fill_majorities(self) -> None:
        """The majorities this meeting's body may use, and the special two-thirds rule last."""
        keys = [*majorities_for(self.draft.quorum.body), "two_thirds_of_all"]
        if [self.majority.itemData(i) for i in range(self.majority.count())] == keys:
            return
        self.majority.blockSignals(True)
        self.majority.clear()
        for key in keys:
            self.majority.addItem(tr_label(MAJORITY_LABELS, key), key)
        self.majority.blockSignals(False)

    def _store_citation(self) -> None:
        if self._filling:
            return
        key = str(self.majority.currentData())
        text = self.citation.text().strip()
        preset = MAJORITY_PRESETS[key].citation if key in MAJORITY_PRESETS else ""
        if text and text != preset:
            self.draft.citations[key] = text
        else:
            self.draft.citations.pop(key, None)
        self.changed.emit()

    def _show_citation(self, key: str) -> None:
        preset = MAJORITY_PRESETS[key].citation if key in MAJORITY_PRESETS else ""
        self.citation.setText(self.draft.citations.get(key) or preset)

    def refresh(self, select: str | None = None) -> None:
        self._fill_majorities()
        current = select or self.current_id()
        self.items.blockSignals(True)
        self.items.clear()
        for n, item in enumerate(self.draft.agenda, start=1):
            entry = QListWidgetItem(f"{n}. {item.title}（{tr_label(KIND_LABELS, str(item.kind))}）")
            entry.setData(Qt.ItemDataRole.UserRole, item.item_id)
            self.items.addItem(entry)
            if item.item_id == current:
                self.items.setCurrentItem(entry)
        self.items.blockSignals(False)
        self._show_current()

    def current_id(self) -> str | None:
        entry = self.items.currentItem()
        return None if entry is None else str(entry.data(Qt.ItemDataRole.UserRole))

    def current_item(self) -> AgendaItem | None:
        item_id = self.current_id()
        return next((i for i in self.draft.agenda if i.item_id == item_id), None)

    def _show_current(self) -> None:
        item = self.current_item()
        self.form_box.setEnabled(item is not None and self.can_edit)
        if item is None:
            return
        self._filling = True
        try:
            self.title.setText(item.title)
            self.kind.setCurrentIndex(self.kind.findData(str(item.kind)))
            self.amends.clear()
            self.amends.addItem(self.tr("（无）"), None)
            for other in self.draft.agenda:
                if other.item_id != item.item_id:
                    self.amends.addItem(other.title, other.item_id)
            self.amends.setCurrentIndex(max(0, self.amends.findData(item.amends)) if item.amends else 0)
            self.candidates.setPlainText("\n".join(item.candidates))
            s = item.settings
            self.ballot.setCurrentIndex(self.ballot.findData(s.anonymous))
            self.press.setCurrentIndex(self.press.findData(str(s.press)))
            self.duration.setValue(int(s.duration_s or 0))
            key = self.draft.to_setup().majority_of(item)
            self.majority.setCurrentIndex(self.majority.findData(key))
            self.reveal.setCurrentIndex(self.reveal.findData(str(s.reveal)))
            self._show_kind(item.kind)
            self._show_citation(key)
        finally:
            self._filling = False

    def _show_kind(self, kind: ItemKind) -> None:
        for widget, visible in ((self.amends, kind is ItemKind.AMENDMENT),
                                (self.candidates, kind is ItemKind.APPOINTMENT)):
            widget.setVisible(visible)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(visible)

    def _store(self) -> None:
        """Write the form back into the draft's item."""
        if self._filling:
            return
        item = self.current_item()
        if item is None:
            return
        kind = ItemKind(self.kind.currentData())
        if kind is not item.kind:  # a new kind of item gets its body's majority for that kind
            self._filling = True
            self.majority.setCurrentIndex(max(0, self.majority.findData(
                default_majority(self.draft.quorum.body, str(kind)))))
            self._filling = False
        candidates = tuple(line.strip() for line in self.candidates.toPlainText().splitlines() if line.strip())
        duration = self.duration.value()
        settings = VoteSettings(
            anonymous=bool(self.ballot.currentData()),
            press=PressRule(self.press.currentData()),
            duration_s=float(duration) if duration else None,
            reveal=Reveal(self.reveal.currentData()),
            majority=str(self.majority.currentData()),
        )
        updated = replace(
            item,
            title=self.title.text().strip() or item.title,
            kind=kind,
            settings=settings,
            amends=self.amends.currentData() if kind is ItemKind.AMENDMENT else None,
            candidates=candidates if kind is ItemKind.APPOINTMENT else (),
        )
        if updated == item:
            return
        error = self.draft.put_item(updated)
        if error:
            self.message.emit(error, True)
            return
        self._show_kind(kind)
        self._show_citation(settings.majority)
        entry = self.items.currentItem()
        if entry is not None:
            entry.setText(f"{self.items.row(entry) + 1}. {updated.title}（{tr_label(KIND_LABELS, str(kind))}）")
        self.changed.emit()

    def add_item(self) -> None:
        item = AgendaItem(self.draft.new_item_id(), self.tr("新议程 %1").replace("%1", str(len(self.draft.agenda) + 1)),
                          settings=VoteSettings(majority=default_majority(self.draft.quorum.body, "bill")))
        self.draft.put_item(item)
        self.refresh(select=item.item_id)
        self.title.setFocus()
        self.title.selectAll()
        self.changed.emit()

    def remove_item(self) -> None:
        item_id = self.current_id()
        if item_id is None:
            return
        self.draft.remove_item(item_id)
        self.refresh()
        self.changed.emit()

    def move_current(self, delta: int) -> None:
        item_id = self.current_id()
        if item_id is None:
            return
        self.draft.move_item(item_id, delta)
        self.refresh(select=item_id)
        self.changed.emit()
