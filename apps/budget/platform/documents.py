"""Documents and archives (公文管理 / 档案管理): search by words, kind, year and linked item; read a document
and the items it is tied to; staff tie a document to a book, class, department, project or indicator."""

from __future__ import annotations

from apps.budget.common.context import BudgetContext
from apps.budget.platform.widgets import PlatformPage, fill, hint, make_table, name_of, row_data, section
from apps.common.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_PLAN
from core.budget.platform import documents as service
from core.budget.platform.documents import DOCUMENT_KINDS, LINK_KINDS, DocumentView


class DocumentsPage(PlatformPage):
    """Search results on the left, the document and its links on the right."""

    open_item = Signal(str, str)

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.may_link = ctx.can(P_BUDGET_PLAN)
        self.rows: list[DocumentView] = []
        bar = QHBoxLayout()
        self.words = QLineEdit()
        self.words.setObjectName("doc_search")
        self.words.setPlaceholderText(self.tr("标题、文号或正文中的词，多个词用空格分开"))
        self.words.returnPressed.connect(self.refresh)
        self.kind = QComboBox()
        self.kind.setObjectName("doc_kind")
        self.kind.addItem(self.tr("全部类型"), "")
        for k in DOCUMENT_KINDS:
            self.kind.addItem(k, k)
        self.year = QComboBox()
        self.year.setObjectName("doc_year")
        self.year.addItem(self.tr("全部年度"), 0)
        for y in range(ctx.year + 1, ctx.year - 6, -1):
            self.year.addItem(str(y), y)
        self.target_kind = QComboBox()
        self.target_kind.setObjectName("doc_target_kind")
        self.target_kind.addItem(self.tr("任意关联"), "")
        for k in LINK_KINDS:
            self.target_kind.addItem(name_of(k), k)
        self.target_code = QLineEdit()
        self.target_code.setObjectName("doc_target_code")
        self.target_code.setPlaceholderText(self.tr("关联对象编码"))
        self.search_button = QPushButton(self.tr("查找"))
        self.search_button.setObjectName("doc_find")
        set_role(self.search_button, "primary")
        self.search_button.clicked.connect(self.refresh)
        bar.addWidget(self.words, 3)
        for w in (self.kind, self.year, self.target_kind):
            bar.addWidget(w)
        bar.addWidget(self.target_code, 1)
        bar.addWidget(self.search_button)
        self.outer.addLayout(bar)
        split = QSplitter()
        self.table = make_table([self.tr("标题"), self.tr("文号"), self.tr("类型"), self.tr("年度")], "doc_table", 0)
        self.table.currentCellChanged.connect(lambda *_: self._show())
        split.addWidget(self.table)
        right = QWidget()
        box = QVBoxLayout(right)
        self.doc_title = section("")
        self.doc_title.setWordWrap(True)
        box.addWidget(self.doc_title)
        self.body = QPlainTextEdit()
        self.body.setObjectName("doc_body")
        self.body.setReadOnly(True)
        box.addWidget(self.body, 2)
        box.addWidget(section(self.tr("关联的预算对象")))
        self.links = make_table([self.tr("类型"), self.tr("编码"), self.tr("年度")], "doc_links", 1)
        self.links.cellDoubleClicked.connect(self._open)
        box.addWidget(self.links, 1)
        link_bar = QHBoxLayout()
        self.link_kind = QComboBox()
        self.link_kind.setObjectName("link_kind")
        for k in LINK_KINDS:
            self.link_kind.addItem(name_of(k), k)
        self.link_code = QLineEdit()
        self.link_code.setObjectName("link_code")
        self.link_code.setPlaceholderText(self.tr("对象编码，例如部门编码或项目编码"))
        self.link_button = QPushButton(self.tr("关联到此对象"))
        self.link_button.setObjectName("link_button")
        self.link_button.clicked.connect(self.link)
        link_bar.addWidget(QLabel(self.tr("关联")))
        link_bar.addWidget(self.link_kind)
        link_bar.addWidget(self.link_code, 1)
        link_bar.addWidget(self.link_button)
        self.link_panel = QWidget()
        self.link_panel.setLayout(link_bar)
        self.link_panel.setVisible(self.may_link)
        box.addWidget(self.link_panel)
        split.addWidget(right)
        split.setSizes([820, 600])
        self.outer.addWidget(split, 1)
        self.empty = hint("")
        self.outer.addWidget(self.empty)
        self.refresh()

    def title(self) -> str:
        return self.tr("文档与档案")

    def refresh(self) -> None:
        words, kind, year = self.words.text(), self.kind.currentData() or "", self.year.currentData() or None
        tkind, tcode = self.target_kind.currentData() or "", self.target_code.text().strip()
        self.run(lambda: service.search(self.ctx.engine, words, kind=kind, year=year, target_kind=tkind,
                                        target_code=tcode), self._fill)

    def _fill(self, rows: list[DocumentView]) -> None:
        keep = self.current()
        self.rows = rows
        words = self.words.text().split()
        fill(self.table, [[d.title, d.doc_no, d.kind, d.year or ""] for d in rows], [d.id for d in rows])
        for r, d in enumerate(rows):
            item = self.table.item(r, 0)
            if item is not None:
                item.setToolTip(d.snippet(words))
        ids = [d.id for d in rows]
        if rows:
            self.table.selectRow(ids.index(keep.id) if keep and keep.id in ids else 0)
        self.empty.setText("" if rows else self.tr("没有找到文档。换几个词，或清除类型、年度和关联条件再找。"))
        self.empty.setVisible(not rows)
        self._show()
        self.loaded.emit()

    def current(self) -> DocumentView | None:
        row = self.table.currentRow()
        did = row_data(self.table, row) if row >= 0 else None
        return next((d for d in self.rows if d.id == did), None)

    def _show(self) -> None:
        d = self.current()
        self.doc_title.setText(f"{d.title}  {d.doc_no}" if d else self.tr("选择一份文档查看内容"))
        self.body.setPlainText(d.body if d else "")
        links = list(d.links) if d else []
        fill(self.links, [[name_of(x.target_kind), x.target_code, x.year or ""] for x in links], links)
        self.link_button.setEnabled(self.may_link and d is not None)

    def _open(self, row: int, _column: int) -> None:
        link = row_data(self.links, row)
        if link is not None:
            self.open_item.emit(link.target_kind, link.target_code)

    def link(self) -> None:
        d = self.current()
        if d is None:
            return
        kind, code, year = self.link_kind.currentData(), self.link_code.text(), d.year or self.ctx.year
        self.write(lambda s: service.link(s, self.ctx, d.id, kind, code, year).id, lambda _r: self._linked(),
                   self.tr("已关联。"))

    def _linked(self) -> None:
        self.link_code.clear()
        self.refresh()
