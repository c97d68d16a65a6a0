"""接口与交换: the appointments system link and the office-system document exchange on the desk.

- **人事任免系统接口**: the link's state in this computer's database (address, adapter, cursor, the last pull and
  its result — what ``renda cadre link status`` prints) and 拉取, which runs ``core.cadre.appointments_link_pull.pull``
  in a background task with a progress dialog and 取消. The token comes from the environment variable
  :data:`TOKEN_ENV`, or the clerk types it for this pull only (it is never stored). The result, or the Chinese
  refusal naming the file, row and column, is shown on the page. The people imported go to the local store and
  sync with the next run.
- **办公系统公文交换**: 导入公文包… (a .zip, or a folder's ``manifest.json``) through
  ``core.cadre.office_exchange.import_package``, and 导出公文包… (documents since a day into a folder) through
  ``export_packages``; the files go to and come from the local attachment store.

The same functions as ``renda cadre link`` and ``renda cadre exchange``. Only roles that may insert people
(``cad_person``) see 拉取, only roles that may record documents sent (``cad_dispatch``) see import and export;
the others see the state and a note. The dialogs are attributes (``choose_package``, ``choose_folder``) so tests
pass paths instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from apps.common.qt import (
    QCheckBox,
    QDate,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tasks import BackgroundTask, Progress, TaskContext
from apps.common.theme import set_role
from core.cadre.appointments_link import AppointmentsLinkError, Limits, LinkConfig, adapter_for
from core.cadre.appointments_link_pull import LinkState, PullResult, load_state, pull
from core.cadre.office_exchange import PRODUCER, ExchangeRefused, export_packages, import_package
from core.cadre.record import writable
from core.sync.client import LocalStore
from core.sync.permissions import INSERT

TOKEN_ENV = "RENDA_APPOINTMENTS_TOKEN"
"""The environment variable the desk reads the appointments system's token from (as ``--token-env``)."""


def beijing_time(stamp: str) -> str:
    """An ISO time of the state row as ``YYYY-MM-DD HH:MM`` in Beijing time (the text itself if unreadable)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment.astimezone(UTC) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")


def _ok_style(label: QLabel, ok: bool) -> None:
    label.setStyleSheet("color: #1e7a3c;" if ok else "color: #b00020;")


class InterfacesPage(QWidget):
    """The 接口与交换 tab."""

    changed = Signal()
    """People or documents were imported (the register and the person's page reload)."""

    def __init__(self, store: LocalStore, permissions: frozenset[str] | set[str], actor: str = "desk",
                 parent: QWidget | None = None, *, today: Callable[[], date] = date.today,
                 environ: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadreInterfaces")
        self.store = store
        self.actor = actor
        self.today = today
        self.environ = os.environ if environ is None else environ
        self.may_pull = writable("cad_person", permissions, INSERT)
        self.may_exchange = writable("cad_dispatch", permissions, INSERT)
        self.task: BackgroundTask[PullResult] | None = None
        self.progress: QProgressDialog | None = None
        self.choose_package: Callable[[], Path | None] = self._ask_package
        self.choose_folder: Callable[[], Path | None] = self._ask_folder

        # ---------------------------------------------------------------- the appointments link
        link_box = QGroupBox(self.tr("人事任免系统接口（拉取即将离退休人员）"))
        self.state_labels: dict[str, QLabel] = {}
        facts = QFormLayout()
        for key, text in (("url", self.tr("接口地址：")), ("adapter", self.tr("接口类型：")),
                          ("cursor", self.tr("接收位置：")), ("last", self.tr("上次拉取：")),
                          ("files", self.tr("累计导入文件：")), ("message", self.tr("说明："))):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.state_labels[key] = value
            facts.addRow(QLabel(text), value)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://rsrm.example.gov.cn/renda/")
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("留空则用环境变量 {name}").format(name=TOKEN_ENV))
        self.from_start = QCheckBox(self.tr("从头拉取（系统更换地址后使用；已导入的人员不会重复）"))
        self.pull_button = set_role(QPushButton(self.tr("拉取")), "primary")
        pull_form = QFormLayout()
        pull_form.addRow(QLabel(self.tr("拉取地址：")), self.url_edit)
        pull_form.addRow(QLabel(self.tr("接口口令：")), self.token_edit)
        token_note = set_role(QLabel(self.tr("口令只用于这一次拉取，不会保存。")), "hint")
        pull_form.addRow(QLabel(""), token_note)
        pull_row = QHBoxLayout()
        pull_row.addWidget(self.from_start)
        pull_row.addStretch(1)
        pull_row.addWidget(self.pull_button)
        self.pull_controls = QWidget()
        controls = QVBoxLayout(self.pull_controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addLayout(pull_form)
        controls.addLayout(pull_row)
        self.pull_controls.setVisible(self.may_pull)
        self.link_message = QLabel()
        self.link_message.setObjectName("linkMessage")
        self.link_message.setWordWrap(True)
        self.link_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        link_layout = QVBoxLayout(link_box)
        link_layout.addLayout(facts)
        link_layout.addWidget(self.pull_controls)
        link_layout.addWidget(self.link_message)

        # ---------------------------------------------------------------- the office exchange
        exchange_box = QGroupBox(self.tr("办公系统公文交换"))
        self.import_button = QPushButton(self.tr("导入公文包…"))
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        first = self.today().replace(day=1)
        self.since.setDate(QDate(first.year, first.month, first.day))
        self.export_button = QPushButton(self.tr("导出公文包…"))
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addSpacing(24)
        row.addWidget(QLabel(self.tr("导出此日起的公文：")))
        row.addWidget(self.since)
        row.addWidget(self.export_button)
        row.addStretch(1)
        self.exchange_controls = QWidget()
        self.exchange_controls.setLayout(row)
        self.exchange_controls.setVisible(self.may_exchange)
        exchange_note = set_role(QLabel(self.tr(
            "导入：选择办公系统发来的 .zip 交换包，或交换包文件夹中的 manifest.json；有任何问题整包不导入。"
            "导出：本处发布的通知公告和送阅公文，每份公文一个 .zip。")), "hint")
        exchange_note.setWordWrap(True)
        exchange_note.setVisible(self.may_exchange)
        self.exchange_message = QLabel()
        self.exchange_message.setObjectName("exchangeMessage")
        self.exchange_message.setWordWrap(True)
        self.exchange_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        exchange_layout = QVBoxLayout(exchange_box)
        exchange_layout.addWidget(self.exchange_controls)
        exchange_layout.addWidget(exchange_note)
        exchange_layout.addWidget(self.exchange_message)

        self.role_note = set_role(QLabel(self.tr("您的角色可以查看接口状态，不能拉取、导入或导出。")), "hint")
        self.role_note.setVisible(not (self.may_pull or self.may_exchange))
        layout = QVBoxLayout(self)
        layout.addWidget(link_box)
        layout.addWidget(exchange_box)
        layout.addWidget(self.role_note)
        layout.addStretch(1)
        self.pull_button.clicked.connect(self.start_pull)
        self.import_button.clicked.connect(self._import_clicked)
        self.export_button.clicked.connect(self._export_clicked)
        self.reload()

    def title(self) -> str:
        return self.tr("接口与交换")

    # ------------------------------------------------------------------------------ the link's state
    def state(self) -> LinkState:
        with self.store.session() as s:
            return load_state(s)

    def reload(self, *_: object) -> None:
        state = self.state()
        never = not state.last_pull
        self.state_labels["url"].setText(state.url or self.tr("（还没有拉取过）"))
        self.state_labels["adapter"].setText(state.adapter or "—")
        self.state_labels["cursor"].setText(state.cursor or self.tr("（从头开始）"))
        if never:
            self.state_labels["last"].setText(self.tr("还没有从人事任免系统拉取过"))
            self.state_labels["last"].setStyleSheet("")
        else:
            result = self.tr("成功") if state.last_ok else self.tr("失败")
            self.state_labels["last"].setText(self.tr("{when}（北京时间），结果：{result}").format(
                when=beijing_time(state.last_pull), result=result))
            _ok_style(self.state_labels["last"], bool(state.last_ok))
        self.state_labels["files"].setText(self.tr("{n} 个").format(n=state.files_imported))
        self.state_labels["message"].setText(state.last_message or "—")
        if not self.url_edit.text().strip():
            self.url_edit.setText(state.url)

    # ------------------------------------------------------------------------------ pulling
    def token(self) -> str | None:
        typed = self.token_edit.text().strip()
        return typed or self.environ.get(TOKEN_ENV, "").strip() or None

    def start_pull(self) -> BackgroundTask[PullResult] | None:
        """Start a pull in the background (None when not allowed, no address or one is running)."""
        if not self.may_pull or (self.task is not None and self.task.is_running):
            return None
        url = self.url_edit.text().strip()
        if not url:
            self._say_link(self.tr("请填写人事任免系统的接口地址（https://…）。"), False)
            return None
        state = self.state()
        adapter_name = state.adapter or "http"
        token, from_start, today = self.token(), self.from_start.isChecked(), self.today()
        self.token_edit.clear()  # for this pull only
        factory = self.store.factory

        def run(context: TaskContext) -> PullResult:
            adapter = adapter_for(adapter_name, LinkConfig(url, token), Limits())
            return pull(factory, adapter, today=today, from_start=from_start, cancel=context.cancel,
                        progress=context.progress)

        dialog = QProgressDialog(self.tr("正在连接人事任免系统…"), self.tr("取消"), 0, 0, self)
        dialog.setObjectName("pullProgress")
        dialog.setWindowTitle(self.tr("拉取即将离退休人员"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(520)
        self.progress = dialog
        task: BackgroundTask[PullResult] = BackgroundTask(run, owner=self, name="cadre-appointments-pull")
        dialog.canceled.connect(task.cancel)
        task.on_progress(self._pull_progress).on_success(self._pulled).on_failure(self._pull_failed) \
            .on_cancelled(self._pull_cancelled).on_finished(self._pull_finished)
        self.pull_button.setEnabled(False)
        self._say_link(self.tr("正在拉取…"), True)
        self.task = task.start()
        dialog.show()
        return task

    def cancel_pull(self) -> None:
        if self.task is not None and self.task.is_running:
            self.task.cancel()

    def _pull_progress(self, progress: Progress) -> None:
        dialog = self.progress
        if dialog is None:
            return
        stage = self.tr("正在下载") if progress.stage == "正在下载" else self.tr("正在导入")
        total = progress.total or 0
        dialog.setMaximum(total)
        dialog.setLabelText(self.tr("{stage}：第 {n} 个文件，共 {total} 个").format(
            stage=stage, n=min(progress.done + 1, total), total=total))
        # last: a modal progress dialog's setValue runs the event loop, where the pull may finish and close it
        dialog.setValue(min(progress.done, total))

    def _pulled(self, result: PullResult) -> None:
        self._say_link(result.summary(), True)
        if result.files:
            self.changed.emit()

    def _pull_failed(self, error: BaseException) -> None:
        if isinstance(error, AppointmentsLinkError):
            self._say_link(self.tr("没有拉取成功：{why}").format(why=error), False)
        else:
            self._say_link(self.tr("拉取意外中断（{kind}：{why}）。已导入的文件和接收位置一致，可以稍后重新拉取；"
                                   "如反复出现请联系信息中心。").format(kind=type(error).__name__, why=error), False)
        self.changed.emit()  # files before a refused one stay imported

    def _pull_cancelled(self, _error: BaseException) -> None:
        self._say_link(self.tr("已取消拉取。此前已导入的文件保留，接收位置停在最后导入的文件之后。"), False)
        self.changed.emit()

    def _pull_finished(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.pull_button.setEnabled(True)
        self.reload()

    def _say_link(self, text: str, ok: bool) -> None:
        self.link_message.setText(text)
        _ok_style(self.link_message, ok)

    # ------------------------------------------------------------------------------ the office exchange
    def _ask_package(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择公文交换包"), "",
            self.tr("公文交换包（*.zip manifest.json）"))
        return Path(chosen) if chosen else None

    def _ask_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择导出位置（文件夹）"))
        return Path(chosen) if chosen else None

    def _import_clicked(self) -> None:
        path = self.choose_package()
        if path is not None:
            self.import_package(path)

    def _export_clicked(self) -> None:
        folder = self.choose_folder()
        if folder is not None:
            self.export_packages(folder)

    def import_package(self, path: Path) -> bool:
        """Import a package (.zip, a folder, or a folder's manifest.json); the result or refusal on the page."""
        if not self.may_exchange:
            return False
        if path.name.lower() == "manifest.json":
            path = path.parent
        try:
            with self.store.session() as s, s.begin():
                result = import_package(s, path, blobs=self.store.blobs, today=self.today(), actor=self.actor)
        except ExchangeRefused as refusal:
            self._say_exchange(str(refusal), False)
            return False
        except Exception as exc:  # the last guard: the clerk sees a sentence, never a traceback
            self._say_exchange(self.tr("公文交换意外中断（{kind}：{why}），未做任何改动。如反复出现请联系信息中心。")
                               .format(kind=type(exc).__name__, why=exc), False)
            return False
        text = result.summary()
        if result.people:
            shown = "、".join(result.people[:20]) + ("……" if len(result.people) > 20 else "")
            text += "\n" + self.tr("送阅：{names}").format(names=shown)
        self._say_exchange(text, True)
        if result.added:
            self.changed.emit()
        return True

    def export_packages(self, folder: Path, since: date | None = None) -> int | None:
        """Export the documents since the chosen day into ``folder``; the number of packages (None: refused)."""
        if not self.may_exchange:
            return None
        day = since or self.since.date().toPython()
        assert isinstance(day, date)
        try:
            with self.store.session() as s, s.begin():
                result = export_packages(s, since=day, out=folder, blobs=self.store.blobs, producer=PRODUCER,
                                         actor=self.actor)
        except ExchangeRefused as refusal:
            self._say_exchange(str(refusal), False)
            return None
        except Exception as exc:
            self._say_exchange(self.tr("公文交换意外中断（{kind}：{why}），未做任何改动。如反复出现请联系信息中心。")
                               .format(kind=type(exc).__name__, why=exc), False)
            return None
        if result.packages:
            self._say_exchange(self.tr("已导出 {n} 个公文交换包到“{folder}”。").format(
                n=len(result.packages), folder=folder), True)
        else:
            self._say_exchange(self.tr("{day} 以来没有可导出的公文，没有写入文件。").format(day=day.isoformat()), True)
        return len(result.packages)

    def _say_exchange(self, text: str, ok: bool) -> None:
        self.exchange_message.setText(text)
        _ok_style(self.exchange_message, ok)
