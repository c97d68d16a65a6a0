"""The filter panel: combos with names, months, payee and purpose text, amount range in the unit of the
table beside it (万元 beside the summary, 元 beside the single payments; stated under the fields); clear all."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from apps.common.qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)
from core.budget.query.options import FilterOptions
from core.budget.query.spec import Filters, SpecError
from core.money import MoneyUnit


class FilterPanel(QWidget):
    """Edits a :class:`Filters`; ``applied`` fires with the new filters when the user asks for them."""

    applied = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = self._combo(self.tr("全部账本"))
        self.functional = self._combo(self.tr("全部功能科目"))
        self.economic = self._combo(self.tr("全部经济科目"))
        self.department = self._combo(self.tr("全部部门"))
        self.funding = self._combo(self.tr("全部资金来源"))
        self.method = self._combo(self.tr("全部支付方式"))
        self.project = QLineEdit()
        self.project.setPlaceholderText(self.tr("项目编码"))
        self.indicator = QLineEdit()
        self.indicator.setPlaceholderText(self.tr("指标编号"))
        self.payee = QLineEdit()
        self.payee.setPlaceholderText(self.tr("收款人包含的文字"))
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText(self.tr("用途包含的文字"))
        self.month_from = QSpinBox()
        self.month_to = QSpinBox()
        for spin, first in ((self.month_from, 1), (self.month_to, 12)):
            spin.setRange(1, 12)
            spin.setValue(first)
            spin.setSuffix(self.tr(" 月"))
        self.amount_min = QLineEdit()
        self.amount_min.setPlaceholderText(self.tr("不限"))
        self.amount_max = QLineEdit()
        self.amount_max.setPlaceholderText(self.tr("不限"))
        for edit in (self.project, self.indicator, self.payee, self.purpose, self.amount_min, self.amount_max):
            edit.setClearButtonEnabled(True)
            edit.returnPressed.connect(self.apply)

        form = QFormLayout()
        form.addRow(self.tr("账本"), self.book)
        form.addRow(self.tr("功能科目"), self.functional)
        form.addRow(self.tr("经济科目"), self.economic)
        form.addRow(self.tr("部门"), self.department)
        form.addRow(self.tr("资金来源"), self.funding)
        form.addRow(self.tr("支付方式"), self.method)
        form.addRow(self.tr("项目"), self.project)
        form.addRow(self.tr("指标"), self.indicator)
        form.addRow(self.tr("收款人"), self.payee)
        form.addRow(self.tr("用途"), self.purpose)
        months = QHBoxLayout()
        months.addWidget(self.month_from)
        months.addWidget(QLabel(self.tr("至")))
        months.addWidget(self.month_to)
        form.addRow(self.tr("月份"), months)
        self.unit = MoneyUnit.WAN
        self.min_label = QLabel()
        self.max_label = QLabel()
        form.addRow(self.min_label, self.amount_min)
        form.addRow(self.max_label, self.amount_max)
        self.unit_note = QLabel()
        self.unit_note.setObjectName("filter_unit_note")
        self.unit_note.setWordWrap(True)
        self.unit_note.setStyleSheet("color: #555;")
        form.addRow(self.unit_note)
        self._say_unit()
        self.apply_button = QPushButton(self.tr("查询"))
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.clear_button = QPushButton(self.tr("清除全部条件"))
        self.clear_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.clear_button)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.error.hide()
        title = QLabel(self.tr("筛选条件"))
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addStretch(1)
        for combo in (self.book, self.functional, self.economic, self.department, self.funding, self.method):
            combo.activated.connect(lambda _i: self.apply())

    @staticmethod
    def _combo(everything: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, "")
        combo.setMinimumContentsLength(10)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return combo

    def set_options(self, options: FilterOptions) -> None:
        for combo, items in ((self.book, options.books), (self.functional, options.functional),
                             (self.economic, options.economic), (self.department, options.departments),
                             (self.funding, [(s, s) for s in options.funding_sources]),
                             (self.method, [(m, m) for m in options.methods])):
            keep = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value, label in items:
                combo.addItem(label, value)
            found = combo.findData(keep)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def filters(self) -> Filters:
        """The filters on screen; :class:`SpecError` (Chinese) when an entry cannot be read."""
        month_from = self.month_from.value()
        month_to = self.month_to.value()
        full_year = month_from == 1 and month_to == 12
        filters = Filters(
            book=str(self.book.currentData() or ""), functional=str(self.functional.currentData() or ""),
            economic=str(self.economic.currentData() or ""), department=str(self.department.currentData() or ""),
            funding_source=str(self.funding.currentData() or ""), method=str(self.method.currentData() or ""),
            project=self.project.text().strip(), indicator=self.indicator.text().strip(),
            payee=self.payee.text().strip(), purpose=self.purpose.text().strip(),
            month_from=None if full_year else month_from, month_to=None if full_year else month_to,
            amount_min_fen=self._fen(self.amount_min, self.tr("最小金额")),
            amount_max_fen=self._fen(self.amount_max, self.tr("最大金额")))
        filters.validate()
        return filters

    def set_unit(self, unit: MoneyUnit) -> None:
        """The amount fields follow the unit of the table beside them: 万元 beside the summary, 元 beside the
        single payments. Amounts already entered keep their value and are shown in the new unit."""
        if unit == self.unit:
            return
        try:
            values = [self._fen(edit, "") for edit in (self.amount_min, self.amount_max)]
        except SpecError:
            values = None  # an entry that is not an amount stays as typed; applying it says why
        self.unit = unit
        if values is not None:
            self.amount_min.setText(self._unit_text(values[0]))
            self.amount_max.setText(self._unit_text(values[1]))
        self._say_unit()

    def _say_unit(self) -> None:
        if self.unit == MoneyUnit.WAN:
            self.min_label.setText(self.tr("单笔金额不少于（万元）"))
            self.max_label.setText(self.tr("单笔金额不超过（万元）"))
            self.unit_note.setText(self.tr("金额单位：万元，与汇总表相同（例如 5 即五万元，0.05 即五百元）"))
        else:
            self.min_label.setText(self.tr("单笔金额不少于（元）"))
            self.max_label.setText(self.tr("单笔金额不超过（元）"))
            self.unit_note.setText(self.tr("金额单位：元，与支付明细相同"))

    def _unit_text(self, fen: int | None) -> str:
        if fen is None:
            return ""
        text = format(Decimal(fen) / (self.unit.yuan * 100), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text

    def _fen(self, edit: QLineEdit, label: str) -> int | None:
        text = edit.text().strip().replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            if self.unit == MoneyUnit.WAN:
                raise SpecError(self.tr("%1“%2”不是金额，请填写以万元为单位的数字，例如 5 或 12.5")
                                .replace("%1", label).replace("%2", edit.text())) from None
            raise SpecError(self.tr("%1“%2”不是金额，请填写以元为单位的数字，例如 50000 或 12345.67")
                            .replace("%1", label).replace("%2", edit.text())) from None
        fen_per_unit = self.unit.yuan * 100
        places = Decimal(1) / fen_per_unit  # to the fen
        if not value.is_finite() or value < 0 or value != value.quantize(places):
            if self.unit == MoneyUnit.WAN:
                raise SpecError(self.tr("%1必须是不小于 0 的万元数，最多六位小数（精确到分）").replace("%1", label))
            raise SpecError(self.tr("%1必须是不小于 0、最多两位小数的金额").replace("%1", label))
        return int(value * fen_per_unit)

    def set_filters(self, filters: Filters) -> None:
        for combo, value in ((self.book, filters.book), (self.functional, filters.functional),
                             (self.economic, filters.economic), (self.department, filters.department),
                             (self.funding, filters.funding_source), (self.method, filters.method)):
            found = combo.findData(value)
            if found < 0 and value:
                combo.addItem(value, value)
                found = combo.count() - 1
            combo.setCurrentIndex(max(found, 0))
        self.project.setText(filters.project)
        self.indicator.setText(filters.indicator)
        self.payee.setText(filters.payee)
        self.purpose.setText(filters.purpose)
        self.month_from.setValue(filters.month_from or 1)
        self.month_to.setValue(filters.month_to or 12)
        self.amount_min.setText(self._unit_text(filters.amount_min_fen))
        self.amount_max.setText(self._unit_text(filters.amount_max_fen))
        self.error.hide()

    def apply(self) -> None:
        """Read the panel; a bad entry shows a Chinese message and changes nothing."""
        try:
            filters = self.filters()
        except SpecError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        self.applied.emit(filters)

    def clear(self) -> None:
        self.set_filters(Filters())
        self.applied.emit(Filters())

