"""The expert registry (专家库) and the deputy registry (代表库), filtered by field of expertise.

Staff with ``budget.plan`` add and edit experts; everyone else reads. Phone and ID numbers show masked to
roles without the right to see them.
"""

from __future__ import annotations

from apps.budget.common.context import BudgetContext
from apps.budget.platform.widgets import PlatformPage, fill, hint, make_table, row_data
from apps.common.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_PLAN
from core.budget.platform import experts as service
from core.budget.platform.experts import DeputyView, ExpertInput, ExpertView


class RegistriesPage(PlatformPage):
    """Two tabs: experts (editable by staff) and deputies, with a field-of-expertise filter and a search box."""

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.may_edit = ctx.can(P_BUDGET_PLAN)
        self.expert_rows: list[ExpertView] = []
        self.editing = ""
        self.field = QComboBox()
        self.field.setObjectName("field_filter")
        self.field.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.field.addItem(self.tr("全部领域"), "")
        self.field.currentIndexChanged.connect(self.refresh)
        self.search = QLineEdit()
        self.search.setObjectName("registry_search")
        self.search.setPlaceholderText(self.tr("姓名、单位或代表团"))
        self.search.setMinimumWidth(300)
        self.search.returnPressed.connect(self.refresh)
        self.top_bar.addWidget(QLabel(self.tr("专业领域")))
        self.top_bar.addWidget(self.field)
        self.top_bar.addWidget(self.search)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("registry_tabs")
        self.outer.addWidget(self.tabs, 1)

        experts = QWidget()
        box = QVBoxLayout(experts)
        self.experts = make_table([self.tr("姓名"), self.tr("工作单位"), self.tr("职称"), self.tr("专业领域"),
                                   self.tr("电话")], "expert_table", 3)
        self.experts.currentCellChanged.connect(lambda *_: self._edit_current())
        box.addWidget(self.experts, 1)
        self.expert_empty = hint(self.tr("专家库中还没有专家。"))
        box.addWidget(self.expert_empty)
        self.form = QWidget()
        form = QFormLayout(self.form)
        self.name = QLineEdit()
        self.name.setObjectName("expert_name")
        self.organisation = QLineEdit()
        self.organisation.setObjectName("expert_organisation")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("expert_title")
        self.fields = QLineEdit()
        self.fields.setObjectName("expert_fields")
        self.fields.setPlaceholderText(self.tr("用顿号分隔，例如：财政、教育、审计"))
        self.phone = QLineEdit()
        self.phone.setObjectName("expert_phone")
        self.active = QCheckBox(self.tr("在库（可分派任务）"))
        self.active.setChecked(True)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("工作单位"), self.organisation)
        form.addRow(self.tr("职称"), self.title_edit)
        form.addRow(self.tr("专业领域"), self.fields)
        form.addRow(self.tr("电话"), self.phone)
        form.addRow("", self.active)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("清空，录入新专家"))
        self.new_button.setObjectName("expert_new")
        self.new_button.clicked.connect(self.clear_form)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("expert_save")
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self.form.setVisible(self.may_edit)
        box.addWidget(self.form)
        self.tabs.addTab(experts, self.tr("专家库"))

        deputies = QWidget()
        dbox = QVBoxLayout(deputies)
        self.deputies = make_table([self.tr("姓名"), self.tr("代表团"), self.tr("工作单位"), self.tr("专业领域"),
                                    self.tr("电话")], "deputy_table", 3)
        dbox.addWidget(self.deputies, 1)
        self.deputy_empty = hint(self.tr("代表库中还没有代表，或没有符合条件的代表。"))
        dbox.addWidget(self.deputy_empty)
        self.tabs.addTab(deputies, self.tr("代表库"))
        self.refresh()

    def title(self) -> str:
        return self.tr("专家库与代表库")

    def refresh(self) -> None:
        field, text, ctx = self.field.currentData() or "", self.search.text(), self.ctx
        self.run(lambda: (service.list_experts(ctx.engine, ctx, field, text, include_inactive=self.may_edit),
                          service.list_deputies(ctx.engine, ctx, field, text), service.known_fields(ctx.engine)),
                 self._fill)

    def _fill(self, data: tuple[list[ExpertView], list[DeputyView], list[str]]) -> None:
        experts, deputies, fields = data
        self.expert_rows = experts
        current = self.field.currentData() or ""
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItem(self.tr("全部领域"), "")
        for f in fields:
            self.field.addItem(f, f)
        self.field.setCurrentIndex(max(0, self.field.findData(current)))
        self.field.blockSignals(False)
        fill(self.experts, [[e.name + ("" if e.active else self.tr("（停用）")), e.organisation, e.title,
                             "、".join(e.fields), e.phone] for e in experts], [e.id for e in experts])
        fill(self.deputies, [[d.name, d.delegation, d.organisation, "、".join(d.expertise), d.phone]
                             for d in deputies])
        self.expert_empty.setVisible(not experts)
        self.deputy_empty.setVisible(not deputies)
        self.loaded.emit()

    def _edit_current(self) -> None:
        row = self.experts.currentRow()
        eid = row_data(self.experts, row) if row >= 0 else None
        e = next((x for x in self.expert_rows if x.id == eid), None)
        if e is None:
            return
        self.editing = e.id
        self.name.setText(e.name)
        self.organisation.setText(e.organisation)
        self.title_edit.setText(e.title)
        self.fields.setText("、".join(e.fields))
        self.phone.setText(e.phone)
        self.active.setChecked(e.active)
        self.save_button.setText(self.tr("保存修改"))

    def clear_form(self) -> None:
        self.editing = ""
        self.experts.clearSelection()
        for w in (self.name, self.organisation, self.title_edit, self.fields, self.phone):
            w.clear()
        self.active.setChecked(True)
        self.save_button.setText(self.tr("保存"))
        self.name.setFocus()

    def save(self) -> None:
        data = ExpertInput(self.name.text(), self.organisation.text(), self.title_edit.text(), self.fields.text(),
                           self.phone.text(), active=self.active.isChecked())
        editing = self.editing
        if editing:
            self.write(lambda s: service.update_expert(s, self.ctx, editing, data).id, lambda _r: self.refresh(),
                       self.tr("专家信息已保存。"))
        else:
            self.write(lambda s: service.add_expert(s, self.ctx, data).id, lambda _r: self._added(),
                       self.tr("已加入专家库。"))

    def _added(self) -> None:
        self.clear_form()
        self.refresh()
