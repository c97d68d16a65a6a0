"""报表: the daily or monthly machine-room report (``core.monitoring.report``) — availability per device, alarm
counts and durations, temperature and humidity compliance, the period's alarms — shown in tables, and as PDF
in print preview or exported to a file. The figures and the PDF are made in a background task."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from apps.common.printing import PdfPrintJob, preview_dialog
from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QDate,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.tables import fit, tidy
from apps.common.tasks import BackgroundTask
from apps.machine_room.data import MonitorData, ReportRefused, RoomReport
from core.monitoring.queries import LOCAL_TZ

TABLES = (  # key, tab, headers, numeric columns, the column taking the spare width
    ("availability", QT_TRANSLATE_NOOP("ReportPage", "设备可用率"),
     (QT_TRANSLATE_NOOP("ReportPage", "设备"), QT_TRANSLATE_NOOP("ReportPage", "通信中断时长"),
      QT_TRANSLATE_NOOP("ReportPage", "可用率")), (1, 2), 0),
    ("alarms", QT_TRANSLATE_NOOP("ReportPage", "告警统计"),
     (QT_TRANSLATE_NOOP("ReportPage", "告警类型"), QT_TRANSLATE_NOOP("ReportPage", "级别"),
      QT_TRANSLATE_NOOP("ReportPage", "条数"), QT_TRANSLATE_NOOP("ReportPage", "累计时长"),
      QT_TRANSLATE_NOOP("ReportPage", "最长一次")), (2, 3, 4), 0),
    ("climate", QT_TRANSLATE_NOOP("ReportPage", "温湿度达标"),
     (QT_TRANSLATE_NOOP("ReportPage", "设备"), QT_TRANSLATE_NOOP("ReportPage", "测点"),
      QT_TRANSLATE_NOOP("ReportPage", "要求范围"), QT_TRANSLATE_NOOP("ReportPage", "最低"),
      QT_TRANSLATE_NOOP("ReportPage", "平均"), QT_TRANSLATE_NOOP("ReportPage", "最高"),
      QT_TRANSLATE_NOOP("ReportPage", "达标率")), (3, 4, 5, 6), 1),
    ("list", QT_TRANSLATE_NOOP("ReportPage", "告警明细"),
     (QT_TRANSLATE_NOOP("ReportPage", "发生时间"), QT_TRANSLATE_NOOP("ReportPage", "设备"),
      QT_TRANSLATE_NOOP("ReportPage", "告警内容"), QT_TRANSLATE_NOOP("ReportPage", "级别"),
      QT_TRANSLATE_NOOP("ReportPage", "持续时间"), QT_TRANSLATE_NOOP("ReportPage", "确认人"),
      QT_TRANSLATE_NOOP("ReportPage", "确认说明")), (), 6),
)


MESSAGE_STYLE = "font-size: 13pt; color: {colour}; padding: 4px;"
REFUSED, DONE = "#b71c1c", "#1b5e20"


def _today() -> date:
    return datetime.now(LOCAL_TZ).date()


class ReportPage(QWidget):
    """Pick the room, day or month and the date; 统计 fills the tables; 打印预览 and 导出 PDF make the PDF."""

    loaded = Signal(object)  # RoomReport
    refused = Signal(str)
    exported = Signal(object)  # Path

    def __init__(self, data: MonitorData, today: Callable[[], date] = _today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MachineRoomReport")
        self._data = data
        self.report: RoomReport | None = None
        self.preview: Any = None
        self._task: BackgroundTask[Any] | None = None
        self.room = QComboBox()
        for room in data.rooms():
            name = data.room_name(room)
            self.room.addItem(f"{name}（{room}）" if name else room, room)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("日报"), "day")
        self.kind.addItem(self.tr("月报"), "month")
        day = today()
        self.date = QDateEdit(QDate(day.year, day.month, day.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.show_button = QPushButton(self.tr("统计"))
        self.preview_button = QPushButton(self.tr("打印预览…"))
        self.export_button = QPushButton(self.tr("导出 PDF…"))
        bar = QHBoxLayout()
        widget: QWidget
        for widget in (QLabel(self.tr("机房")), self.room, QLabel(self.tr("报表")), self.kind, QLabel(self.tr("日期")),
                       self.date, self.show_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.preview_button)
        bar.addWidget(self.export_button)
        self.heading = QLabel()
        self.heading.setObjectName("reportHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold; padding: 4px;")
        self.summary = QLabel()
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 13pt; padding: 4px;")
        self.message = QLabel()
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(MESSAGE_STYLE.format(colour=REFUSED))
        self.message.hide()
        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        for key, tab, headers, _numeric, stretch in TABLES:
            table = QTableWidget(0, len(headers))
            table.setHorizontalHeaderLabels([self.tr(h) for h in headers])
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            table.setStyleSheet("font-size: 14pt;")
            tidy(table, stretch=stretch)
            self.tables[key] = table
            self.tabs.addTab(table, self.tr(tab))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.show_button.clicked.connect(self.reload)
        self.preview_button.clicked.connect(self.preview_report)
        self.export_button.clicked.connect(self._ask_export)
        self._set_enabled(False)

    # -- choosing the period ----------------------------------------------------------------------------
    def _kind_changed(self, *_: object) -> None:
        self.date.setDisplayFormat("yyyy-MM-dd" if self.kind.currentData() == "day" else "yyyy-MM")

    def period(self) -> dict[str, Any]:
        """``{"day": date}`` or ``{"month": (year, month)}`` as chosen."""
        chosen = self.date.date()
        if self.kind.currentData() == "day":
            return {"day": date(chosen.year(), chosen.month(), chosen.day())}
        return {"month": (chosen.year(), chosen.month())}

    def choose(self, room: str, *, day: date | None = None, month: tuple[int, int] | None = None) -> None:
        """Set the room and the period as a user would (for the screenshots and tests)."""
        index = self.room.findData(room)
        if index < 0:
            self.room.addItem(room, room)
            index = self.room.count() - 1
        self.room.setCurrentIndex(index)
        self.kind.setCurrentIndex(0 if day is not None else 1)
        when = day or date(*(month or (2000, 1)), 1)
        self.date.setDate(QDate(when.year, when.month, when.day))

    # -- figures ----------------------------------------------------------------------------------------
    def _set_enabled(self, ready: bool) -> None:
        self.preview_button.setEnabled(ready)
        self.export_button.setEnabled(ready)

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None], name: str) -> None:
        self.show_button.setEnabled(False)
        self._set_enabled(False)
        task: BackgroundTask[Any] = BackgroundTask(lambda _ctx: fn(), owner=self, name=name)
        task.on_success(done)
        task.on_failure(self._failed)
        task.on_finished(self._finished)
        self._task = task.start()

    def _finished(self) -> None:
        self.show_button.setEnabled(True)
        self._set_enabled(self.report is not None)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ReportRefused):
            text = str(error)
        elif isinstance(error, OSError):
            text = self.tr("无法写入文件：{error}").format(error=error)
        else:
            text = self.tr("报表未能生成：{error}").format(error=error)
        self.message.setStyleSheet(MESSAGE_STYLE.format(colour=REFUSED))
        self.message.setText(text)
        self.message.show()
        self.refused.emit(text)

    def reload(self, *_: object) -> None:
        """Compute the chosen period's figures in the background, then fill the tables."""
        room, period = str(self.room.currentData() or ""), self.period()
        self.message.clear()
        self.message.hide()
        self.report = None
        self._run(lambda: self._data.report(room, **period), self._show, "machine-room-report")

    def _show(self, report: RoomReport) -> None:
        self.report = report
        self.heading.setText(self.tr("{title}（{room}）").format(title=report.title, room=report.room_label))
        critical = sum(t.count for (_k, severity), t in report.figures.alarms.items() if severity == "critical")
        self.summary.setText(self.tr(
            "统计时段 {period}。设备平均可用率 {availability}；告警 {alarms} 条，其中严重 {critical} 条；"
            "温湿度达标率 {climate}（GB 50174-2017 附录A）。").format(
            period=report.period_text, availability=_percent(report.overall_availability), alarms=report.alarm_total,
            critical=critical, climate=_percent(report.climate_rate)))
        self._fill("availability", report.availability_rows())
        self._fill("alarms", report.alarm_rows())
        self._fill("climate", report.climate_rows())
        self._fill("list", report.alarm_list_rows())
        self.tabs.setTabText(3, self.tr("告警明细（{n} 条）").format(n=len(report.alarms)))
        self.loaded.emit(report)

    def _fill(self, key: str, rows: Sequence[tuple[str, ...]]) -> None:
        numeric = next(t[3] for t in TABLES if t[0] == key)
        table = self.tables[key]
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c in numeric:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
        fit(table)

    # -- the PDF ----------------------------------------------------------------------------------------
    def preview_report(self) -> None:
        report = self.report
        if report is None:
            return
        self._run(lambda: self._data.report_pdf(report), lambda pdf: self._open_preview(pdf, report.title),
                  "machine-room-report-pdf")

    def _open_preview(self, pdf: bytes, title: str) -> None:
        self.preview = preview_dialog(PdfPrintJob(pdf, title), self)
        self.preview.open()

    def export_to(self, path: Path) -> None:
        """Write the shown report's PDF to ``path`` in the background; :attr:`exported` tells when it is done."""
        report = self.report
        if report is None:
            return

        def work() -> Path:
            pdf = self._data.report_pdf(report)
            path.write_bytes(pdf)
            return path

        self._run(work, self._exported, "machine-room-report-export")

    def _exported(self, path: Path) -> None:
        self.message.setStyleSheet(MESSAGE_STYLE.format(colour=DONE))
        self.message.setText(self.tr("已导出：{path}").format(path=path))
        self.message.show()
        self.exported.emit(path)

    def _ask_export(self) -> None:
        if self.report is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("导出 PDF"), f"{self.report.title}（{self.report.room_label}）.pdf",
                                              "PDF (*.pdf)")
        if name:
            self.export_to(Path(name))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f}%"
