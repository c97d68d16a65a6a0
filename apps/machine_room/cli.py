"""``renda monitor``: run a room's collector, simulate a room with scripted events, or write its daily or monthly
report (PDF)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

PASSWORD_ENV = "RENDA_MONITOR_PASSWORD"


def register(subparsers: Any) -> None:
    monitor = subparsers.add_parser("monitor", help="机房监控：运行采集器、模拟机房、生成日报和月报",
                                    description="机房监控（UPS、精密空调、环境、漏水、消防、核心网络）",
                                    formatter_class=argparse.RawDescriptionHelpFormatter,
                                    epilog=examples(("renda monitor run --config 主机房.toml", "运行主机房的采集器"),
                                                    ("renda monitor simulate --scenario resources/monitor/scenarios/leak.toml",
                                                     "模拟机房漏水")))
    sub = monitor.add_subparsers(dest="monitor_command", metavar="操作", required=True)
    run = sub.add_parser("run", help="运行一个机房的采集器", formatter_class=argparse.RawDescriptionHelpFormatter,
                         epilog=examples(
                             ("renda monitor run --config 主机房.toml", "只在本机保存（不连服务器）"),
                             ("RENDA_MONITOR_PASSWORD=口令 renda monitor run --config 主机房.toml "
                              "--server https://renda.example:8443 --user machineroom",
                              "在本机保存并转发到中心服务器（断网期间保存在本机，恢复后按顺序补传）")))
    run.add_argument("--config", required=True, metavar="FILE", help="机房配置文件（TOML，见 docs/monitor.md）")
    _store_args(run)
    run.add_argument("--server", metavar="URL", help="中心服务器地址")
    run.add_argument("--user", default="machineroom", help="采集器登录服务器用的账号（默认 machineroom）")
    run.add_argument("--seconds", type=float, default=0, help="运行多少秒后退出（默认一直运行，按 Ctrl+C 停止）")
    run.set_defaults(func=run_command)
    sim = sub.add_parser("simulate", help="模拟一个机房并播放场景", formatter_class=argparse.RawDescriptionHelpFormatter,
                         epilog=examples(
                             ("renda monitor simulate --scenario resources/monitor/scenarios/ac-fault.toml",
                              "模拟精密空调故障、温度上升，并用采集器显示产生的告警"),
                             ("renda monitor simulate --scenario leak.toml --devices-only",
                              "只启动模拟设备并播放场景，打印机房配置，供另一个 renda monitor run 采集")))
    sim.add_argument("--scenario", required=True, metavar="FILE", help="场景文件（TOML）")
    _store_args(sim)
    sim.add_argument("--devices-only", action="store_true", help="只启动模拟设备，不运行采集器")
    sim.add_argument("--seconds", type=float, default=0, help="运行多少秒（默认按场景的 duration）")
    sim.set_defaults(func=simulate_command)
    report = sub.add_parser("report", help="生成机房运行日报或月报（PDF）",
                            description="按日（--day 2026-12-04）或按月（--month 2026-11）生成机房运行报表："
                                        "设备可用率、告警数量与时长、温湿度达标情况（GB 50174-2017）和告警明细",
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            epilog=examples(
                                ("renda monitor report --room main --day 2026-12-04 --out 机房日报.pdf",
                                 "主机房 12 月 4 日的日报（读本机采集器的数据库）"),
                                ("renda monitor report --room main --month 2026-11 --out 机房月报.pdf "
                                 "--db sqlite:////var/lib/renda/monitor.sqlite3",
                                 "11 月的月报；数据库是绝对路径的 SQLite 文件（sqlite: 后四个斜杠）")))
    report.add_argument("--room", required=True, help="机房编号（机房配置文件 [room] 的 id，例如 main）")
    period = report.add_mutually_exclusive_group(required=True)
    period.add_argument("--day", help="日报的日期，例如 2026-12-04（北京时间）")
    period.add_argument("--month", help="月报的月份，例如 2026-11")
    report.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    report.add_argument("--config", metavar="FILE", help="机房配置文件（TOML）：报表用其中的机房名称（[room] name）")
    _store_args(report)
    report.set_defaults(func=report_command)


def _store_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="采集器的本机数据库（默认为数据目录下的 monitor.sqlite3）")


def _open_store(url: str | None) -> Any:
    from core.db import make_engine, migrate
    from core.paths import data_dir, local_db_url
    from core.sync.client import LocalStore

    engine = make_engine(url or local_db_url("monitor.sqlite3"))
    migrate(engine)
    return LocalStore(engine, data_dir() / "monitor-blobs")


def _say(text: str) -> None:
    print(text, flush=True)


def _raised_printer(room: str) -> Any:
    from core.monitoring.models import KIND_LABELS, SEVERITY_LABELS

    def show(raised: Any) -> None:
        _say(f"  → 告警 #{raised.ordinal} [{SEVERITY_LABELS.get(raised.severity, raised.severity)}] "
             f"{raised.device} {raised.point_key} {KIND_LABELS.get(raised.kind, raised.kind)}")
    return show


def _run_until(seconds: float, stop: threading.Event) -> None:
    def handler(_signum: int, _frame: Any) -> None:
        stop.set()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)
    stop.wait(seconds if seconds > 0 else None)


def run_command(args: argparse.Namespace) -> int:
    from core.monitoring.collector import Collector
    from devices.monitor.base import ConfigError
    from devices.monitor.config import load_room

    try:
        room = load_room(args.config)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    sync = None
    if args.server:
        password = os.environ.get(PASSWORD_ENV, "")
        if not password:
            print(f"请在环境变量 {PASSWORD_ENV} 中给出账号 {args.user} 的口令", file=sys.stderr)
            return 2
        from core.remote import LoginFailed, RemoteSession
        from core.sync.client import SyncClient
        from core.sync.transport import SyncError

        store = _open_store(args.db)
        try:
            session = RemoteSession.login(args.server, args.user, password)
        except (LoginFailed, SyncError) as exc:
            print(f"登录服务器失败：{exc}", file=sys.stderr)
            return 2
        store.set_permissions(session.me.permissions)
        sync = SyncClient(store, session.transport)
    else:
        store = _open_store(args.db)
    _say(f"机房 {room.id}（{room.name}）：{len(room.devices)} 台设备，数据库 {store.engine.url}")
    stop = threading.Event()
    with Collector(room, store, sync=sync, on_alarm=_raised_printer(room.id)) as collector:
        collector.watch_config(args.config)  # the console's device editor saves the file; take it over
        _run_until(args.seconds, stop)
    _say(f"已停止：读数 {collector.stats.readings} 个，告警 {collector.stats.alarms} 条")
    return 0


def simulate_command(args: argparse.Namespace) -> int:
    from apps.machine_room.simulator import SimulatedRoom, load_scenario
    from core.monitoring.collector import Collector
    from devices.monitor.base import ConfigError
    from devices.monitor.config import parse_room

    try:
        scenario = load_scenario(args.scenario)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="renda-sim-") as tmp:
        sim = SimulatedRoom(scenario, Path(tmp))
        for note in sim.notes:
            _say(note)
        try:
            sim.start()
        except (OSError, RuntimeError) as exc:
            print(f"模拟设备启动失败：{exc}", file=sys.stderr)
            sim.stop()
            return 1
        try:
            config = sim.room_toml()
            _say(f"场景：{scenario.name}（{len(scenario.devices)} 台设备，{len(scenario.events)} 个事件）")
            stop = threading.Event()
            start = time.monotonic()
            duration = args.seconds or scenario.duration
            player = threading.Thread(target=sim.play, args=(lambda: time.monotonic() - start, stop, _say),
                                      daemon=True)
            if args.devices_only:
                _say("机房配置（保存为文件后用 renda monitor run --config 文件 采集）：\n" + config)
                player.start()
                _run_until(duration, stop)
                stop.set()
                return 0
            store = _open_store(args.db or f"sqlite:///{Path(tmp) / 'monitor.sqlite3'}")
            room = parse_room(config, scenario.name)
            with Collector(room, store, on_alarm=_raised_printer(room.id), fail_threshold=2,
                           backoff_max=max(2.0, scenario.interval * 2)) as collector:
                player.start()
                _run_until(duration, stop)
                stop.set()
            _say(f"场景结束：读数 {collector.stats.readings} 个，告警 {collector.stats.alarms} 条")
            store.engine.dispose()
            return 0
        finally:
            sim.stop()


def report_command(args: argparse.Namespace) -> int:
    """Write the daily or monthly report; a missing or empty database, or a period without data, is refused
    with a Chinese message and exit code 2, and nothing is written."""
    from core.db import DatabaseMissing, existing_engine
    from core.monitoring.report import ReportRefused, parse_day, parse_month, write_report
    from core.paths import local_db_url

    room_name = ""
    if args.config:
        from devices.monitor.base import ConfigError
        from devices.monitor.config import load_room

        try:
            config = load_room(args.config, check_drivers=False)
        except ConfigError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        if config.id != args.room:
            print(f"错误：机房配置文件 {args.config} 是机房“{config.id}”的，不是“{args.room}”的", file=sys.stderr)
            return 2
        room_name = config.name
    try:
        day = parse_day(args.day) if args.day else None
        month = parse_month(args.month) if args.month else None
        engine = existing_engine(args.db or local_db_url("monitor.sqlite3"))
    except (ReportRefused, DatabaseMissing) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    try:
        path = write_report(engine, args.room, Path(args.out), day=day, month=month, room_name=room_name)
    except ReportRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"错误：无法写入 {args.out}：{exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    _say(str(path))
    return 0
