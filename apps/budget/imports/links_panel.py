"""The bureau links: each bureau's state (address, on/off, last pull, result, next) and “pull now”.

A pull runs in the background with progress and a cancel button; cancelling, a broken link or a file with
bad rows changes nothing and leaves the bureau's cursor where it was (see ``core.budget.links.pull``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from apps.budget.common.context import BudgetContext
from apps.budget.imports.names import bureau_name
from apps.budget.imports.problems import ProblemsTable
from apps.budget.imports.progress import TaskStrip
from apps.budget.imports.target import write_hooks
from apps.common.qt import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import TaskContext
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_DATA
from core.budget.links import (
    ADAPTERS,
    LinkError,
    LinkSettings,
    LinkStore,
    PullResult,
    load_token,
    pull,
    store_token,
)
from core.budget.links.adapters import Limits


def _local(iso: str) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


class BureauLinksPanel(QWidget):
    """委办局数据接口."""

    pulled = Signal(object)
    """A :class:`PullResult` after every finished pull."""

    def __init__(self, ctx: BudgetContext, store: LinkStore, parent: QWidget | None = None,
                 limits: Limits | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = store
        self.limits = limits
        self.names = list(ADAPTERS)
        self.table = QTableWidget(len(self.names), 5)
        self.table.setHorizontalHeaderLabels([self.tr("报送单位"), self.tr("状态"), self.tr("上次拉取"),
                                              self.tr("结果"), self.tr("下次拉取")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.pull_button = set_role(QPushButton(self.tr("立即拉取")), "primary")
        self.pull_button.clicked.connect(self.pull_selected)
        self.pull_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.strip = TaskStrip()
        self.strip.busy_changed.connect(lambda _busy: self._update_buttons())
        self.message = QLabel(self.tr("选择一个报送单位，可查看和修改接口设置，或立即拉取新数据。"))
        self.message.setWordWrap(True)
        set_role(self.message, "notice")
        self.problems = ProblemsTable()
        self.problems.setVisible(False)

        self.url = QLineEdit()
        self.url.setPlaceholderText("https://")
        self.enabled = QCheckBox(self.tr("启用（按设定的间隔自动拉取）"))
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("不修改请留空；口令保存在系统钥匙串中"))
        self.cert = QLineEdit()
        self.cert.setPlaceholderText(self.tr("使用客户端证书时填写（PEM 文件）"))
        cert_browse = QPushButton(self.tr("选择…"))
        cert_browse.clicked.connect(self._browse_cert)
        cert_row = QHBoxLayout()
        cert_row.addWidget(self.cert, 1)
        cert_row.addWidget(cert_browse)
        self.save_button = QPushButton(self.tr("保存设置"))
        self.save_button.clicked.connect(self.save_settings)
        settings_box = QGroupBox(self.tr("接口设置"))
        form = QFormLayout(settings_box)
        form.addRow(self.tr("接口地址"), self.url)
        form.addRow("", self.enabled)
        form.addRow(self.tr("接口口令"), self.token)
        form.addRow(self.tr("客户端证书"), cert_row)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        form.addRow("", save_row)

        actions = QHBoxLayout()
        actions.addWidget(self.pull_button)
        actions.addWidget(self.strip, 1)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        hint = set_role(QLabel(self.tr(
            "各委办局通过加密接口提供数据文件。拉取时逐个下载、核对校验值、原样存档，再整批导入；"
            "任何一个文件有问题，本次拉取都不导入，下次从原处重新拉取。")), "hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)
        layout.addWidget(settings_box)
        self.refresh()
        self._fit_table()
        self.table.selectRow(0)
        if not ctx.can(P_BUDGET_DATA):
            settings_box.setEnabled(False)
        self._update_buttons()

    def title(self) -> str:
        return self.tr("委办局接口")

    def current(self) -> str:
        row = self.table.currentRow()
        return self.names[row] if 0 <= row < len(self.names) else self.names[0]

    def select(self, bureau: str) -> None:
        self.table.selectRow(self.names.index(bureau))

    def refresh(self) -> None:
        """Re-read every bureau's settings into the table."""
        try:
            everything = self.store.load_all()
        except LinkError as exc:
            self._say(str(exc), "error")
            everything = {}
        for row, name in enumerate(self.names):
            s = everything.get(name) or LinkSettings(name)
            nxt = s.next_pull()
            if s.last_ok is None:
                result = self.tr("尚未拉取") if s.enabled or s.url else self.tr("未设置")
            elif s.last_ok:
                result = self.tr("成功")
            else:
                result = self.tr("失败：") + s.last_message.split("：", 1)[-1][:60]
            cells = [bureau_name(name), self.tr("已启用") if s.enabled else self.tr("未启用"), _local(s.last_pull),
                     result, nxt.astimezone().strftime("%Y-%m-%d %H:%M") if nxt else "—"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3 and s.last_ok is False:
                    item.setForeground(Qt.GlobalColor.darkRed)
                if col == 3:
                    item.setToolTip(s.last_message)
                self.table.setItem(row, col, item)

    def _fit_table(self) -> None:
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(height + 2)

    def _selected(self) -> None:
        s = self.store.get(self.current())
        if not self.strip.busy:
            self.problems.setVisible(False)
            if s.last_message:
                self._say(s.last_message, "notice" if s.last_ok else "error")
            else:
                self._say(self.tr("%1：尚无拉取记录。填写接口地址并保存后，可点“立即拉取”。")
                          .replace("%1", bureau_name(s.bureau)), "notice")
        self.url.setText(s.url)
        self.enabled.setChecked(s.enabled)
        self.cert.setText(s.cert_file)
        self.token.clear()
        self.token.setPlaceholderText(self.tr("已保存口令；不修改请留空") if load_token(s.bureau)
                                      else self.tr("不修改请留空；口令保存在系统钥匙串中"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        s = self.store.get(self.current())
        allowed = self.ctx.can(P_BUDGET_DATA)
        self.pull_button.setEnabled(allowed and bool(s.url) and not self.strip.busy)
        self.save_button.setEnabled(allowed and not self.strip.busy)

    def _browse_cert(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择客户端证书"), "", self.tr("证书 (*.pem *.crt)"))
        if name:
            self.cert.setText(name)

    def save_settings(self) -> None:
        bureau = self.current()
        url = self.url.text().strip()
        if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            self._say(self.tr("接口地址必须以 https:// 开头（加密传输）。设置没有保存。"), "error")
            return
        cert = self.cert.text().strip()
        if cert and not Path(cert).is_file():
            self._say(self.tr("找不到证书文件“%1”。设置没有保存。").replace("%1", cert), "error")
            return
        token = self.token.text().strip()
        if token:
            try:
                store_token(bureau, token)
            except LinkError as exc:
                self._say(str(exc), "error")
                return
        self.store.update(bureau, url=url, enabled=self.enabled.isChecked(), cert_file=cert)
        self.token.clear()
        self.refresh()
        self._say(self.tr("已保存%1的接口设置。").replace("%1", bureau_name(bureau)), "notice")
        self._update_buttons()

    def pull_selected(self) -> None:
        """Pull the selected bureau now, in the background."""
        bureau = self.current()
        if self.strip.busy or not self.ctx.can(P_BUDGET_DATA):
            return
        store, engine, hooks, actor, limits = self.store, self.ctx.engine, write_hooks(self.ctx), self.ctx.user_id, \
            self.limits

        def work(task: TaskContext) -> PullResult:
            return pull(bureau, store, engine, hooks=hooks, actor=actor, limits=limits,
                        progress=lambda done, total, stage: task.progress(stage, done, total), cancel=task.cancel)

        self.problems.setVisible(False)
        self._say(self.tr("正在从%1拉取……").replace("%1", bureau_name(bureau)), "notice")
        self.strip.run(work, on_success=self._show_result, on_failure=lambda e: self._say(str(e), "error"),
                       on_cancelled=lambda _e: self._say(self.tr("已取消，没有写入任何数据。"), "notice"),
                       first_stage=self.tr("正在获取文件清单"))
        self._update_buttons()

    def _show_result(self, result: PullResult) -> None:
        self.refresh()
        self._say(result.message, "notice" if result.ok else "error")
        failed = [f.result for f in result.files if f.status == "failed" and f.result is not None]
        if failed:
            self.problems.show_problems(failed[0].problems)
            self.problems.setVisible(True)
        self.pulled.emit(result)

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_role(self.message, role)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
