"""The daily and monthly machine-room report PDF: history written the way the collector writes it, the PDF read
back with pdftotext, its fonts checked with pdffonts, page 1 rendered with pdftoppm; refusals write nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from core.monitoring.history import HistoryWriter
from core.monitoring.models import (
    COMM,
    COMM_POINT,
    CRITICAL,
    HIGH,
    WARNING,
    MonAlarm,
    MonHistoryHour,
    MonPoint,
    alarm_id,
    history_id,
    point_id,
)
from core.monitoring.report import (
    ReportRefused,
    collect,
    duration_text,
    parse_day,
    parse_month,
    report_pdf,
    write_report,
)
from core.sync.client import LocalStore

DAY = date(2026, 12, 4)
T0 = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # 2026-12-04 00:00 in Shanghai
MADE = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} (poppler-utils) is required under CI")
        pytest.skip(f"{name} not installed (apt-get install poppler-utils)")
    return path


def _text(pdf: Path) -> str:
    return subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _point(s, device: str, key: str, label: str, unit: str, **limits: float) -> MonPoint:  # type: ignore[no-untyped-def]
    p = MonPoint(id=point_id("main", device, key), room="main", device=device, key=key, label=label, unit=unit,
                 deadband=0.1, **limits)
    s.add(p)
    s.flush()
    return p


def _alarm(s, ordinal: int, **kw) -> MonAlarm:  # type: ignore[no-untyped-def]
    values = dict(room="main", ordinal=ordinal, device="th-1", point_key="inlet_temp",
                  point_id=point_id("main", "th-1", "inlet_temp"), kind=HIGH, severity=WARNING,
                  raised_at=T0 + timedelta(hours=10), value=28.0, threshold=27.0, message="进风温度超上限 27℃")
    values.update(kw)
    a = MonAlarm(id=alarm_id("main", ordinal), **values)
    s.add(a)
    return a


def _history(store: LocalStore) -> None:
    """A day of readings: the inlet 2 of 24 hours above 27 ℃, humidity always fine, a UPS load; three alarms."""
    writer = HistoryWriter()
    with store.session() as s, s.begin():
        inlet = _point(s, "th-1", "inlet_temp", "进风温度", "℃", low_warning=18.0, high_warning=27.0,
                       high_critical=32.0)
        hum = _point(s, "th-1", "humidity", "相对湿度", "%", high_warning=60.0, high_critical=70.0)
        load = _point(s, "ups-1", "ups.load", "负载率", "%", high_warning=80.0)
        for p in (inlet, hum, load):
            writer.track(s, p)
        for m in range(24 * 60):
            at = T0 + timedelta(minutes=m)
            writer.add(inlet.id, at, 28.0 if 600 <= m < 720 else 23.0)
            writer.add(hum.id, at, 45.0)
            writer.add(load.id, at, 40.0)
        writer.flush(s, T0 + timedelta(days=1, minutes=1))
        _alarm(s, 1, cleared_at=T0 + timedelta(hours=12), acked_at=T0 + timedelta(hours=10, minutes=5),
               acked_by="machineroom", ack_comment="已开启备用空调")
        _alarm(s, 2, device="ups-1", point_key=COMM_POINT, point_id=None, kind=COMM, severity=CRITICAL,
               raised_at=T0 + timedelta(hours=3), cleared_at=T0 + timedelta(hours=3, minutes=36), value=None,
               threshold=None, message="")
        _alarm(s, 3, raised_at=T0 + timedelta(hours=23), severity=CRITICAL, message="进风温度超上限 32℃")


def test_the_daily_report_pdf_shows_the_figures_in_chinese_with_every_font_embedded(
        store: LocalStore, tmp_path: Path) -> None:
    _history(store)
    out = write_report(store.engine, "main", tmp_path / "日报.pdf", day=DAY, made_at=MADE)
    text = _text(out)
    flat = re.sub(r"\s+", "", text)
    assert "2026年12月4日机房运行日报" in flat
    assert "机房：main" in flat and "2026-12-0400:00至2026-12-0500:00" in flat
    # availability: ups-1 lost for 36 minutes of 1,440
    assert "ups-1" in flat and "36分" in flat and f"{100 * (1 - 36 / 1440):.2f}%" in flat
    assert "th-1" in flat and "100.00%" in flat
    # alarm counts and durations: the warning lasted 2 h; the critical one still active at midnight
    assert "超上限告警12小时" in flat and "通信中断严重136分36分" in flat and "超上限严重11小时1小时" in flat
    assert "合计" in flat
    # temperature and humidity against GB 50174-2017: 1,320 of 1,440 minutes for the inlet
    assert "GB50174-2017《数据中心设计规范》附录A" in flat
    assert "进风温度18～27°C" in flat and f"{100 * 1320 / 1440:.2f}%" in flat
    assert "相对湿度≤60%" in flat
    assert "负载率" not in flat.split("三、温湿度达标情况")[1].split("四、告警明细")[0]
    # the list of alarms: who acknowledged and why, the one not acknowledged
    assert "已开启备用空调" in flat and "machineroom" in flat and "未确认" in flat and "（未恢复）" in flat
    assert "第1页共" in flat
    fonts = subprocess.run([_tool("pdffonts"), str(out)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in row for row in fonts), fonts
    png = tmp_path / "page1"
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(out), str(png)],
                   check=True)
    assert png.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_page_numbers_count_every_page(store: LocalStore, tmp_path: Path) -> None:
    _history(store)
    with store.session() as s, s.begin():
        for n in range(4, 80):
            _alarm(s, n, raised_at=T0 + timedelta(minutes=10 * n), cleared_at=T0 + timedelta(minutes=10 * n + 3))
    out = write_report(store.engine, "main", tmp_path / "r.pdf", day=DAY, made_at=MADE)
    pages = re.findall(r"第 (\d+) 页 共 (\d+) 页", _text(out))
    assert len(pages) >= 3
    assert [int(p) for p, _ in pages] == list(range(1, len(pages) + 1))
    assert {int(t) for _, t in pages} == {len(pages)}


def test_the_monthly_report_sums_the_days(store: LocalStore) -> None:
    _history(store)
    with store.session() as s:
        r = collect(s, "main", month=(2026, 12), made_at=MADE)
    assert r.title == "2026年12月机房运行月报" and r.kind == "month"
    assert r.alarm_total == 3
    inlet = next(c for c in r.climate if c.label == "进风温度")
    assert (inlet.minutes, inlet.compliant_minutes) == (1440, 1320)
    assert r.figures.availability["ups-1"] == pytest.approx(1 - 36 / (31 * 1440))
    assert [row[0] for row in r.alarm_list_rows()] == ["12-04 10:00", "12-04 03:00", "12-04 23:00"]


def test_on_a_console_the_figures_come_from_the_synced_hours(store: LocalStore) -> None:
    """A console holds no local history, only ``mon_history_hour``: the report reads its minutes."""
    with store.session() as s, s.begin():
        p = _point(s, "th-2", "temperature", "进风温度", "℃", low_warning=18.0, high_warning=27.0)
        for h in range(24):
            hour = T0 + timedelta(hours=h)
            value = 29.0 if h == 5 else 22.0
            s.add(MonHistoryHour(id=history_id(p.id, hour), room="main", point_id=p.id, hour=hour, count=60, vmin=value,
                                 vmax=value, vavg=value, minutes=[[m, value, value, value, 1] for m in range(60)]))
    with store.session() as s:
        r = collect(s, "main", day=DAY, made_at=MADE)
    [c] = r.climate
    assert (c.minutes, c.compliant_minutes, c.vmax) == (1440, 1380, 29.0)
    assert r.alarm_total == 0


def test_a_period_or_room_without_data_is_refused_and_nothing_is_written(store: LocalStore, tmp_path: Path) -> None:
    _history(store)
    out = tmp_path / "out" / "r.pdf"
    with pytest.raises(ReportRefused, match="没有任何读数或告警"):
        write_report(store.engine, "main", out, day=date(2026, 12, 6))
    with pytest.raises(ReportRefused, match=r"机房“backup”没有任何监测点.*已有的机房：main"):
        write_report(store.engine, "backup", out, day=DAY)
    with pytest.raises(ReportRefused, match="没有任何读数或告警"):
        write_report(store.engine, "main", out, month=(2026, 10))
    with pytest.raises(ReportRefused, match=r"\.pdf 结尾"):
        write_report(store.engine, "main", tmp_path / "out" / "r.txt", day=DAY)
    assert not (tmp_path / "out").exists()


def test_dates_months_and_durations_are_read_and_written_in_chinese() -> None:
    assert parse_day("2026-12-04") == DAY
    assert parse_month("2026-11") == (2026, 11)
    for bad in ("2026-13", "11", "2026/11", ""):
        with pytest.raises(ReportRefused, match="2026-11 的形式"):
            parse_month(bad)
    with pytest.raises(ReportRefused, match="2026-12-04 的形式"):
        parse_day("12月4日")
    assert duration_text(0) == "0秒"
    assert duration_text(3725) == "1小时2分5秒"
    assert duration_text(2 * 86400 + 3600 + 61) == "2天1小时1分"


def test_report_pdf_bytes_start_as_a_pdf(store: LocalStore) -> None:
    _history(store)
    with store.session() as s:
        r = collect(s, "main", day=DAY, made_at=MADE)
    assert report_pdf(r).startswith(b"%PDF")


def test_renda_monitor_report_writes_the_pdf_and_prints_its_path(store: LocalStore, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from apps.cli import main

    _history(store)
    url = str(store.engine.url)
    out = tmp_path / "月报.pdf"
    assert main(["monitor", "report", "--room", "main", "--month", "2026-12", "--out", str(out), "--db", url]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert "2026年12月机房运行月报" in re.sub(r"\s+", "", _text(out))


def test_the_report_names_the_room_by_its_name(store: LocalStore, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The room's name from the room file, in the title block (read back with pdftotext), not its id."""
    from apps.cli import main

    _history(store)
    out = write_report(store.engine, "main", tmp_path / "日报.pdf", day=DAY, made_at=MADE, room_name="机关主机房")
    flat = re.sub(r"\s+", "", _text(out))
    assert "机房：机关主机房" in flat and "机房：main" not in flat
    config = tmp_path / "主机房.toml"
    config.write_text('[room]\nid = "main"\nname = "机关主机房"\n\n[[device]]\nid = "th-1"\n'
                      'address = "modbus-tcp://192.0.2.1?unit=1&map=temp-humidity"\n', encoding="utf-8")
    out = tmp_path / "命令日报.pdf"
    assert main(["monitor", "report", "--room", "main", "--day", "2026-12-04", "--out", str(out),
                 "--db", str(store.engine.url), "--config", str(config)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert "机房：机关主机房" in re.sub(r"\s+", "", _text(out))


def test_renda_monitor_report_refuses_bad_input_in_chinese_and_writes_nothing(
        store: LocalStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from apps.cli import main

    url = str(store.engine.url)
    out = tmp_path / "out" / "r.pdf"
    missing = tmp_path / "没有.sqlite3"
    cases = [
        (["--day", "2026-12-04", "--db", f"sqlite:///{missing}"], "不存在"),
        (["--day", "2026-12-04", "--db", url], "数据库中还没有任何机房的数据"),
        (["--day", "12/04", "--db", url], "2026-12-04 的形式"),
        (["--month", "2026-13", "--db", url], "2026-11 的形式"),
    ]
    for extra, message in cases:
        assert main(["monitor", "report", "--room", "main", "--out", str(out), *extra]) == 2
        assert message in capsys.readouterr().err
    _history(store)
    assert main(["monitor", "report", "--room", "main", "--day", "2026-12-06", "--out", str(out), "--db", url]) == 2
    assert "没有任何读数或告警" in capsys.readouterr().err
    assert not out.parent.exists() and not missing.exists()
