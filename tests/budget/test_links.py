"""Pulls from the bureaus over real HTTP on 127.0.0.1: good, repeated, bad, broken, slow, oversize, cancelled."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.budget.importers import SPECS
from core.budget.links import (
    ADAPTERS,
    Limits,
    LinkError,
    LinkStore,
    ManifestEntry,
    ManifestError,
    parse_manifest,
    pull,
    store_token,
)
from core.budget.links.protocol import manifest_json
from core.budget.models import AuditFinding, Payment, Project
from tests.budget.helpers import seed_reference, snapshot

PAY = SPECS["payments"].headers


def pay_row(no: str, amount: str, **over: str) -> list[str]:
    row = {"年度": "2025", "支付编号": no, "支付申请号": "", "支付日期": "2025-03-05", "收款人": "上海某某科技有限公司",
           "收款账号": "6222000011112222", "支付金额（元）": amount, "支付方式": "国库集中支付", "用途": "设备维护",
           "预算类型": "一般公共预算", "功能科目": "2050203", "经济科目": "30213", "部门编码": "D010",
           "单位编码": "", "项目编码": "P001", "指标编号": "ZB001"}
    row.update(over)
    return [row[h] for h in PAY]


def csv_bytes(header: tuple[str, ...], rows: list[list[str]]) -> bytes:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


GOOD_PAYMENTS = csv_bytes(PAY, [pay_row("ZF001", "1234.56"), pay_row("ZF002", "100", 部门编码="D031",
                                                                      功能科目="2010101")])
GOOD_PROJECTS = csv_bytes(SPECS["projects"].headers, [
    ["2025", "P001", "义务教育设备更新", "一般公共预算", "D010", "", "2050203", "30213", "项目支出", "1000000"]])
BAD_PAYMENTS = csv_bytes(PAY, [pay_row("ZF101", "12.345"), pay_row("ZF102", "100", 部门编码="D999")])


@dataclass
class Offered:
    cursor: str
    kind: str
    name: str
    body: bytes
    served: bytes | None = None
    """What the server really sends (default: ``body``), to simulate damage."""
    size: int | None = None


@dataclass
class Bureau:
    """The state of a fake bureau's interface."""

    name: str = "finance"
    files: list[Offered] = field(default_factory=list)
    token: str = ""
    manifest_override: bytes | None = None
    status: int = 200
    delay: float = 0.0
    requests: list[str] = field(default_factory=list)

    def manifest(self, since: str) -> bytes:
        entries = [ManifestEntry(f.cursor, f.kind, 2025, "2025-03", f.name, hashlib.sha256(f.body).hexdigest(),
                                 len(f.body) if f.size is None else f.size, f"files/{f.name}")
                   for f in self.files if f.cursor > since]
        return manifest_json(self.name, entries).encode()


class BureauServer:
    """A real HTTP(S) server in a thread serving a :class:`Bureau`."""

    def __init__(self, bureau: Bureau, tls: tuple[Path, Path] | None = None) -> None:
        self.bureau = bureau
        state = bureau

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                state.requests.append(self.path)
                if state.token and self.headers.get("Authorization") != f"Bearer {state.token}":
                    return self._send(401, b"no")
                if state.status != 200:
                    return self._send(state.status, b"broken")
                parts = urlsplit(self.path)
                if parts.path.endswith("/files"):
                    since = parse_qs(parts.query).get("since", [""])[0]
                    body = state.manifest_override or state.manifest(since)
                    return self._send(200, body)
                for f in state.files:
                    if parts.path.endswith("/files/" + f.name):
                        if state.delay:
                            time.sleep(state.delay)
                        return self._send(200, f.body if f.served is None else f.served)
                return self._send(404, b"missing")

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}/exchange/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def bureau() -> Bureau:
    return Bureau(files=[Offered("000001", "payments", "payments-2025-03.csv", GOOD_PAYMENTS),
                         Offered("000002", "projects", "projects-2025.csv", GOOD_PROJECTS)])


@pytest.fixture
def server(bureau: Bureau) -> Iterator[BureauServer]:
    srv = BureauServer(bureau)
    yield srv
    srv.close()


@pytest.fixture
def links(tmp_path: Path, server: BureauServer) -> LinkStore:
    store = LinkStore(tmp_path / "links")
    store.update("finance", url=server.url, enabled=True)
    return store


@pytest.fixture
def seeded(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    seed_reference(factory)
    return factory


FAST = Limits(connect_timeout=2, read_timeout=0.5, max_file_bytes=100_000)


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_good_pull_imports_keeps_the_files_and_moves_the_cursor(links: LinkStore, seeded: Any,
                                                                engine: Engine) -> None:
    seen: list[str] = []
    result = pull("finance", links, engine, limits=FAST, progress=lambda d, t, stage: seen.append(stage))
    assert result.ok, result.report()
    assert (result.inserted, result.cursor_before, result.cursor_after) == (3, "", "000002")
    assert [f.status for f in result.files] == ["imported", "imported"]
    assert [f.entry.kind for f in result.files] == ["projects", "payments"]  # references first
    assert "新增 3 行" in result.message and "导入 2 个" in result.message
    assert count(engine, Project) == 1
    assert any(s.startswith("下载") for s in seen) and any(s.startswith("写入") for s in seen)
    assert count(engine, Payment) == 2
    saved = links.get("finance")
    assert saved.cursor == "000002" and saved.last_ok is True and saved.next_pull() is not None
    kept = sorted(p.name for p in links.received_dir("finance").iterdir())
    assert kept == ["000001-payments-2025-03.csv", "000002-projects-2025.csv"]
    assert (links.received_dir("finance") / kept[0]).read_bytes() == GOOD_PAYMENTS
    with Session(engine) as s:
        assert {p.source for p in s.scalars(select(Payment))} == {"市财政局接口"}


def test_the_same_pull_again_changes_nothing(links: LinkStore, seeded: Any, engine: Engine,
                                             bureau: Bureau) -> None:
    assert pull("finance", links, engine, limits=FAST).ok
    before = snapshot(engine)
    again = pull("finance", links, engine, limits=FAST)
    assert again.ok and again.files == [] and "没有新的文件" in again.message
    assert bureau.requests[-1].endswith("since=000002")
    assert snapshot(engine) == before
    links.update("finance", cursor="")  # as after a crash between the import and saving the cursor
    repeat = pull("finance", links, engine, limits=FAST)
    assert repeat.ok and (repeat.inserted, repeat.unchanged) == (0, 3)
    after = snapshot(engine)
    for volatile in ("bgt_import_log", "sync_counter"):
        before.pop(volatile), after.pop(volatile)
    assert after == before


def test_bad_rows_import_nothing_keep_the_cursor_and_report_each_row(links: LinkStore, seeded: Any,
                                                                      engine: Engine, bureau: Bureau) -> None:
    bureau.files.append(Offered("000003", "payments", "payments-2025-04.csv", BAD_PAYMENTS))
    before = snapshot(engine)
    result = pull("finance", links, engine, limits=FAST)
    assert not result.ok and result.reason == "rows"
    report = result.report()
    assert "payments-2025-04.csv" in report and "没有导入" in report
    assert "第 2 行，“支付金额（元）”列" in report and "第 3 行，“部门编码”列" in report
    assert snapshot(engine) == before  # the good file of the same pull is rolled back too
    saved = links.get("finance")
    assert saved.cursor == "" and saved.last_ok is False and "没有前移" in saved.last_message


@pytest.mark.parametrize(("setup", "reason", "words"), [
    (lambda b: setattr(b.files[0], "served", GOOD_PAYMENTS.replace(b"1234.56", b"1234.57")), "checksum", "校验值"),
    (lambda b: setattr(b, "manifest_override", b'{"protocol": "renda-budget-pull/1", "files": [{"kind": 1}]}'),
     "manifest", "文件清单格式不正确"),
    (lambda b: setattr(b, "manifest_override", b"<html>not json</html>"), "manifest", "不是有效的 JSON"),
    (lambda b: setattr(b, "status", 500), "server", "HTTP 500"),
    (lambda b: setattr(b, "delay", 3.0), "timeout", "秒内没有应答"),
    (lambda b: setattr(b.files[0], "size", 500_000), "oversize", "超过单个文件上限"),
    (lambda b: setattr(b.files[0], "served", GOOD_PAYMENTS + b"x" * 10), "oversize", "实际大小超过"),
    (lambda b: setattr(b, "token", "s3cret"), "auth", "拒绝了本机的身份"),
    (lambda b: setattr(b.files[0], "kind", "tax"), "manifest", "不是市财政局报送的数据"),
])
def test_broken_link_gives_a_clear_message_and_changes_nothing(links: LinkStore, seeded: Any, engine: Engine,
                                                               bureau: Bureau, setup: Any, reason: str,
                                                               words: str) -> None:
    setup(bureau)
    before = snapshot(engine)
    result = pull("finance", links, engine, limits=FAST)
    assert not result.ok and result.reason == reason, result.message
    assert words in result.message and result.message.startswith("市财政局：")
    assert snapshot(engine) == before
    assert links.get("finance").cursor == ""


def test_token_from_the_keyring_is_sent(links: LinkStore, seeded: Any, engine: Engine, bureau: Bureau) -> None:
    bureau.token = "s3cret"
    store_token("finance", "s3cret")
    assert pull("finance", links, engine, limits=FAST).ok


def test_server_down_and_plain_http_elsewhere(tmp_path: Path, seeded: Any, engine: Engine) -> None:
    store = LinkStore(tmp_path / "links")
    store.update("tax", url="http://127.0.0.1:9/exchange/", enabled=True)
    down = pull("tax", store, engine, limits=FAST)
    assert down.reason == "connection" and "无法连接市税务局接口" in down.message
    store.update("tax", url="http://tax.example.gov.cn/exchange/")
    plain = pull("tax", store, engine, limits=FAST)
    assert plain.reason == "settings" and "https://" in plain.message


def test_file_address_on_another_server_is_refused(links: LinkStore, seeded: Any, engine: Engine,
                                                   bureau: Bureau) -> None:
    entry = {"cursor": "1", "kind": "payments", "year": 2025, "period": "", "name": "p.csv",
             "sha256": "0" * 64, "size": 10, "url": "https://evil.example.com/p.csv"}
    bureau.manifest_override = json.dumps({"protocol": "renda-budget-pull/1", "files": [entry]}).encode()
    result = pull("finance", links, engine, limits=FAST)
    assert result.reason == "manifest" and "不在本接口的服务器上" in result.message


def test_certificate_the_workstation_does_not_trust(tmp_path: Path, seeded: Any, engine: Engine,
                                                   bureau: Bureau) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    srv = BureauServer(bureau, tls=(cert, key))
    try:
        store = LinkStore(tmp_path / "links")
        store.update("finance", url=srv.url, enabled=True)
        refused = pull("finance", store, engine, limits=FAST)
        assert refused.reason == "certificate" and "证书校验失败" in refused.message
        store.update("finance", ca_file=str(cert))
        assert pull("finance", store, engine, limits=FAST).ok
    finally:
        srv.close()


@pytest.mark.parametrize("stage", ["下载", "写入"])
def test_cancel_mid_pull_changes_nothing(links: LinkStore, seeded: Any, engine: Engine, bureau: Bureau,
                                         stage: str) -> None:
    bureau.files.append(Offered("000003", "payments", "payments-2025-04.csv",
                                csv_bytes(PAY, [pay_row("ZF201", "5")])))
    cancel = threading.Event()

    def progress(done: int, total: int, text: str) -> None:
        if text.startswith(stage) and ("2025-04" in text or "（3/3）" in text):
            cancel.set()

    before = snapshot(engine)
    result = pull("finance", links, engine, limits=FAST, progress=progress, cancel=cancel)
    assert cancel.is_set() and not result.ok and result.reason == "cancelled"
    assert "没有" in result.message
    assert snapshot(engine) == before and links.get("finance").cursor == ""


def test_every_bureau_has_an_adapter_for_its_files() -> None:
    assert set(ADAPTERS) >= {"finance", "tax", "social", "assets", "audit"}
    covered = {k for cls in ADAPTERS.values() for k in cls.kinds}
    assert covered >= set(SPECS)


def test_audit_bureau_pull(tmp_path: Path, seeded: Any, engine: Engine) -> None:
    body = csv_bytes(SPECS["audit"].headers, [["2025", "SJ2025-01", "D031", "", "预算执行", "超预算支出", "", "15000",
                                               "整改中", "5000", "", "2025-12-31"]])
    srv = BureauServer(Bureau(name="audit", files=[Offered("a1", "audit", "audit-2025.csv", body)]))
    try:
        store = LinkStore(tmp_path / "links")
        store.update("audit", url=srv.url.rstrip("/"), enabled=True)
        result = pull("audit", store, engine, limits=FAST)
        assert result.ok and result.inserted == 1 and count(engine, AuditFinding) == 1
    finally:
        srv.close()


# the manifest parser ---------------------------------------------------------------------------------------

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=20)
entry_fields = st.fixed_dictionaries({
    "cursor": st.text(max_size=10) | st.integers(), "kind": st.sampled_from(["payments", "tax", "", "X"]),
    "year": st.integers(1990, 2110) | st.text(max_size=4), "period": st.text(max_size=25),
    "name": st.text(max_size=20) | st.just("a.csv"), "sha256": st.sampled_from(["a" * 64, "xyz"]),
    "size": st.integers(-5, 10**9), "url": st.text(max_size=10),
})


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200), json_values.map(json.dumps),
                 st.lists(entry_fields, max_size=3).map(
                     lambda files: json.dumps({"protocol": "renda-budget-pull/1", "files": files}))))
def test_manifest_parser_never_crashes(body: bytes | str) -> None:
    try:
        manifest = parse_manifest(body)
    except ManifestError as exc:
        assert isinstance(exc, LinkError) and "文件清单格式不正确" in str(exc)
        return
    for entry in manifest.files:
        assert len(entry.sha256) == 64 and 2000 <= entry.year <= 2100 and entry.size >= 0
        assert "/" not in entry.name and ".." not in entry.name


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[0-9]{1,8}", fullmatch=True), st.sampled_from(sorted(SPECS)),
                          st.integers(2000, 2100), st.binary(max_size=50)), max_size=5, unique_by=lambda t: t[0]))
def test_manifest_round_trip(items: list[tuple[str, str, int, bytes]]) -> None:
    entries = [ManifestEntry(c, k, y, f"{y}", f"{k}-{c}.csv", hashlib.sha256(b).hexdigest(), len(b), f"files/{c}")
               for c, k, y, b in items]
    assert list(parse_manifest(manifest_json("finance", entries)).files) == entries
