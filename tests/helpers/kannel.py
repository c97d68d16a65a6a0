"""A real Kannel for tests: bearerbox, smsbox and the ``fakesmsc`` test SMSC, on free 127.0.0.1 ports.

``fakesmsc`` (package ``kannel-extras``) plays the operator's SMS centre: it logs every message bearerbox
hands it as ``Got message N: <from to type [udh] data>`` with the data URL-encoded (UCS-2 big-endian for
Chinese), and answers each with delivery reports (types 8 and 1) that Kannel fetches from ``dlr-url``.
The fake SMSC has no listen-address option: it listens on every interface but accepts connections from
127.0.0.1 only (``connect-allow-ip``); everything else listens on 127.0.0.1. The gateway can be stopped and started again (:meth:`Kannel.stop_boxes` / :meth:`Kannel.start_boxes`) while
the SMSC keeps running.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

from tests.helpers.waits import wait_for

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
USER, PASSWORD, ADMIN_PASSWORD, SENDER = "renda", "sms-test", "admin-test", "10690"


def missing_binaries() -> list[str]:
    return [p for p in (BEARERBOX, SMSBOX, FAKESMSC) if shutil.which(p) is None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Received:
    """One message as the SMSC got it."""

    sender: str
    to: str
    udh: bytes
    text: str


def parse_fakesmsc(line: str) -> Received | None:
    """``Got message 3: <10690 13800138000 udh %05%00%03%00%02%01 data %60%A8…>`` → :class:`Received`."""
    marker = "Got message "
    if marker not in line or "<" not in line:
        return None
    body = line[line.index("<", line.index(marker)) + 1:line.rindex(">")]
    sender, to, kind, rest = body.split(" ", 3)
    udh = b""
    if kind in ("udh", "udh-data", "udh-text"):
        udh_text, kind, rest = rest.split(" ", 2)
        udh = urllib.parse.unquote_to_bytes(udh_text)
    raw = urllib.parse.unquote_to_bytes(rest.replace("+", "%20") if kind != "text" else rest)
    if kind in ("ucs2", "ucs-2", "data"):
        try:
            text = raw.decode("utf-16-be")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    else:
        text = raw.decode("utf-8", "replace")
    return Received(sender, to, udh, text)


@dataclass
class Kannel:
    root: Path
    admin_port: int = field(default_factory=free_port)
    box_port: int = field(default_factory=free_port)
    smsc_port: int = field(default_factory=free_port)
    sendsms_port: int = field(default_factory=free_port)
    _boxes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _logs: list[IO[bytes]] = field(default_factory=list)

    @property
    def conf(self) -> Path:
        return self.root / "kannel.conf"

    @property
    def smsc_log(self) -> Path:
        return self.root / "fakesmsc.out"

    @property
    def gateway_url(self) -> str:
        return f"kannel://{USER}:{PASSWORD}@127.0.0.1:{self.sendsms_port}?from={SENDER}"

    def write_conf(self) -> None:
        self.conf.write_text(f"""group = core
admin-port = {self.admin_port}
admin-password = {ADMIN_PASSWORD}
admin-interface = 127.0.0.1
admin-allow-ip = 127.0.0.1
smsbox-port = {self.box_port}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = "{self.root / 'bearerbox.log'}"
log-level = 1
dlr-storage = internal
store-type = file
store-location = "{self.root / 'kannel.store'}"

group = smsc
smsc = fake
smsc-id = fake
port = {self.smsc_port}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {self.box_port}
sendsms-port = {self.sendsms_port}
sendsms-interface = 127.0.0.1
log-file = "{self.root / 'smsbox.log'}"
log-level = 1

group = sendsms-user
username = {USER}
password = {PASSWORD}
max-messages = 10
concatenation = true

group = sms-service
keyword = default
text = "ok"
catch-all = true
""", encoding="utf-8")

    def _spawn(self, argv: list[str], name: str) -> subprocess.Popen[bytes]:
        out = open(self.root / name, "ab")  # noqa: SIM115 (closed in stop)
        self._logs.append(out)
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=self.root)

    def _port_open(self, port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    def _smsc_online(self) -> bool:
        try:
            reply = requests.get(f"http://127.0.0.1:{self.admin_port}/status.txt",
                                 params={"password": ADMIN_PASSWORD}, timeout=1)
        except requests.RequestException:
            return False
        return any(line.strip().startswith("fake[fake]") and "online" in line for line in reply.text.splitlines())

    def start_boxes(self) -> None:
        """Start bearerbox, then smsbox (it needs bearerbox up), then the SMSC, waiting for each to answer."""
        self._boxes.append(self._spawn([BEARERBOX, str(self.conf)], "bearerbox.out"))
        wait_for(lambda: self._port_open(self.box_port) and self._port_open(self.admin_port), what="bearerbox")
        self._boxes.append(self._spawn([SMSBOX, str(self.conf)], "smsbox.out"))
        wait_for(lambda: self._port_open(self.sendsms_port), what="smsbox")
        self._boxes.append(self._spawn([FAKESMSC, "-H", "127.0.0.1", "-r", str(self.smsc_port), "-i", "1", "-m", "0",
                                        f"{SENDER} 100 text hello"], "fakesmsc.out"))
        wait_for(self._smsc_online, what="fakesmsc connection")

    def start(self) -> Kannel:
        self.write_conf()
        self.start_boxes()
        return self

    def stop_boxes(self) -> None:
        """Stop the gateway (smsbox, bearerbox) and the SMSC: sending fails until :meth:`start_boxes`."""
        for proc in reversed(self._boxes):
            _terminate(proc)
        self._boxes.clear()

    def stop(self) -> None:
        self.stop_boxes()
        for log in self._logs:
            log.close()
        self._logs.clear()

    def received(self) -> list[Received]:
        """Every message part the SMSC has got so far, in order."""
        if not self.smsc_log.exists():
            return []
        out = []
        for line in self.smsc_log.read_text(encoding="utf-8", errors="replace").splitlines():
            got = parse_fakesmsc(line)
            if got is not None:
                out.append(got)
        return out


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def joined(parts: list[Received]) -> str:
    return "".join(p.text for p in parts)
