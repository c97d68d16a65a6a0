"""``renda bench monitor --points 1000 --interval 1 --seconds 120``: the collector at a room's size.

1. Simulated precision air-conditioners (24 points each, real Modbus TCP served by ``pymodbus`` on
   127.0.0.1) run in a separate process, their temperatures and humidities drifting every second, so the
   collector's process measures only itself. The collector polls all of them every ``--interval`` seconds
   into a fresh local SQLite database for ``--seconds``.
2. Every 2 s one unit's compressor fault bit is set (or reset) at the device: ``alarm_latency_p99_ms`` is
   from that write to the alarm committed in the collector's database and handed to the console callback.
3. ``collector_cpu_pct``: CPU time of the collector's process over the run, in % of one core.
   ``samples_lost``: polls due but not made — the slots of a device's fixed rate that passed without a read
   (after a read that overran, or a failure's back-off) and the reads that failed, as the poller counts them —
   × the device's points, plus readings received but not stored. (Counting reads against the window's length
   instead also counted a read still on the wire when the window closed.)
4. ``history_bytes_per_point_day``: the bytes the history tables grew by (SQLite's ``dbstat``, in whole
   4 KiB pages, so a run of a few seconds may show 0), per point, scaled to a day.
5. ``trend_year_ms``: a year of 1-minute history of one point (525,600 minutes and their hours) is written,
   then loaded through the trend query into 2,000 screen points (median of five).

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

TARGETS = {"collector_cpu_pct": 30, "samples_lost": 0, "alarm_latency_p99_ms": 2000, "trend_year_ms": 500}
POINTS_PER_UNIT = 24  # the precision-ac register map
HISTORY_TABLES = ("mon_sample", "mon_minute", "mon_hour")


def register_bench(kinds: Any) -> None:
    """Add ``monitor`` to the sub-parsers of ``renda bench`` (``apps.bench.BENCH_MODULES``)."""
    p = kinds.add_parser("monitor", help="机房监控性能：采集器 CPU、丢失读数、告警延迟、一年趋势、历史数据量",
                         description="机房监控性能：模拟设备经真实 Modbus TCP 采集；最后一行是 JSON",
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         epilog=examples(("renda bench monitor --points 1000 --interval 1 --seconds 120",
                                          "1000 个监测点每秒采集，运行两分钟"),
                                         ("renda bench monitor --points 200 --seconds 15", "快速试一次")))
    p.add_argument("--points", type=int, default=1000, help="监测点数（按每台精密空调 24 个点取整，默认 1000）")
    p.add_argument("--interval", type=float, default=1.0, help="采集周期（秒，默认 1）")
    p.add_argument("--seconds", type=float, default=120, help="运行时长（秒，默认 120）")
    p.set_defaults(func=run_monitor_bench)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)] if ordered else 0.0


# ---------------------------------------------------------------------------------- the device process
def _devices_main(units: int, conn: Any) -> None:
    """Serve ``units`` simulated air-conditioners; drift their analog values; obey ("set", …) commands."""
    from apps.machine_room.peers import ModbusFarm

    farm = ModbusFarm()
    for n in range(units):
        d = farm.add(f"ac-{n + 1:03d}", "precision-ac")
        d.set("return_air_temp", 25.0)
        d.set("supply_air_temp", 18.0)
        d.set("return_air_humidity", 45.0)
        d.set("unit_running", True)
    farm.start()
    conn.send([(d.id, d.address) for d in farm.devices.values()])
    stop = threading.Event()
    rng = random.Random(1)

    def drift() -> None:
        temps = {d: 25.0 for d in farm.devices}
        while not stop.wait(1.0):
            for device_id, device in farm.devices.items():
                temps[device_id] = min(29.0, max(22.0, temps[device_id] + rng.uniform(-0.15, 0.15)))
                device.set("return_air_temp", round(temps[device_id], 1))
                device.set("return_air_humidity", round(45 + rng.uniform(-1, 1), 1))

    threading.Thread(target=drift, daemon=True).start()
    while True:
        message = conn.recv()
        if message[0] == "stop":
            break
        _, device_id, key, value = message
        farm.devices[device_id].set(key, value)
        conn.send(time.time())
    stop.set()
    farm.stop()
    conn.send("stopped")


# ---------------------------------------------------------------------------------- the measurement
def _history_bytes(engine: Any) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")).all()
        except Exception:
            page = conn.execute(text("PRAGMA page_size")).scalar_one()
            count = conn.execute(text("PRAGMA page_count")).scalar_one()
            return int(page * count)
    return int(sum(size for name, size in rows if name in HISTORY_TABLES or
                   any(name.startswith(f"sqlite_autoindex_{t}") for t in HISTORY_TABLES)))


def _missed(state: Any) -> int:
    return int(state.missed + state.failed_reads)


def trend_year_ms(store: Any) -> float:
    """Write a year of 1-minute history for one point, then time the trend query over the year (median of 5)."""
    from sqlalchemy import insert

    from core.monitoring.history import trend
    from core.monitoring.models import MonHour, MonMinute, MonPoint, point_id

    end = datetime(2026, 12, 1, tzinfo=UTC)
    start = end - timedelta(days=365)
    rng = random.Random(7)
    with store.session() as s, s.begin():
        p = MonPoint(id=point_id("bench", "th-year", "temperature"), room="bench", device="th-year",
                     key="temperature", label="温度", unit="°C", enabled=True)
        s.add(p)
        s.flush()
        from core.monitoring.history import series_no

        no = series_no(s, p)
        t0 = int(start.timestamp())
        minutes, hours = [], []
        value = 24.0
        hour_acc: list[float] = []
        for m in range(365 * 1440):
            value = min(30.0, max(19.0, value + rng.uniform(-0.05, 0.05)))
            lo, hi = value - 0.1, value + 0.1
            minutes.append({"series": no, "t": t0 + m * 60, "n": 60, "vmin": lo, "vmax": hi, "vsum": value * 60})
            hour_acc.append(value)
            if len(hour_acc) == 60:
                hours.append({"series": no, "t": t0 + (m - 59) * 60, "n": 3600, "vmin": min(hour_acc) - 0.1,
                              "vmax": max(hour_acc) + 0.1, "vsum": sum(hour_acc) * 60})
                hour_acc = []
        s.execute(insert(MonMinute), minutes)
        s.execute(insert(MonHour), hours)
    timings = []
    for _ in range(5):
        with store.session() as s:
            t = time.perf_counter()
            result = trend(s, p.id, start, end, 2000)
            timings.append((time.perf_counter() - t) * 1000)
        assert result.resolution == "hour" and 0 < len(result.buckets) <= 2000
    return statistics.median(timings)


def run_monitor_bench(args: argparse.Namespace) -> int:
    if args.points < POINTS_PER_UNIT or args.seconds < 5 or not 0.05 <= args.interval <= 60:
        print("点数至少 24，时长至少 5 秒，采集周期 0.05–60 秒", file=sys.stderr)
        return 2
    from core.db import make_engine, migrate
    from core.features import load_features
    from core.monitoring.collector import Collector
    from core.sync.client import LocalStore
    from devices.monitor.config import RoomConfig
    from devices.monitor.poller import DeviceSpec

    load_features()
    units = max(1, round(args.points / POINTS_PER_UNIT))
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    devices = ctx.Process(target=_devices_main, args=(units, child), daemon=True)
    devices.start()
    addresses = parent.recv()
    _log(f"{units} 台模拟精密空调（{units * POINTS_PER_UNIT} 个点）已在 127.0.0.1 上启动")
    with tempfile.TemporaryDirectory(prefix="renda-bench-monitor-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'collector.sqlite3'}")
        migrate(engine)
        store = LocalStore(engine, Path(tmp) / "blobs")
        room = RoomConfig("bench", "基准测试机房",
                          tuple(DeviceSpec(dev, address, args.interval) for dev, address in addresses),
                          {dev: dev for dev, _ in addresses})
        crossed: dict[str, float] = {}
        latencies: list[float] = []

        def on_alarm(raised: Any) -> None:
            at = crossed.pop(raised.device, None) if raised.point_key == "compressor_fault" else None
            if at is not None:
                latencies.append((time.time() - at) * 1000)

        collector = Collector(room, store, on_alarm=on_alarm, flush_s=0.2, fail_threshold=3)
        collector.start()
        time.sleep(min(3.0, args.seconds / 4))  # every point registered before the measurement starts
        before = _history_bytes(engine)
        reads_before = {d.id: collector.poller.state(d.id).reads for d in room.devices}
        missed_before = {d.id: _missed(collector.poller.state(d.id)) for d in room.devices}
        readings_before = collector.stats.readings
        cpu0, wall0 = time.process_time(), time.monotonic()
        faults: dict[str, bool] = {}
        rng = random.Random(3)
        next_fault = wall0 + 2
        while time.monotonic() - wall0 < args.seconds:
            if time.monotonic() >= next_fault:
                dev = rng.choice(addresses)[0]
                faults[dev] = not faults.get(dev, False)
                parent.send(("set", dev, "compressor_fault", faults[dev]))
                at = parent.recv()
                if faults[dev]:
                    crossed[dev] = at
                next_fault += 2
            time.sleep(0.05)
        wall = time.monotonic() - wall0
        cpu = time.process_time() - cpu0
        reads = {d.id: collector.poller.state(d.id).reads - reads_before[d.id] for d in room.devices}
        missed = {d.id: _missed(collector.poller.state(d.id)) - missed_before[d.id] for d in room.devices}
        received = collector.stats.readings - readings_before
        collector.stop()
        stored_gap = max(0, sum(reads.values()) * POINTS_PER_UNIT - received) + collector.stats.dropped
        lost = sum(missed.values()) * POINTS_PER_UNIT + stored_gap
        grown = max(0, _history_bytes(engine) - before)
        parent.send(("stop",))
        parent.recv()
        devices.join(10)
        _log("写入一年的分钟历史并测量趋势查询……")
        year_ms = trend_year_ms(store)
        engine.dispose()
    points = units * POINTS_PER_UNIT
    figures = {
        "points": points, "devices": units, "interval_s": args.interval, "seconds": round(wall, 1),
        "collector_cpu_pct": round(cpu / wall * 100, 1), "samples_lost": lost,
        "alarm_latency_p99_ms": round(_p99(latencies), 1), "alarms_measured": len(latencies),
        "trend_year_ms": round(year_ms, 1),
        "history_bytes_per_point_day": round(grown / points * 86400 / wall),
        "targets": TARGETS,
    }
    print(json.dumps(figures, ensure_ascii=False))
    return 0
