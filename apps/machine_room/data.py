"""Everything the machine-room console reads or writes, in one place (over ``core.monitoring.queries``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from apps.common.qt import QT_TRANSLATE_NOOP
from core import audit
from core.monitoring import report as _report
from core.monitoring.history import Trend
from core.monitoring.models import COMM_POINT, KIND_LABELS, SEVERITY_LABELS, MonAlarm, MonPoint
from core.monitoring.queries import (
    LOCAL_TZ,
    AlarmError,
    LiveValue,
    acknowledge,
    active_alarms,
    device_status,
    live_values,
    trend,
)
from devices.monitor.base import ConfigError, redact
from devices.monitor.config import (
    INTERVAL_RANGE,
    PLAN_SIZE,
    TIMEOUT_RANGE,
    DeviceEntry,
    DeviceFieldError,
    RoomConfig,
    check_device,
    load_room,
    save_room,
)
from devices.monitor.registry import available_schemes, open_device
from devices.monitor.regmap import available_maps

__all__ = ["AlarmError", "AlarmRow", "DeviceForm", "DeviceRefused", "DeviceTile", "MonitorData", "PointInfo",
           "ReportRefused", "RoomReport", "Trend"]

ReportRefused = _report.ReportRefused
RoomReport = _report.RoomReport

LIMIT_COLUMNS = ("下限严重", "下限告警", "上限告警", "上限严重")
STATE_TEXT = {"normal": "正常", "warning": "告警", "critical": "严重", "lost": "通信中断"}


@dataclass(frozen=True, slots=True)
class DeviceTile:
    device: str
    state: str  # normal | warning | critical | lost
    values: list[LiveValue]
    name: str = ""
    position: tuple[int, int] | None = None  # (row, column) on the room plan, 1-based

    @property
    def state_text(self) -> str:
        return STATE_TEXT[self.state]

    @property
    def title(self) -> str:
        return self.name or self.device


@dataclass(frozen=True, slots=True)
class DeviceForm:
    """The device editor's fields as typed (numbers as text; empty timeout, row and column: not set)."""

    id: str
    name: str
    model: str
    address: str
    interval: str
    timeout: str = ""
    row: str = ""
    column: str = ""


class DeviceRefused(ValueError):
    """A device edit that cannot be saved: ``field`` is the form field it is about ("" for the whole form);
    ``template`` (Chinese, translatable in context ``DevicesPage``) and ``params`` make the message."""

    def __init__(self, field: str, template: str, **args: Any) -> None:
        self.field = field
        self.template = template
        self.params = {k: str(v) for k, v in args.items()}
        super().__init__(template.format(**self.params))


MODBUS_SCHEMES = ("modbus-tcp", "modbus-rtu")
T_ID = QT_TRANSLATE_NOOP("DevicesPage", "编号只能用小写字母、数字、“-”和“_”，以字母或数字开头，最长 40 个字符")
T_ID_TAKEN = QT_TRANSLATE_NOOP("DevicesPage", "编号 {id} 已被另一台设备使用")
T_NAME = QT_TRANSLATE_NOOP("DevicesPage", "请填写设备名称（最长 40 个字）")
T_NAME_TAKEN = QT_TRANSLATE_NOOP("DevicesPage", "设备名称“{name}”已被另一台设备使用")
T_MODEL_UNKNOWN = QT_TRANSLATE_NOOP("DevicesPage", "没有型号“{model}”的寄存器映射；可用的型号：{models}")
T_MODEL_NEEDED = QT_TRANSLATE_NOOP("DevicesPage", "Modbus 设备须选择型号（寄存器映射）")
T_MODEL_NOT_MODBUS = QT_TRANSLATE_NOOP("DevicesPage", "只有 Modbus 设备按型号读取；NUT 和 SNMP 设备请把型号留空")
T_ADDRESS_EMPTY = QT_TRANSLATE_NOOP("DevicesPage", "请填写设备地址，例如 modbus-tcp://192.168.1.20:502?unit=1")
T_ADDRESS = QT_TRANSLATE_NOOP("DevicesPage", "地址有误：{detail}")
T_INTERVAL = QT_TRANSLATE_NOOP("DevicesPage", "采集周期必须是 {low}–{high} 秒之间的数，现在是“{text}”")
T_TIMEOUT = QT_TRANSLATE_NOOP("DevicesPage", "超时必须是 {low}–{high} 秒之间的数（或留空），现在是“{text}”")
T_CELL = QT_TRANSLATE_NOOP("DevicesPage", "平面图的行和列必须都是 1–{size} 的整数，或都留空")
T_CELL_TAKEN = QT_TRANSLATE_NOOP("DevicesPage", "平面图第 {row} 行第 {column} 列已经放了“{other}”")
T_NO_FILE = QT_TRANSLATE_NOOP("DevicesPage", "没有设置机房配置文件，无法编辑设备")
T_FILE = QT_TRANSLATE_NOOP("DevicesPage", "机房配置文件有误，未保存：{detail}")
T_GONE = QT_TRANSLATE_NOOP("DevicesPage", "设备 {id} 已不在机房配置文件中，请刷新后再改")
T_LAST = QT_TRANSLATE_NOOP("DevicesPage", "机房至少要有一台设备，最后一台不能删除")


def _seconds(text: str, field: str, template: str, low: float, high: float) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise DeviceRefused(field, template, low=f"{low:g}", high=f"{high:g}", text=text) from None
    if not low <= value <= high:
        raise DeviceRefused(field, template, low=f"{low:g}", high=f"{high:g}", text=text)
    return value


def model_of(address: str) -> str:
    """The register map (``map=``) a Modbus address names; "" for other devices."""
    parts = urlsplit(address.strip())
    if parts.scheme.lower() not in MODBUS_SCHEMES:
        return ""
    return dict(parse_qsl(parts.query)).get("map", "")


def with_model(address: str, model: str) -> str:
    """``address`` with its ``map=`` option set to ``model`` (other options kept in their order)."""
    parts = urlsplit(address.strip())
    options = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "map"]
    return urlunsplit(parts._replace(query=urlencode([*options, ("map", model)], safe="/:")))


@dataclass(frozen=True, slots=True)
class AlarmRow:
    id: str
    raised: str
    device: str
    point: str
    what: str
    severity: str
    severity_text: str
    value: str
    acked_by: str
    cleared: bool


@dataclass(frozen=True, slots=True)
class PointInfo:
    id: str
    device: str
    label: str
    unit: str
    limits: tuple[tuple[str, float], ...]  # (name, value) of the thresholds that are set


def shown_unit(unit: str) -> str:
    """The unit as the screen font draws it (the CJK fonts lack the single ℃ sign)."""
    return unit.replace("℃", "°C")


def _local(at: datetime | None) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M:%S") if at else ""


class MonitorData:
    """``config`` is the room file the collector reads (``devices.monitor.config``): it gives the room's and
    the devices' names and places on the plan, and the devices editor edits it. Without it the console shows
    the devices that have points, by their ids."""

    def __init__(self, session: Callable[[], Session], room: str | None = None, config: Path | None = None) -> None:
        self.session = session
        self.config_path = config
        self.config_error = ""
        config_room = self.room_config()
        self.room = room or (config_room.id if config_room is not None else self._first_room())

    def room_config(self) -> RoomConfig | None:
        """The room file as the collector reads it now (None when there is none or it cannot be read)."""
        if self.config_path is None:
            return None
        try:
            room = load_room(self.config_path, check_drivers=False)
        except ConfigError as exc:
            self.config_error = str(exc)
            return None
        self.config_error = ""
        return room

    def room_name(self, room: str | None = None) -> str:
        """The room's name from the room file ("" when not known)."""
        config = self.room_config()
        return config.name if config is not None and config.id == (room or self.room) else ""

    def _first_room(self) -> str:
        with self.session() as s:
            return s.scalar(select(MonPoint.room).where(MonPoint.deleted.is_(False)).order_by(MonPoint.room)
                            .limit(1)) or "main"

    def tiles(self) -> list[DeviceTile]:
        """Every device of the room with its worst state: communication lost beats critical beats warning."""
        with self.session() as s:
            values = live_values(s, self.room)
            status = device_status(s, self.room)
        config = self.room_config()
        devices = sorted(set(values) | set(status))
        if config is not None and config.id == self.room:  # the devices polled now, in the file's order
            devices = [e.id for e in config.entries]
        out = []
        for device in devices:
            points = values.get(device, [])
            levels = {v.level for v in points}
            if status.get(device) in ("lost", "stale"):
                state = "lost"
            elif "critical" in levels:
                state = "critical"
            elif "warning" in levels:
                state = "warning"
            else:
                state = "normal"
            out.append(DeviceTile(device, state, points, config.names.get(device, "") if config else "",
                                  config.position(device) if config else None))
        return out

    def alarms(self, severity: str = "", unacked_only: bool = False) -> list[AlarmRow]:
        with self.session() as s:
            rows = active_alarms(s, self.room)
            out = []
            for a in rows:
                if (severity and a.severity != severity) or (unacked_only and a.acked_at is not None):
                    continue
                out.append(AlarmRow(a.id, _local(a.raised_at), a.device, "通信" if a.point_key == COMM_POINT else a.point_key,
                                    shown_unit(a.message or KIND_LABELS.get(a.kind, a.kind)), a.severity,
                                    SEVERITY_LABELS.get(a.severity, a.severity),
                                    "" if a.value is None else f"{a.value:g}", a.acked_by, a.cleared_at is not None))
            return out

    def acknowledge(self, alarm_id: str, user: str, comment: str) -> None:
        """Acknowledge one alarm; :class:`AlarmError` (Chinese message) when it cannot be, nothing changed."""
        with self.session() as s, s.begin():
            acknowledge(s, alarm_id, user, comment)

    def points(self) -> list[PointInfo]:
        """The room's numeric points with their thresholds, for the trend page."""
        with self.session() as s:
            rows = s.scalars(select(MonPoint).where(MonPoint.room == self.room, MonPoint.deleted.is_(False),
                                                    MonPoint.kind == "number")
                             .order_by(MonPoint.device, MonPoint.key)).all()
            return [PointInfo(p.id, p.device, p.label or p.key, p.unit, tuple(
                (name, value) for name, value in zip(LIMIT_COLUMNS, (p.low_critical, p.low_warning,
                                                                    p.high_warning, p.high_critical), strict=True)
                if value is not None)) for p in rows]

    def trend(self, point: str, start: datetime, end: datetime, max_points: int = 800) -> Trend:
        with self.session() as s:
            return trend(s, point, start, end, max_points)

    def save_limits(self, rows: list[tuple[str, list[str]]], user: str = "") -> None:
        """Set the thresholds of points: ``(point id, [下限严重, 下限告警, 上限告警, 上限严重])`` as typed, empty for
        none. All rows are checked first; a bad one raises :class:`AlarmError` naming its row and column and
        nothing is changed."""
        parsed: list[tuple[str, list[float | None]]] = []
        for n, (pid, texts) in enumerate(rows, start=1):
            values: list[float | None] = []
            for column, text in zip(LIMIT_COLUMNS, texts, strict=True):
                try:
                    values.append(float(text) if text.strip() else None)
                except ValueError:
                    raise AlarmError(f"第 {n} 行「{column}」列：“{text}”不是数字") from None
            given = [(c, v) for c, v in zip(LIMIT_COLUMNS, values, strict=True) if v is not None]
            for (c1, v1), (c2, v2) in pairwise(given):
                if v1 is not None and v2 is not None and v1 > v2:
                    raise AlarmError(f"第 {n} 行「{c2}」列：{v2:g} 不能小于「{c1}」{v1:g}")
            parsed.append((pid, values))
        with self.session() as s, s.begin():
            for pid, values in parsed:
                point = s.get(MonPoint, pid)
                if point is None:
                    raise AlarmError("测点已被删除，请刷新后再改")
                before = [point.low_critical, point.low_warning, point.high_warning, point.high_critical]
                if before == values:
                    continue
                point.low_critical, point.low_warning, point.high_warning, point.high_critical = values
                audit.append(s, user or "?", "monitor.point.limits", f"mon_point:{pid}",
                             {"room": point.room, "device": point.device, "point": point.key,
                              "before": before, "after": values})

    def rooms(self) -> list[str]:
        """Every room with points or alarms in this database (the console's own room first)."""
        with self.session() as s:
            found = set(s.scalars(select(MonPoint.room).where(MonPoint.deleted.is_(False))))
            found |= set(s.scalars(select(MonAlarm.room).where(MonAlarm.deleted.is_(False))))
        return [self.room, *sorted(found - {self.room})]

    def report(self, room: str, *, day: date | None = None, month: tuple[int, int] | None = None) -> RoomReport:
        """The daily or monthly report's figures; :class:`ReportRefused` (Chinese) when there are none."""
        with self.session() as s:
            return _report.collect(s, room, day=day, month=month, room_name=self.room_name(room))

    @staticmethod
    def report_pdf(report: RoomReport) -> bytes:
        return _report.report_pdf(report)

    # ------------------------------------------------------------------------------- devices (room file)
    def models(self) -> list[str]:
        """The device models with a register map (``resources/monitor/maps``)."""
        return available_maps()

    def device_entries(self) -> list[DeviceEntry]:
        config = self.room_config()
        return list(config.entries) if config is not None else []

    def device_points(self, device: str, entry: DeviceEntry | None = None) -> list[tuple[str, str, str, str]]:
        """(key, label, unit, latest value) of a device's points: those its driver lists (read from the model,
        without connecting) and those already stored. ``entry``: the device's room-file entry when the caller
        has it (else the room file is read)."""
        rows: dict[str, list[str]] = {}
        if entry is None:
            entry = next((e for e in self.device_entries() if e.id == device), None)
        if entry is not None:
            try:
                spec = entry.spec()
                for info in open_device(spec.address, **spec.options).points():
                    rows[info.key] = [info.key, info.label, shown_unit(info.unit), ""]
            except ConfigError:
                pass
        with self.session() as s:
            for v in live_values(s, self.room).get(device, []):
                shown = v.text or ("" if v.value is None else f"{v.value:g}")
                rows.setdefault(v.key, [v.key, v.label, shown_unit(v.unit), ""])[3] = shown
        return [(k, label, unit, value) for k, label, unit, value in rows.values()]

    def _check(self, form: DeviceForm, others: list[DeviceEntry]) -> DeviceEntry:
        """The form as a room-file entry, checked by the collector's own parser; :class:`DeviceRefused`."""
        dev_id, name, model = form.id.strip(), form.name.strip(), form.model.strip()
        address = form.address.strip()
        if any(e.id == dev_id for e in others):
            raise DeviceRefused("id", T_ID_TAKEN, id=dev_id)
        if not name or len(name) > 40:
            raise DeviceRefused("name", T_NAME)
        if any(e.name == name for e in others):
            raise DeviceRefused("name", T_NAME_TAKEN, name=name)
        if not address:
            raise DeviceRefused("address", T_ADDRESS_EMPTY)
        scheme = urlsplit(address).scheme.lower()
        if model and model not in self.models():
            raise DeviceRefused("model", T_MODEL_UNKNOWN, model=model, models="、".join(self.models()))
        if scheme in MODBUS_SCHEMES:
            if not model:
                model = model_of(address)
                if not model:
                    raise DeviceRefused("model", T_MODEL_NEEDED)
                if model not in self.models():
                    raise DeviceRefused("model", T_MODEL_UNKNOWN, model=model, models="、".join(self.models()))
            address = with_model(address, model)
        elif model and scheme in available_schemes():  # an unknown scheme is the address's fault (below)
            raise DeviceRefused("model", T_MODEL_NOT_MODBUS)
        interval = _seconds(form.interval, "interval", T_INTERVAL, *INTERVAL_RANGE)
        timeout = _seconds(form.timeout, "timeout", T_TIMEOUT, *TIMEOUT_RANGE) if form.timeout.strip() else None
        cells: list[int | None] = []
        for text in (form.row, form.column):
            try:
                cells.append(int(text) if text.strip() else None)
            except ValueError:
                raise DeviceRefused("row", T_CELL, size=PLAN_SIZE) from None
        row, column = cells
        if (row is None) != (column is None) or any(c is not None and not 1 <= c <= PLAN_SIZE for c in cells):
            raise DeviceRefused("row", T_CELL, size=PLAN_SIZE)
        if row is not None:
            other = next((e for e in others if (e.row, e.column) == (row, column)), None)
            if other is not None:
                raise DeviceRefused("row", T_CELL_TAKEN, row=row, column=column, other=other.name)
        raw: dict[str, Any] = {"id": dev_id, "name": name, "address": address, "interval": interval}
        raw.update({k: v for k, v in (("timeout", timeout), ("row", row), ("column", column)) if v is not None})
        try:
            return check_device(raw)
        except DeviceFieldError as exc:
            if exc.field == "id":
                raise DeviceRefused("id", T_ID) from None
            raise DeviceRefused(exc.field if exc.field in ("interval", "timeout", "row") else "address", T_ADDRESS,
                                detail=str(exc).lstrip("（").split("）：", 1)[-1]) from None

    def save_device(self, original: str | None, form: DeviceForm, user: str) -> DeviceEntry:
        """Add a device (``original`` None) or change device ``original``: checked field by field and then as
        the whole room file, written to the file the collector watches and audited (``monitor.device.add`` /
        ``monitor.device.edit``). :class:`DeviceRefused` names the field; nothing is saved on refusal."""
        config = self._config_for_edit()
        entries = list(config.entries)
        at = next((n for n, e in enumerate(entries) if e.id == original), None)
        if original is not None and at is None:
            raise DeviceRefused("", T_GONE, id=original)
        others = [e for e in entries if e.id != original]
        entry = self._check(form, others)
        before = entries[at] if at is not None else None
        if at is None:
            entries.append(entry)
        else:
            entries[at] = entry
        action = "monitor.device.add" if before is None else "monitor.device.edit"
        self._write(config, entries, user, action, entry.id, before, entry)
        return entry

    def remove_device(self, device: str, user: str) -> None:
        """Take a device out of the room file (its points and history stay); audited ``monitor.device.remove``."""
        config = self._config_for_edit()
        entries = list(config.entries)
        before = next((e for e in entries if e.id == device), None)
        if before is None:
            raise DeviceRefused("", T_GONE, id=device)
        if len(entries) == 1:
            raise DeviceRefused("", T_LAST)
        self._write(config, [e for e in entries if e.id != device], user, "monitor.device.remove", device, before,
                    None)

    def _config_for_edit(self) -> RoomConfig:
        if self.config_path is None:
            raise DeviceRefused("", T_NO_FILE)
        config = self.room_config()
        if config is None:
            raise DeviceRefused("", T_FILE, detail=self.config_error)
        return config

    def _write(self, config: RoomConfig, entries: list[DeviceEntry], user: str, action: str, device: str,
               before: DeviceEntry | None, after: DeviceEntry | None) -> None:
        assert self.config_path is not None

        def shown(e: DeviceEntry | None) -> dict[str, Any] | None:
            return None if e is None else {"name": e.name, "address": redact(e.address), "interval": e.interval,
                                           "timeout": e.timeout, "row": e.row, "column": e.column}

        with self.session() as s, s.begin():  # the audit entry commits only when the file was written
            audit.append(s, user or "?", action, f"mon_device:{config.id}/{device}",
                         {"room": config.id, "device": device, "file": self.config_path.name,
                          "before": shown(before), "after": shown(after)})
            try:
                save_room(self.config_path, config.id, config.name, entries, config.live_every)
            except ConfigError as exc:
                raise DeviceRefused("", T_FILE, detail=str(exc)) from None
