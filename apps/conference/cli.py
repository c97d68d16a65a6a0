"""`renda seats …`: seat terminals on a link — simulate them, or listen to them as the console would.

    renda seats simulate --link tcp://127.0.0.1:9000 --seats 100 --scenario vote.json
    renda seats simulate --link serial:///dev/pts/3 --seats 100 --duration 60
    renda seats listen   --link serial:///dev/pts/4 --seats 100 --duration 60
    renda seats listen   --link tcp://0.0.0.0:9000?listen=1 --seats 100

Links: ``serial://DEVICE`` (or any pyserial URL such as ``loop://``, ``socket://host:port``),
``can://INTERFACE/CHANNEL`` (e.g. ``can://virtual/channel0``, ``can://socketcan/can0``),
``tcp://HOST:PORT`` (add ``?listen=1`` to listen), ``virtual://NAME``. On a TCP link the simulator
connects and the console listens unless told otherwise. Each command ends with one JSON line of figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
from dataclasses import asdict
from typing import Any

from apps.cli_zh import examples
from devices.seats import BusError, open_link
from devices.seats.master import SeatMaster
from devices.seats.registry import parse_link
from devices.seats.scenario import Scenario
from devices.seats.simulator import SeatSimulator


def register(subparsers: Any) -> None:
    """Add ``renda seats simulate`` and ``renda seats listen`` to the ``renda`` parser."""
    seats = subparsers.add_parser("seats", help="席位终端：模拟终端，或作为主控监听终端事件",
                                  description="席位终端（RS-485 / CAN / TCP）：模拟与监听",
                                  epilog=examples(
        ("renda seats simulate --link tcp://127.0.0.1:7000 --seats 30", "培训、演示时模拟 30 个席位终端"),
        ("renda seats listen --link tcp://0.0.0.0:9000?listen=1 --seats 100 --duration 60",
         "作为主控监听 100 个席位 60 秒，逐条打印按键")))
    sub = seats.add_subparsers(dest="seats_command", metavar="操作", required=True)

    sim = sub.add_parser("simulate", help="在链路上模拟 N 个席位终端",
                         description="在链路上模拟 N 个席位终端；脚本（JSON 或 TOML）给出按键和故障的时间",
                         epilog=examples(
        ("renda seats simulate --link tcp://127.0.0.1:7000 --seats 30", "连到会场控制台（renda kiosk --link "
                                                                        "tcp://0.0.0.0:7000），直到 Ctrl-C"),
        ("renda seats simulate --link serial:///dev/ttyUSB0 --seats 100 --duration 60", "RS-485 串口，运行 60 秒"),
        ("renda seats simulate --link can://socketcan/can0 --seats 50 --first 101 --scenario vote.json",
         "CAN 总线上地址 101–150 的席位按脚本按键")))
    _link_options(sim)
    sim.add_argument("--scenario", help="脚本文件（JSON 或 TOML）：按键与故障及其时间")
    sim.add_argument("--duration", type=float, help="运行秒数（默认：脚本结束后 2 秒；无脚本则直到 Ctrl-C）")
    sim.set_defaults(func=cmd_simulate)

    listen = sub.add_parser("listen", help="作为主控轮询 / 监听席位终端并逐条打印事件",
                            description="作为主控轮询（串口、CAN）或监听（TCP）席位终端，逐条打印事件，最后一行是 JSON 统计",
                            epilog=examples(
        ("renda seats listen --link serial:///dev/ttyUSB0 --seats 100 --duration 60", "轮询 RS-485 上的 100 个席位 60 秒"),
        ("renda seats listen --link tcp://0.0.0.0:9000?listen=1 --seats 100", "在 9000 端口等待席位连接，直到 Ctrl-C")))
    _link_options(listen)
    listen.add_argument("--duration", type=float, help="运行秒数（默认直到 Ctrl-C）")
    listen.set_defaults(func=cmd_listen)


def _link_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--link", required=True, help="链路 URL，如 serial:///dev/pts/3、can://virtual/channel0、"
                                                      "tcp://127.0.0.1:9000、loop://")
    parser.add_argument("--seats", type=int, required=True, help="席位数 N（地址从 --first 起连续编号）")
    parser.add_argument("--first", type=int, default=1, help="第一个席位地址（默认 1）")


def _addresses(args: argparse.Namespace) -> range:
    if args.seats < 1 or args.first < 0 or args.first + args.seats > 4096:
        raise BusError("席位地址须在 0–4095 之间")
    return range(args.first, args.first + args.seats)


def _wait(stop: threading.Event, duration: float | None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait(duration)


def cmd_simulate(args: argparse.Namespace) -> int:
    """Run the simulator until the duration ends (or Ctrl-C); print its figures as one JSON line."""
    try:
        addresses = _addresses(args)
        scenario = Scenario.load(args.scenario) if args.scenario else None
        bus = open_link(args.link)
    except (BusError, OSError) as exc:
        print(f"无法启动模拟：{exc}")
        return 1
    duration = args.duration
    if duration is None and scenario is not None:
        duration = scenario.duration + 2.0
    with bus, SeatSimulator(bus, addresses) as sim:
        print(f"模拟 {len(addresses)} 个席位终端（{addresses.start}–{addresses.stop - 1}），链路 {args.link}", flush=True)
        if scenario is not None:
            sim.play(scenario)
        _wait(threading.Event(), duration)
        sim.stop()
        pending = sum(len(seat.pending) for seat in sim.seats.values())
        figures = {"seats": len(addresses), **asdict(sim.stats), "unacknowledged": pending,
                   "link_errors": bus.stats.dropped, "error": str(sim.error) if sim.error else None}
    print(json.dumps(figures, ensure_ascii=False))
    return 1 if figures["error"] else 0


def cmd_listen(args: argparse.Namespace) -> int:
    """Act as the console: poll or listen, print each event, end with one JSON line of figures."""
    try:
        addresses = _addresses(args)
        driver, _ = parse_link(args.link)
        bus = open_link(args.link, listen=True) if driver == "tcp" and "listen=" not in args.link else \
            open_link(args.link)
    except (BusError, OSError) as exc:
        print(f"无法打开链路：{exc}")
        return 1
    deadline = None if args.duration is None else time.monotonic() + args.duration
    failure: str | None = None
    with bus:
        master = SeatMaster(bus, addresses)
        try:
            while deadline is None or time.monotonic() < deadline:
                for event in master.step(timeout=0.05):
                    print(f"席位 {event.address:4d}  {event.name():<15} {event.payload.hex()}", flush=True)
        except KeyboardInterrupt:
            pass
        except BusError as exc:
            failure = str(exc)
            print(f"链路故障：{exc}")
        figures: dict[str, Any] = {"seats": len(addresses), "polled": master.polled, **asdict(master.stats),
                                   "link_errors": bus.stats.dropped, "error": failure}
        figures.pop("missed_polls")
        figures["silent_seats"] = sorted(master.stats.missed_polls)
    print(json.dumps(figures, ensure_ascii=False))
    return 1 if failure else 0

