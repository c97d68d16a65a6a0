"""District exchange (纵向贯通): export a year's or some months' data as a package; import a district's package.

An exported package is signed with this workstation's key; an imported package must carry a valid signature of
a producer on the trusted list (:mod:`core.budget.package_signing`), and is then checked as a whole (complete,
unchanged, departments known) and written all or nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from nacl.signing import SigningKey

from apps.budget.common.context import BudgetContext
from apps.budget.imports.problems import ProblemsTable
from apps.budget.imports.progress import TaskStrip
from apps.budget.imports.target import write_hooks
from apps.common.qt import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import TaskContext
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_DATA
from core.budget.exchange import ExchangeError, PackageImport, PackageManifest, export_package, import_package
from core.budget.links import LinkError
from core.budget.package_signing import (
    SignatureError,
    TrustedProducers,
    sign_package,
    unsigned_copy,
    verify_package,
)
from core.sync.keys import KeyStoreError, encode_public_key, fingerprint, load_device_key


def workstation_key(ctx: BudgetContext) -> SigningKey:
    """This workstation's signing key (OS keyring), the one its sync bundles are signed with."""
    device = ctx.client.store.device_id if ctx.client is not None else f"budget-exchange-{ctx.user_id}"
    return load_device_key(device)


class ExchangePanel(QWidget):
    """区人大数据包."""

    finished = Signal(object)
    """The :class:`PackageManifest` of an export or the :class:`PackageImport` of an import."""

    def __init__(self, ctx: BudgetContext, trust: TrustedProducers, parent: QWidget | None = None,
                 signing_key: Callable[[BudgetContext], SigningKey] = workstation_key) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.trust = trust
        self._signing_key = signing_key
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.year)
        self.first = QSpinBox()
        self.first.setRange(1, 12)
        self.last = QSpinBox()
        self.last.setRange(1, 12)
        self.last.setValue(12)
        for spin in (self.first, self.last):
            spin.setMinimumWidth(80)
        months = QHBoxLayout()
        months.addWidget(self.first)
        months.addWidget(QLabel(self.tr("月 至")))
        months.addWidget(self.last)
        months.addWidget(QLabel(self.tr("月")))
        months.addStretch(1)
        self.producer = QLineEdit(self.tr("上海市人大常委会预算工作委员会"))
        self.export_button = set_role(QPushButton(self.tr("导出数据包…")), "primary")
        self.export_button.clicked.connect(self._ask_export)
        out_box = QGroupBox(self.tr("导出数据包（报送或下发）"))
        out_form = QFormLayout(out_box)
        out_form.addRow(self.tr("预算年度"), self.year)
        out_form.addRow(self.tr("月份"), months)
        out_form.addRow(self.tr("报送单位"), self.producer)
        out_form.addRow("", self.export_button)

        self.register = QCheckBox(self.tr("同时登记数据包中本系统没有的部门"))
        self.import_button = set_role(QPushButton(self.tr("导入数据包…")), "primary")
        self.import_button.clicked.connect(self._ask_import)
        in_box = QGroupBox(self.tr("导入区人大报送的数据包"))
        in_layout = QVBoxLayout(in_box)
        hint = set_role(QLabel(self.tr(
            "只接受受信任单位签名的数据包。数据包整包检查：签名无效、缺文件、文件被改动或损坏、行数不符、部门未登记，都会整包拒收；"
            "检查通过后整包一次导入，有一处问题就整包不导入。")), "hint")
        hint.setWordWrap(True)
        in_layout.addWidget(hint)
        in_layout.addWidget(self.register)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        in_layout.addLayout(row)
        in_layout.addStretch(1)

        self.strip = TaskStrip()
        self.strip.busy_changed.connect(lambda busy: self._set_busy(busy))
        self.message = QLabel(self.tr("可以把本系统一个年度（或若干月份）的数据导出为数据包，也可以导入区人大报送的数据包。"))
        self.message.setWordWrap(True)
        set_role(self.message, "notice")
        self.problems = ProblemsTable()
        self.problems.setVisible(False)
        trust_box = QGroupBox(self.tr("签名与受信任单位"))
        trust_layout = QVBoxLayout(trust_box)
        self.own_key = QLabel()
        self.own_key.setWordWrap(True)
        self.copy_key_button = QPushButton(self.tr("复制本机公钥"))
        self.copy_key_button.clicked.connect(self._copy_own_key)
        self.trusted = QListWidget()
        self.trusted.setMaximumHeight(110)
        self.add_trust_button = QPushButton(self.tr("登记对方公钥…"))
        self.add_trust_button.clicked.connect(self._ask_trust)
        self.remove_trust_button = QPushButton(self.tr("移除所选单位"))
        self.remove_trust_button.clicked.connect(self._remove_trust)
        trust_layout.addWidget(self.own_key)
        trust_layout.addWidget(QLabel(self.tr("只导入以下单位签名的数据包（登记前请与对方电话核对指纹）：")))
        trust_layout.addWidget(self.trusted)
        trust_buttons = QHBoxLayout()
        for button in (self.copy_key_button, self.add_trust_button, self.remove_trust_button):
            trust_buttons.addWidget(button)
        trust_buttons.addStretch(1)
        trust_layout.addLayout(trust_buttons)

        boxes = QHBoxLayout()
        boxes.addWidget(out_box, 1)
        boxes.addWidget(in_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(boxes)
        layout.addWidget(trust_box)
        layout.addWidget(self.strip)
        layout.addWidget(self.message)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)
        self._set_busy(False)
        self._show_trust()

    def title(self) -> str:
        return self.tr("区人大数据包")

    def _set_busy(self, busy: bool) -> None:
        allowed = self.ctx.can(P_BUDGET_DATA)
        self.export_button.setEnabled(allowed and not busy)
        self.import_button.setEnabled(allowed and not busy)
        self.add_trust_button.setEnabled(allowed and not busy)
        self.remove_trust_button.setEnabled(allowed and not busy)

    # ------------------------------------------------------------------ keys and trust
    def own_public_key(self) -> str:
        return encode_public_key(self._signing_key(self.ctx))

    def _show_trust(self) -> None:
        try:
            key = self.own_public_key()
            self.own_key.setText(self.tr("本机签名公钥指纹：%1（导出的数据包用它签名；对方登记时请核对）")
                                 .replace("%1", fingerprint(key)))
            self.copy_key_button.setEnabled(True)
        except KeyStoreError as exc:
            self.own_key.setText(self.tr("本机没有可用的签名密钥：%1").replace("%1", str(exc)))
            self.copy_key_button.setEnabled(False)
        self.trusted.clear()
        try:
            entries = self.trust.entries()
        except SignatureError as exc:
            self._say(str(exc), "error")
            entries = []
        for entry in entries:
            item = QListWidgetItem(f"{entry.get('name', '')}　{entry.get('fingerprint', '')}")
            item.setData(256, entry.get("fingerprint", ""))
            self.trusted.addItem(item)

    def _copy_own_key(self) -> None:
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.own_public_key())
        self._say(self.tr("本机公钥已复制，可发给对方登记。"), "notice")

    def _ask_trust(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("登记对方公钥"), self.tr("对方单位名称："))
        if not ok or not name.strip():
            return
        key, ok = QInputDialog.getText(self, self.tr("登记对方公钥"), self.tr("对方的公钥（44 个字符）："))
        if ok:
            self.trust_producer(name, key)

    def trust_producer(self, name: str, public_key: str) -> bool:
        try:
            entry = self.trust.add(name, public_key)
        except SignatureError as exc:
            self._say(str(exc), "error")
            return False
        self._show_trust()
        self._say(self.tr("已登记“%1”，公钥指纹 %2。").replace("%1", entry["name"]).replace("%2", entry["fingerprint"]),
                  "notice")
        return True

    def _remove_trust(self) -> None:
        item = self.trusted.currentItem()
        if item is not None and self.trust.remove(str(item.data(256))):
            self._show_trust()

    def _ask_export(self) -> None:
        suggested = f"预算数据包-{self.year.value()}.zip"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("导出数据包"), suggested, self.tr("数据包 (*.zip)"))
        if name:
            self.export_to(Path(name))

    def _ask_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择数据包"), "", self.tr("数据包 (*.zip)"))
        if name:
            self.import_from(Path(name))

    def export_to(self, out: Path) -> None:
        first, last = self.first.value(), self.last.value()
        if first > last:
            self._say(self.tr("起始月份不能晚于结束月份。没有导出。"), "error")
            return
        engine, year, producer = self.ctx.engine, self.year.value(), self.producer.text().strip()
        if not producer:
            self._say(self.tr("请填写报送单位。没有导出。"), "error")
            return
        try:
            key = self._signing_key(self.ctx)
        except KeyStoreError as exc:
            self._say(self.tr("本机没有可用的签名密钥，不能导出：%1").replace("%1", str(exc)), "error")
            return

        def work(task: TaskContext) -> PackageManifest:
            manifest = export_package(engine, year, out, producer=producer, months=(first, last),
                                      progress=lambda d, t, s: task.progress(s, d, t), cancel=task.cancel)
            try:
                sign_package(out, key, producer)
            except BaseException:
                out.unlink(missing_ok=True)  # an unsigned package is never left behind
                raise
            return manifest

        self.problems.setVisible(False)
        self.strip.run(work, on_success=lambda m: self._exported(m, out), on_failure=self._failed,
                       on_cancelled=lambda _e: self._say(self.tr("已取消，没有生成数据包。"), "notice"),
                       first_stage=self.tr("正在导出"))

    def _exported(self, manifest: PackageManifest, out: Path) -> None:
        rows = sum(f.rows for f in manifest.files)
        if not manifest.files:
            self._say(self.tr("%1 没有数据，已导出一个空数据包：%2").replace("%1", manifest.period)
                      .replace("%2", str(out)), "notice")
        else:
            self._say(self.tr("已导出%1数据包：%2 个文件，共 %3 行。文件：%4").replace("%1", manifest.period)
                      .replace("%2", str(len(manifest.files))).replace("%3", f"{rows:,}").replace("%4", str(out)),
                      "notice")
        self.finished.emit(manifest)

    def import_from(self, path: Path) -> None:
        engine, hooks, actor, register = self.ctx.engine, write_hooks(self.ctx), self.ctx.user_id, \
            self.register.isChecked()

        trust = self.trust

        def work(task: TaskContext) -> PackageImport:
            verify_package(path, trust)
            with tempfile.TemporaryDirectory(prefix="renda-package-") as tmp:
                plain = unsigned_copy(path, Path(tmp) / path.name)
                return import_package(engine, plain, hooks=hooks, actor=actor, register_departments=register,
                                      progress=lambda d, t, s: task.progress(s, d, t), cancel=task.cancel)

        self.problems.setVisible(False)
        self._say(self.tr("正在检查数据包“%1”……").replace("%1", path.name), "notice")
        self.strip.run(work, on_success=self._imported, on_failure=self._failed,
                       on_cancelled=lambda _e: self._say(self.tr("已取消，没有写入任何数据。"), "notice"),
                       first_stage=self.tr("正在检查数据包"))

    def _imported(self, done: PackageImport) -> None:
        text = done.summary()
        if done.registered_departments:
            text += self.tr("同时登记了 %1 个部门。").replace("%1", str(len(done.registered_departments)))
        self._say(text, "notice")
        self.finished.emit(done)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, SignatureError):
            self._say(str(error), "error")
        elif isinstance(error, LinkError):
            self._say(str(error), "error")
            bad = [r for r in getattr(error, "results", []) if not r.ok]
            if isinstance(error, ExchangeError) and bad:
                self.problems.show_problems(bad[0].problems)
                self.problems.setVisible(True)
        else:
            self._say(self.tr("出错了：%1").replace("%1", str(error)), "error")

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_role(self.message, role)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
