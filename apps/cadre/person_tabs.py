"""The sub-tabs of a person's page: a list of a person's rows (interests, life story, family, hospital stays,
categories, awards) with 新增 / 修改 / 删除 for roles whose permissions may write the table, and the
administrator-defined fields (其他登记) with their values.

A tab of the sensitive part (family, hospital stays) shows a note instead of its list for a role without
``cadre.sensitive``: the sync server never sends those rows to such a role's computer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from apps.cadre.person_edit import RowDialog, field_text, shown
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from apps.common.tables import fit, tidy
from apps.common.theme import set_role
from core.auth.roles import P_CADRE_SENSITIVE
from core.cadre import record
from core.cadre.models import CadFieldDef
from core.sync.permissions import DELETE, INSERT, UPDATE

if TYPE_CHECKING:
    from apps.cadre.person_page import PersonPage

Column = tuple[str, str, Callable[[Any], str]]
"""(key, header, how a row shows in this column)."""


def _t(text: str) -> str:
    """A table title, column header or cell text of these tabs in the current language."""
    return QCoreApplication.translate("CadreTables", text)


def _attr(key: str) -> Callable[[Any], str]:
    return lambda row: shown(getattr(row, key))


def _choice(key: str) -> Callable[[Any], str]:
    """A column of fixed choices, stored in Chinese, shown in the current language."""
    return lambda row: field_text(shown(getattr(row, key)))


def _period(row: Any) -> str:
    if row.end_on is None:
        return QCoreApplication.translate("CadreTables", "{start} 至今").format(start=row.start_on.isoformat())
    return QCoreApplication.translate("CadreTables", "{start} 至 {end}").format(
        start=row.start_on.isoformat(), end=row.end_on.isoformat())


TABLE_TITLES: dict[str, str] = {
    "cad_interest": QT_TRANSLATE_NOOP("CadreTables", "兴趣特长"),
    "cad_life_event": QT_TRANSLATE_NOOP("CadreTables", "生平"),
    "cad_family": QT_TRANSLATE_NOOP("CadreTables", "家庭成员"),
    "cad_hospital_stay": QT_TRANSLATE_NOOP("CadreTables", "住院记录"),
    "cad_person_category": QT_TRANSLATE_NOOP("CadreTables", "人员类别"),
    "cad_award": QT_TRANSLATE_NOOP("CadreTables", "获奖"),
}
SENSITIVE_TABLES = ("cad_family", "cad_hospital_stay")


def columns(table: str, categories: dict[str, str]) -> list[Column]:
    if table == "cad_interest":
        return [("kind", QT_TRANSLATE_NOOP("CadreTables", "类别"), _choice("kind")),
                ("name", QT_TRANSLATE_NOOP("CadreTables", "名称"), _attr("name")),
                ("note", QT_TRANSLATE_NOOP("CadreTables", "说明"), _attr("note"))]
    if table == "cad_life_event":
        return [("period", QT_TRANSLATE_NOOP("CadreTables", "起止时间"), _period),
                ("unit", QT_TRANSLATE_NOOP("CadreTables", "单位"), _attr("unit")),
                ("post", QT_TRANSLATE_NOOP("CadreTables", "职务"), _attr("post")),
                ("text", QT_TRANSLATE_NOOP("CadreTables", "经历"), _attr("text"))]
    if table == "cad_family":
        return [("emergency_contact", QT_TRANSLATE_NOOP("CadreTables", "紧急联系人"),
                 lambda r: QCoreApplication.translate("CadreTables", "★ 紧急联系人") if r.emergency_contact else ""),
                ("relation", QT_TRANSLATE_NOOP("CadreTables", "关系"), _choice("relation")),
                ("name", QT_TRANSLATE_NOOP("CadreTables", "姓名"), _attr("name")),
                ("gender", QT_TRANSLATE_NOOP("CadreTables", "性别"), _choice("gender")),
                ("birth_year", QT_TRANSLATE_NOOP("CadreTables", "出生年份"), _attr("birth_year")),
                ("work_unit", QT_TRANSLATE_NOOP("CadreTables", "工作单位"), _attr("work_unit")),
                ("phone", QT_TRANSLATE_NOOP("CadreTables", "电话"), _attr("phone")),
                ("address", QT_TRANSLATE_NOOP("CadreTables", "住址"), _attr("address")),
                ("note", QT_TRANSLATE_NOOP("CadreTables", "备注"), _attr("note"))]
    if table == "cad_hospital_stay":
        return [("hospital", QT_TRANSLATE_NOOP("CadreTables", "医院"), _attr("hospital")),
                ("ward", QT_TRANSLATE_NOOP("CadreTables", "病区"), _attr("ward")),
                ("admitted_on", QT_TRANSLATE_NOOP("CadreTables", "入院日期"), _attr("admitted_on")),
                ("discharged_on", QT_TRANSLATE_NOOP("CadreTables", "出院日期"),
                 lambda r: shown(r.discharged_on) or QCoreApplication.translate("CadreTables", "仍在住院")),
                ("diagnosis", QT_TRANSLATE_NOOP("CadreTables", "诊断"), _attr("diagnosis")),
                ("note", QT_TRANSLATE_NOOP("CadreTables", "备注"), _attr("note"))]
    if table == "cad_person_category":
        return [("category_code", QT_TRANSLATE_NOOP("CadreTables", "类别代码"), _attr("category_code")),
                ("name", QT_TRANSLATE_NOOP("CadreTables", "类别名称"), lambda r: categories.get(r.category_code, r.category_code))]
    if table == "cad_award":
        return [("awarded_on", QT_TRANSLATE_NOOP("CadreTables", "获奖日期"), _attr("awarded_on")),
                ("title", QT_TRANSLATE_NOOP("CadreTables", "奖项名称"), _attr("title")),
                ("level", QT_TRANSLATE_NOOP("CadreTables", "级别"), _attr("level")),
                ("issuer", QT_TRANSLATE_NOOP("CadreTables", "授予单位"), _attr("issuer")),
                ("document_no", QT_TRANSLATE_NOOP("CadreTables", "文号"), _attr("document_no")),
                ("note", QT_TRANSLATE_NOOP("CadreTables", "备注"), _attr("note"))]
    raise KeyError(table)


def confirm_remove(parent: QWidget, what: str) -> bool:
    answer = QMessageBox.question(parent, QCoreApplication.translate("CadreTables", "删除"),
                                  QCoreApplication.translate("CadreTables", "删除所选的这一条{what}？删除后会同步到其他电脑。")
                                  .format(what=what))
    return answer == QMessageBox.StandardButton.Yes


class RowsTab(QWidget):
    """One of a person's sub-tables as a list, with 新增 / 修改 / 删除 when the role may write it."""

    def __init__(self, page: PersonPage, table: str) -> None:
        super().__init__()
        self.page = page
        self.table_name = table
        self.setObjectName(f"tab_{table}")
        permissions = page.permissions
        self.hidden_for_role = table in SENSITIVE_TABLES and P_CADRE_SENSITIVE not in permissions
        self.may_add = record.writable(table, permissions, INSERT) and not self.hidden_for_role
        self.may_edit = record.writable(table, permissions, UPDATE) and not self.hidden_for_role
        self.may_remove = record.writable(table, permissions, DELETE) and not self.hidden_for_role
        self.rows: list[Any] = []
        self.categories: dict[str, str] = {}
        self.note = set_role(QLabel(), "notice")
        self.note.setObjectName("sensitiveNote")
        self.note.setWordWrap(True)
        self.note.setText(self.tr("{what}属于老干部的敏感信息，只有具备敏感信息权限（cadre.sensitive）的老干部工作人员"
                                  "才能查看和维护；同步服务器不会把这些记录发到您的电脑上。").format(
            what=_t(TABLE_TITLES[table])))
        self.note.setVisible(self.hidden_for_role)
        self.empty = set_role(QLabel(), "hint")
        self.empty.setObjectName("emptyLabel")
        self.view = QTableWidget(0, 0)
        self.view.setObjectName(f"rows_{table}")
        self.view.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)
        self.view.setVisible(not self.hidden_for_role)
        headers = [header for _k, header, _f in columns(table, {})]
        self.view.setColumnCount(len(headers))
        self.view.setHorizontalHeaderLabels([_t(h) for h in headers])
        tidy(self.view, stretch=len(headers) - 1, wrap=True)
        self.add_button = QPushButton(self.tr("新增"))
        self.add_button.setObjectName(f"add_{table}")
        self.edit_button = QPushButton(self.tr("修改"))
        self.edit_button.setObjectName(f"edit_{table}")
        self.remove_button = QPushButton(self.tr("删除"))
        self.remove_button.setObjectName(f"remove_{table}")
        self.add_button.setVisible(self.may_add)
        self.edit_button.setVisible(self.may_edit)
        self.remove_button.setVisible(self.may_remove)
        self.message = set_role(QLabel(), "error")
        self.message.setWordWrap(True)
        self.message.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.empty, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        if self.hidden_for_role:
            layout.addStretch(1)
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(lambda: self.open_dialog(self.current()))
        self.remove_button.clicked.connect(self._confirm_remove)
        self.view.doubleClicked.connect(lambda _i: self.open_dialog(self.current()) if self.may_edit else None)

    def title(self) -> str:
        return _t(TABLE_TITLES[self.table_name])

    def reload(self, session: Session, person_id: str) -> None:
        if self.hidden_for_role:
            self.rows = []
            self.empty.clear()
            return
        if self.table_name == "cad_person_category":
            self.categories = dict(record.category_codes(session))
        self.rows = record.person_rows(session, self.table_name, person_id)
        cols = columns(self.table_name, self.categories)
        self.view.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            for c, (_key, _header, show) in enumerate(cols):
                self.view.setItem(n, c, QTableWidgetItem(show(row)))
        fit(self.view)
        self.empty.setText(self.tr("共 {n} 条").format(n=len(self.rows)) if self.rows else self.tr("还没有登记"))
        self.edit_button.setEnabled(bool(self.rows))
        self.remove_button.setEnabled(bool(self.rows))
        if self.rows:
            self.view.selectRow(0)

    def current(self) -> Any | None:
        row = self.view.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def dialog(self, row: Any | None) -> RowDialog:
        """The add (``row`` None) or edit form of this tab, not yet shown."""
        fields = list(record.FORMS[self.table_name])
        labels: dict[str, dict[str, str]] = {}
        if self.table_name == "cad_person_category":
            with self.page.session_factory() as session:
                cats = record.category_codes(session)
            fields = [record.Field("category_code", "人员类别", "choice", True, tuple(c for c, _ in cats))]
            labels["category_code"] = {c: f"{name}（{c}）" for c, name in cats}
        values = {f.key: getattr(row, f.key) for f in fields} if row is not None else {}
        if row is None and self.table_name == "cad_interest":
            values["kind"] = "兴趣"
        verb = self.tr("修改") if row is not None else self.tr("新增")
        row_id = row.id if row is not None else None
        title = self.tr("{verb}{what}——{name}").format(verb=verb, what=self.title(), name=self.page.person_name)
        return RowDialog(title, fields, values, lambda v: self.page.write_row(self.table_name, row_id, v),
                         labels=labels, parent=self)

    def open_dialog(self, row: Any | None) -> None:
        if (row is None and not self.may_add) or (row is not None and not self.may_edit):
            return
        self.page.run_dialog(self.dialog(row))

    def _confirm_remove(self) -> None:
        row = self.current()
        if row is not None and confirm_remove(self, self.title()):
            self.remove(row)

    def remove(self, row: Any | None) -> None:
        if row is None or not self.may_remove:
            return
        self.page.remove_row(self.table_name, row.id)


class FieldsTab(QWidget):
    """其他登记: the fields an administrator defined (``cad_field_def``) and this person's values."""

    def __init__(self, page: PersonPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("tab_cad_field_value")
        self.sees_sensitive = P_CADRE_SENSITIVE in page.permissions
        self.may_edit = record.writable("cad_field_value", page.permissions, UPDATE)
        self.definitions: list[CadFieldDef] = []
        self.values: dict[str, str] = {}
        self.view = QTableWidget(0, 3)
        self.view.setObjectName("rows_cad_field_value")
        self.view.setHorizontalHeaderLabels([self.tr("登记项目"), self.tr("内容"), self.tr("说明")])
        self.view.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        tidy(self.view, stretch=1)
        self.empty = set_role(QLabel(), "hint")
        self.empty.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("修改所选项目"))
        self.edit_button.setObjectName("edit_cad_field_value")
        self.edit_button.setVisible(self.may_edit)
        bar = QHBoxLayout()
        bar.addWidget(self.empty, 1)
        bar.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.edit_button.clicked.connect(lambda: self.open_dialog(self.view.currentRow()))
        self.view.doubleClicked.connect(lambda i: self.open_dialog(i.row()))

    def title(self) -> str:
        return self.tr("其他登记")

    def reload(self, session: Session, person_id: str) -> None:
        self.definitions = record.field_definitions(session)
        self.values = record.field_values(session, person_id)
        self.view.setRowCount(len(self.definitions))
        for n, d in enumerate(self.definitions):
            hidden = d.sensitive and not self.sees_sensitive
            value = self.tr("敏感信息，您的角色无权查看") if hidden else self.values.get(d.key, "")
            notes = [self.tr("必填") if d.required else "", self.tr("敏感") if d.sensitive else ""]
            for c, text in enumerate((d.label, value, "、".join(t for t in notes if t))):
                self.view.setItem(n, c, QTableWidgetItem(text))
        fit(self.view)
        self.empty.setText(self.tr("系统管理员定义的登记项目 {n} 项").format(n=len(self.definitions))
                           if self.definitions else self.tr("系统管理员还没有定义其他登记项目"))
        self.edit_button.setEnabled(bool(self.definitions))
        if self.definitions:
            self.view.selectRow(0)

    def dialog(self, index: int) -> RowDialog | None:
        if not self.may_edit or not 0 <= index < len(self.definitions):
            return None
        definition = self.definitions[index]
        if definition.sensitive and not self.sees_sensitive:
            return None
        form = record.field_form(definition)
        title = self.tr("其他登记——{name}").format(name=self.page.person_name)
        return RowDialog(title, [form], {form.key: self.values.get(definition.key, "")},
                         lambda v: self.page.write_field(definition, str(v.get(definition.key) or "")), parent=self)

    def open_dialog(self, index: int) -> None:
        dialog = self.dialog(index)
        if dialog is not None:
            self.page.run_dialog(dialog)

