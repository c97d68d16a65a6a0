"""`renda bench conference --link tcp|serial|can --seats N`: the e-conference measured end to end.

N simulated seat terminals run in this process on the chosen link; a :class:`~apps.kiosk.runtime.ConferenceRuntime`
(seat master in its worker thread, journaled rules, journal fsynced per event) is the console. All seats
sign in, a vote opens, every seat presses once at a random moment within one second, the vote closes.

- TCP (127.0.0.1; default N = 1,000) and CAN (python-can ``virtual``; default N = 100):
  ``p99_press_to_tally_ms`` — from the moment a seat's key is pressed to the moment the rules' tally
  includes it (the subscriber is told); ``close_to_result_ms`` — from the chair's close to the result in
  a fresh snapshot; ``frames_lost`` — presses never tallied plus frames the decoders refused.
- Serial (default N = 100, 115,200 baud): over a socat PTY pair when socat is installed, else over
  pyserial ``loop://`` shared by both ends. Neither paces bytes, so the bench emulates the line
  (:class:`Wire`): a frame occupies it for its wire time (10 bits a byte: start, 8 data, stop), one frame
  at a time, and reaches the receiver when its last bit would. ``poll_cycle_ms`` is the
  median measured time to poll every seat once when they have nothing to report; ``wire_limit_ms`` is the
  time the poll frames and the seats' answers take on the wire at that baud rate; ``poll_vs_wire`` their ratio.

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, ClassVar

from apps.cli_zh import examples
from devices.seats.bus import SeatBus
from devices.seats.frames import StreamDecoder, stuff
from devices.seats.protocol import Code, Frame, encode_body

CHOICES = ("yes", "no", "abstain")
DEFAULT_SEATS = {"tcp": 1000, "serial": 100, "can": 100}
BITS_PER_BYTE = 10


def register_bench(kinds: Any) -> None:
    """Add ``conference`` to the sub-parsers of ``renda bench`` (``apps.bench.BENCH_MODULES``)."""
    p = kinds.add_parser("conference", help="电子表决性能：按键到计票、闭会到结果、串口轮询周期",
                         description="电子表决性能：按键到计票的延迟、闭会到结果的时间、串口轮询周期；最后一行是 JSON",
                         epilog=examples(("renda bench conference --link tcp --seats 1000", "1000 个 TCP 席位在 1 秒内按键"),
                                         ("renda bench conference --link serial --seats 100 --baud 115200",
                                          "RS-485 串口 100 个席位（有 socat 时用 PTY 对）"),
                                         "renda bench conference --link can --seats 100"))
    p.add_argument("--link", choices=sorted(DEFAULT_SEATS), required=True, help="链路：tcp、serial 或 can")
    p.add_argument("--seats", type=int, default=None, help="席位数 N（默认 TCP 1000，串口和 CAN 100）")
    p.add_argument("--baud", type=int, default=115_200, help="串口波特率（默认 115200）")
    p.add_argument("--window", type=float, default=1.0, help="所有席位在多少秒内按键（默认 1 秒）")
    p.add_argument("--gateways", type=int, default=1, help="TCP：终端经几个网关连接（每个网关一条连接）")
    p.add_argument("--serial-via", choices=("auto", "pty", "loop"), default="auto",
                   help="串口：socat PTY 对或 pyserial loop://（默认有 socat 就用 PTY）")
    p.add_argument("--seed", type=int, default=7, help="按键时刻的随机种子")
    p.set_defaults(func=run_conference_bench)


def _log(message: str) -> None:
    print(message, flush=True)


# --- the serial line: bytes held for their time on the wire ------------------------------------------


def wire_seconds(frame_bytes: int, baud: int) -> float:
    """Time ``frame_bytes`` take on an asynchronous serial line (start + 8 data + stop bits each)."""
    return frame_bytes * BITS_PER_BYTE / baud


def _hold(seconds: float) -> None:
    if seconds <= 0:
        return
    end = time.perf_counter() + seconds
    if seconds > 0.0003:
        time.sleep(seconds - 0.0002)  # the rest is spun: a sleep overshoots by tens of microseconds
    while time.perf_counter() < end:
        time.sleep(0)


class Wire:
    """The one shared RS-485 pair: a frame occupies it for its wire time, one frame at a time.

    A frame is written to the emulating link (PTY or loop) when its sender starts transmitting and is
    due at the receiver one wire time later, as the last stop bit arrives; the emulation's own relay
    (a few hundred microseconds through socat) overlaps with that time, as a UART receives while the
    bytes are on the wire. A sender waits while another frame is still on the line.
    """

    def __init__(self, baud: int) -> None:
        self.baud = baud
        self.busy_until = 0.0
        self._due: dict[bytes, deque[float]] = {}
        self._lock = threading.Lock()

    def transmit(self, body: bytes) -> None:
        """Wait for the line to be free, then book it for ``body``."""
        with self._lock:
            start = max(time.perf_counter(), self.busy_until)
            self.busy_until = start + wire_seconds(len(stuff(body)), self.baud)
            self._due.setdefault(body, deque()).append(self.busy_until)
        _hold(start - time.perf_counter())

    def arrived(self, frame: Frame) -> None:
        """Hold a received frame until its last byte would have arrived."""
        body = encode_body(frame)
        with self._lock:
            dues = self._due.get(body)
            due = dues.popleft() if dues else 0.0
            if dues is not None and not dues:
                del self._due[body]
        _hold(due - time.perf_counter())


class PacedLine(SeatBus):
    """One end of an emulated serial line whose frames take their wire time (see :class:`Wire`)."""

    driver_name: ClassVar[str] = "paced"
    half_duplex: ClassVar[bool] = True

    def __init__(self, inner: SeatBus, wire: Wire) -> None:
        super().__init__()
        self.inner = inner
        self.wire = wire
        self.stats = inner.stats
        self.polled = True

    def send(self, frame: Frame) -> None:
        self.send_body(encode_body(frame))

    def send_body(self, body: bytes) -> None:
        self._check_open()
        self.wire.transmit(body)
        self.inner.send_body(body)

    def _recv_internal(self, timeout: float | None) -> Frame | None:
        frame = self.inner.recv(timeout)
        if frame is not None:
            self.wire.arrived(frame)
        return frame

    def _shutdown_internal(self) -> None:
        self.inner.shutdown()


class _LoopHub:
    """One pyserial ``loop://`` port shared by the console and the seats: frames are sorted by direction."""

    def __init__(self, baud: int) -> None:
        import serial

        self.port = serial.serial_for_url("loop://", baudrate=baud, timeout=0.01)
        self.decoder = StreamDecoder()
        self.inbox: dict[bool, queue.SimpleQueue[Frame]] = {True: queue.SimpleQueue(), False: queue.SimpleQueue()}
        self.write_lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._read, name="loop-hub", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.stop.is_set():
            data = self.port.read(max(1, self.port.in_waiting))
            for frame in self.decoder.feed(data):
                self.inbox[frame.from_seat].put(frame)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2.0)
        self.port.close()


class _LoopEnd(SeatBus):
    """The console's end (hears seats) or the seats' end (hears the console) of a :class:`_LoopHub`."""

    driver_name: ClassVar[str] = "loop-end"
    half_duplex: ClassVar[bool] = True

    def __init__(self, hub: _LoopHub, console: bool) -> None:
        super().__init__()
        self.hub = hub
        self.inbox = hub.inbox[console]

    def send(self, frame: Frame) -> None:
        self.send_body(encode_body(frame))

    def send_body(self, body: bytes) -> None:
        self._check_open()
        with self.hub.write_lock:
            self.hub.port.write(stuff(body))
        self.stats.frames_sent += 1

    def _recv_internal(self, timeout: float | None) -> Frame | None:
        try:
            return self.inbox.get(timeout=0.05 if timeout is None else timeout)
        except queue.Empty:
            return None


@contextmanager
def _pty_pair() -> Iterator[tuple[str, str]]:
    proc = subprocess.Popen(["socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    names: list[str] = []
    try:
        while len(names) < 2:
            line = proc.stderr.readline()
            if not line:
                raise RuntimeError("socat did not open two PTYs")
            if "PTY is" in line:
                names.append(line.strip().rsplit(" ", 1)[-1])
        yield names[0], names[1]
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        proc.stderr.close()


# --- the links ---------------------------------------------------------------------------------------


@contextmanager
def open_links(args: argparse.Namespace, stack: ExitStack) -> Iterator[tuple[SeatBus, list[SeatBus], str]]:
    """The console bus, the seat-side buses (one per gateway) and a description of the link."""
    from devices.seats import open_link

    if args.link == "tcp":
        from devices.seats.drivers.tcp import TcpSeatBus

        console = stack.enter_context(open_link("tcp://127.0.0.1:0", listen=True))
        assert isinstance(console, TcpSeatBus)
        host, port = console.address
        sides = [stack.enter_context(open_link(f"tcp://{host}:{port}")) for _ in range(max(1, args.gateways))]
        console.wait_for_connections(len(sides), timeout=10.0)
        yield console, sides, f"TCP {host}:{port}，{len(sides)} 条连接"
    elif args.link == "can":
        channel = f"bench-{time.monotonic_ns()}"
        console = stack.enter_context(open_link(f"can://virtual/{channel}"))
        side = stack.enter_context(open_link(f"can://virtual/{channel}"))
        yield console, [side], f"CAN（python-can virtual，通道 {channel}，8 字节分段）"
    else:
        via = args.serial_via
        if via == "auto":
            via = "pty" if shutil.which("socat") else "loop"
        if via == "pty":
            a, b = stack.enter_context(_pty_pair())
            inner_console = stack.enter_context(open_link(f"serial://{a}?baudrate={args.baud}"))
            inner_side = stack.enter_context(open_link(f"serial://{b}?baudrate={args.baud}"))
            how = f"socat PTY 对 {a} ↔ {b}"
        else:
            hub = _LoopHub(args.baud)
            stack.callback(hub.close)
            inner_console, inner_side = _LoopEnd(hub, console=True), _LoopEnd(hub, console=False)
            how = "pyserial loop://（两端共用一个回环端口）"
        wire = Wire(args.baud)
        console = stack.enter_context(PacedLine(inner_console, wire))
        side = stack.enter_context(PacedLine(inner_side, wire))
        yield console, [side], (f"串口 {how}，{args.baud} 波特；该链路本身不限速，每帧在线上占用"
                                f"（每字节 10 位）的时间由程序模拟：发送方等线路空闲，接收方到最后一位到达时才收到")


# --- the run -----------------------------------------------------------------------------------------


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def _wait(what: str, check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"等待超时：{what}")
        time.sleep(0.005)


def run_conference_bench(args: argparse.Namespace) -> int:
    from apps.kiosk.runtime import Change, ConferenceRuntime
    from core.conference import events as ev
    from core.conference.meeting import AgendaItem, MeetingSetup, Member, VoteSettings
    from core.conference.state import ConferenceState
    from devices.seats.simulator import SeatSimulator

    n = int(args.seats or DEFAULT_SEATS[args.link])
    if not 1 <= n <= 4095:
        _log("席位数须在 1–4095 之间")
        return 2
    seats = list(range(1, n + 1))
    setup = MeetingSetup(
        meeting_id="bench", title="基准测试会议",
        members=tuple(Member(f"m{i:04d}", f"委员{i}") for i in seats),
        seats={i: f"m{i:04d}" for i in seats},
        agenda=(AgendaItem("b1", "基准测试议案", settings=VoteSettings()),),
        chair_seats=frozenset({1}),
    )
    work = Path(tempfile.mkdtemp(prefix="renda-conference-bench-"))
    rng = random.Random(args.seed)

    def voted(state: ConferenceState) -> int:
        current = state.voting.current
        return 0 if current is None else len(current.ballots[0].voted)

    with ExitStack() as stack:
        console, sides, how = stack.enter_context(open_links(args, stack))
        _log(f"电子表决基准测试：{n} 个席位，链路 {how}；会议日志 {work}")
        per = -(-n // len(sides))
        sims = [stack.enter_context(SeatSimulator(side, seats[i * per:(i + 1) * per])) for i, side in enumerate(sides)]
        sim_of = {seat: sim for sim in sims for seat in sim.seats}
        rt = stack.enter_context(ConferenceRuntime(work, setup, bus=console))

        started = time.monotonic()
        for seat in seats:
            sim_of[seat].press(seat, "sign_in")
        if not rt.wait_until(lambda s: s.attendance.present_count == n, 120.0):
            _log(f"报到未完成：{rt.read(lambda s: s.attendance.present_count)} / {n}")
            return 1
        _wait("报到指示灯命令发送完毕", lambda: rt.pending_commands() == 0, 120.0)
        _log(f"{n} 个席位报到完毕：{time.monotonic() - started:.2f} 秒（含每席位的报到指示灯命令）")
        if not rt.open_meeting().ok or not rt.open_vote("b1").ok:
            _log("无法开始表决")
            return 1
        _wait("各席位收到表决开始", lambda: all(v.vote_id == 1 for sim in sims for v in sim.seats.values()), 30.0)

        tallied: dict[int, float] = {}

        def on_change(change: Change) -> None:
            now = time.monotonic()
            for message, outcome in change.applied:
                if isinstance(message, ev.VoteCast) and outcome.ok:
                    tallied.setdefault(message.seat, now)

        rt.subscribe(on_change)
        retransmitted_before = sum(sim.stats.retransmissions for sim in sims)
        offsets = sorted((rng.uniform(0.0, args.window), seat) for seat in seats)
        pressed: dict[int, float] = {}
        origin = time.monotonic() + 0.05
        for offset, seat in offsets:
            delay = origin + offset - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pressed[seat] = time.monotonic()
            sim_of[seat].press(seat, CHOICES[seat % 3])
        rt.wait_until(lambda s: voted(s) == n, 30.0)
        _wait("计票通知送达", lambda: len(tallied) >= rt.read(voted), 10.0)  # subscribers hear after the rules
        last_tally = max(tallied.values(), default=origin)
        _log(f"按键持续 {max(pressed.values()) - origin:.3f} 秒；最后一票计入于按键开始后 {last_tally - origin:.3f} 秒；"
             f"已计 {rt.read(voted)} / {n}")

        t0 = time.monotonic()
        outcome = rt.close_vote()
        snap = rt.snapshot()
        close_s = time.monotonic() - t0
        result = snap["voting"]["results"][-1] if snap["voting"]["results"] else {}
        question = (result.get("questions") or [{}])[0]
        _log(f"闭会到结果：{close_s * 1000:.1f} 毫秒；结果 赞成 {question.get('yes')} 反对 {question.get('no')} "
             f"弃权 {question.get('abstain')} 未按键 {question.get('not_voted')}（{question.get('verdict')}）"
             + ("" if outcome.ok else f"；闭会被拒绝：{outcome.message}"))

        figures: dict[str, Any] = {"seats": n}
        if args.link == "serial":
            mark = rt.stats.cycles
            _wait("结果显示命令发送完毕", lambda: rt.pending_commands() == 0, 30.0)
            mark = rt.stats.cycles
            _wait("空闲轮询 10 个周期", lambda: rt.stats.cycles >= mark + 12, 60.0)
            idle = [s for s, seen in list(rt.stats.cycle_times)[-10:] if seen == 0]
            busy = [s for s, seen in rt.stats.cycle_times if seen > 0]
            poll_cycle = statistics.median(idle) if idle else float("nan")
            wire = sum(
                wire_seconds(len(stuff(encode_body(Frame(code=Code.POLL, address=a)))), args.baud)
                + wire_seconds(len(stuff(encode_body(Frame(code=Code.KEEP_ALIVE, address=a, seq=sim_of[a].seats[a].seq or 0,
                                                                from_seat=True)))), args.baud)
                for a in seats
            )
            _log(f"空闲轮询周期（中位数，{len(idle)} 个周期）：{poll_cycle * 1000:.1f} 毫秒；"
                 f"有事件的周期最长 {max(busy, default=0.0) * 1000:.1f} 毫秒；"
                 f"线上时间下限 {wire * 1000:.1f} 毫秒；应答等待已调整为 {rt.stats.reply_timeout * 1000:.1f} 毫秒")
            figures.update(poll_cycle_ms=round(poll_cycle * 1000, 2), wire_limit_ms=round(wire * 1000, 2),
                           poll_vs_wire=round(poll_cycle / wire, 3))
        else:
            latencies = [(tallied[s] - pressed[s]) * 1000 for s in seats if s in tallied]
            lost = (n - len(latencies)) + console.stats.dropped + sum(side.stats.dropped for side in sides)
            retransmissions = sum(sim.stats.retransmissions for sim in sims) - retransmitted_before
            if latencies:
                _log(f"按键到计票：p50 {_percentile(latencies, 50):.1f} 毫秒，p99 {_percentile(latencies, 99):.1f} 毫秒，"
                     f"最长 {max(latencies):.1f} 毫秒；表决期间终端重发 {retransmissions} 次；丢失 {lost}")
            figures.update(
                p99_press_to_tally_ms=round(_percentile(latencies, 99), 2) if latencies else None,
                close_to_result_ms=round(close_s * 1000, 2),
                frames_lost=lost,
                retransmits=retransmissions,
            )
        errors = [str(e) for e in [rt.error, *(sim.error for sim in sims)] if e is not None]
        if errors:
            _log("链路故障：" + "；".join(errors))
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))
    return 1 if errors else 0
