"""The link to the personnel appointments system, against a real HTTP server on 127.0.0.1: files imported in
order with the cursor, an idempotent re-pull, a refused file (row and column, nothing of it imported), checksum,
size, malformed list, server down and time-out (nothing imported, cursor kept), the adapter registry, and the
``renda cadre link`` commands."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from apps.cadre.cli_link import register_link
from core.cadre import appointments_link as link
from core.cadre.appointments import COLUMNS
from core.cadre.appointments_link import (
    AppointmentsLinkError,
    FileRefused,
    Limits,
    LinkConfig,
    ManifestEntry,
    ManifestRefused,
    adapter_for,
    parse_manifest,
)
from core.cadre.appointments_link_pull import load_state, pull
from core.cadre.models import CadPerson
from core.db import make_engine, make_session_factory
from core.sync.stamping import install_server_hooks
from tests.helpers.sqlite import copy_of

TODAY = date(2026, 12, 5)
HEADER = [c.header for c in COLUMNS]


def _id(birth: str, seq: str, male: bool) -> str:
    body = f"310101{birth.replace('-', '')}{seq}{'1' if male else '2'}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


ZHANG = ["张建国", "男", "1966-05-12", _id("1966-05-12", "12", True), "", "汉族", "上海", "市人大常委会办公厅", "处长",
         "正处级", "1988-07-01", "1990-06-15", "沪人任〔2026〕12号", "13800138000"]
LI = ["李秀英", "女", "1971-03-02", "", "", "汉族", "江苏", "市人大常委会研究室", "副主任", "副局级", "1993-07-01", "",
      "沪人任〔2026〕13号", ""]
WU = ["吴芳", "女", "1976-08-20", "", "50", "汉族", "上海", "机关服务中心", "", "", "1995-09-01", "", "沪人任〔2026〕14号", ""]


def csv_file(*rows: list[str]) -> bytes:
    return ("\ufeff" + "\n".join(",".join(r) for r in [HEADER, *rows]) + "\n").encode("utf-8")


def xlsx_file(*rows: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------ the fake system
@dataclass
class Offered:
    cursor: str
    name: str
    data: bytes
    sha256: str = ""
    size: int = 0

    def entry(self) -> dict[str, Any]:
        return {"cursor": self.cursor, "name": self.name, "url": f"files/{self.cursor}",
                "sha256": self.sha256 or hashlib.sha256(self.data).hexdigest(), "size": self.size or len(self.data)}


@dataclass
class AppointmentsSystem:
    """A local appointments system: offers files after a cursor; a test may replace the list's answer."""

    files: list[Offered] = field(default_factory=list)
    listing: bytes | None = None
    status: int = 200
    hold: threading.Event | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(path with query, Authorization header) of every request."""
    url: str = ""

    def answer(self, path: str, auth: str) -> tuple[int, bytes]:
        self.requests.append((path, auth))
        if self.hold is not None:
            self.hold.wait(10)
        if self.status != 200:
            return self.status, b"{}"
        parts = urlsplit(path)
        if parts.path == "/api/files":
            if self.listing is not None:
                return 200, self.listing
            since = parse_qs(parts.query).get("since", [""])[0]
            cursors = [f.cursor for f in self.files]
            start = cursors.index(since) + 1 if since in cursors else 0
            offered = [f.entry() for f in self.files[start:]]
            body = {"protocol": link.PROTOCOL, "source": "测试人事任免系统", "files": offered, "more": False}
            return 200, json.dumps(body, ensure_ascii=False).encode()
        for f in self.files:
            if parts.path == f"/api/files/{f.cursor}":
                return 200, f.data
        return 404, b"not found"


@pytest.fixture
def system() -> Iterator[AppointmentsSystem]:
    state = AppointmentsSystem()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = state.answer(self.path, self.headers.get("Authorization", ""))
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (time-out test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    yield state
    if state.hold is not None:
        state.hold.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def db(migrated_sqlite: Path, tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session]]]:
    url = f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 'server.sqlite3')}"
    engine = make_engine(url)
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    yield url, factory
    engine.dispose()


def _factory(db: tuple[str, sessionmaker[Session]]) -> sessionmaker[Session]:
    return db[1]


def people(factory: sessionmaker[Session]) -> list[str]:
    with factory() as s:
        return list(s.scalars(select(CadPerson.name).order_by(CadPerson.name)))


def count(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return int(s.scalar(select(func.count()).select_from(CadPerson)) or 0)


def cursor(factory: sessionmaker[Session]) -> str:
    with factory() as s:
        return load_state(s).cursor


def run_pull(system: AppointmentsSystem, factory: sessionmaker[Session], *, token: str | None = None,
             limits: Limits | None = None, from_start: bool = False) -> Any:
    adapter = adapter_for("http", LinkConfig(system.url, token), limits)
    return pull(factory, adapter, today=TODAY, from_start=from_start)


def refused(call: Callable[[], object]) -> AppointmentsLinkError:
    with pytest.raises(AppointmentsLinkError) as caught:
        call()
    return caught.value


# ------------------------------------------------------------------------------------------ pulls
def test_two_files_are_imported_in_order_and_the_cursor_follows(system: AppointmentsSystem, db: Any) -> None:
    factory = _factory(db)
    system.files = [Offered("2026-0001", "即将离退休-11月.csv", csv_file(ZHANG, LI)),
                    Offered("2026-0002", "即将离退休-12月.xlsx", xlsx_file(WU, [*ZHANG[:8], "一级巡视员", *ZHANG[9:]]))]
    result = run_pull(system, factory, token="s3cret")
    assert [f.entry.name for f in result.files] == ["即将离退休-11月.csv", "即将离退休-12月.xlsx"]
    assert (result.inserted, result.updated, result.unchanged) == (3, 1, 0)  # the second file promotes 张建国
    assert result.cursor_before == "" and result.cursor_after == "2026-0002"
    assert people(factory) == ["吴芳", "张建国", "李秀英"]
    assert cursor(factory) == "2026-0002"
    with factory() as s:
        zhang = s.scalars(select(CadPerson).where(CadPerson.name == "张建国")).one()
        assert (zhang.former_post, zhang.stage, zhang.source) == ("一级巡视员", "upcoming", "人事任免")
        state = load_state(s)
    assert state.last_ok is True and state.files_imported == 2 and state.url == system.url
    assert system.requests[0] == ("/api/files?since=", "Bearer s3cret")
    assert [p for p, _ in system.requests[1:]] == ["/api/files/2026-0001", "/api/files/2026-0002"]
    assert "导入 2 个文件：新增 3 人，更新 1 人" in result.summary()


def test_a_second_pull_asks_from_the_cursor_and_changes_nothing(system: AppointmentsSystem, db: Any) -> None:
    factory = _factory(db)
    system.files = [Offered("a1", "任免1.csv", csv_file(ZHANG)), Offered("a2", "任免2.csv", csv_file(LI))]
    run_pull(system, factory)
    system.requests.clear()
    again = run_pull(system, factory)
    assert again.files == [] and "没有新的文件" in again.summary()
    assert system.requests == [("/api/files?since=a2", "")]
    assert cursor(factory) == "a2" and count(factory) == 2
    # from the start: the same files again change nobody (the importer is idempotent)
    fresh = run_pull(system, factory, from_start=True)
    assert (fresh.inserted, fresh.updated, fresh.unchanged) == (0, 0, 2)
    assert cursor(factory) == "a2" and count(factory) == 2
    # a new file later is pulled alone
    system.files.append(Offered("a3", "任免3.csv", csv_file(WU)))
    later = run_pull(system, factory)
    assert [f.entry.cursor for f in later.files] == ["a3"] and count(factory) == 3


def test_a_refused_file_changes_nothing_and_names_row_and_column(system: AppointmentsSystem, db: Any) -> None:
    factory = _factory(db)
    bad = [*ZHANG]
    bad[3] = bad[3][:-1] + ("0" if bad[3][-1] != "0" else "1")  # a wrong check digit
    system.files = [Offered("b1", "任免-坏.csv", csv_file(LI, bad)), Offered("b2", "任免-好.csv", csv_file(WU))]
    error = refused(lambda: run_pull(system, factory))
    assert isinstance(error, FileRefused) and error.reason == "rows" and error.name == "任免-坏.csv"
    text = str(error)
    assert "“任免-坏.csv”" in text and "第 3 行，“身份证号”列" in text and "没有导入任何人员" in text
    assert count(factory) == 0 and cursor(factory) == ""
    with factory() as s:
        state = load_state(s)
    assert state.last_ok is False and "任免-坏.csv" in state.last_message


def test_files_before_a_refused_one_stay_and_the_pull_resumes_at_it(system: AppointmentsSystem, db: Any) -> None:
    factory = _factory(db)
    bad = [*WU]
    bad[1] = "未知"
    system.files = [Offered("c1", "一.csv", csv_file(ZHANG)), Offered("c2", "二.csv", csv_file(LI, bad)),
                    Offered("c3", "三.csv", csv_file(WU))]
    error = refused(lambda: run_pull(system, factory))
    assert "第 3 行，“性别”列" in str(error) and "此前的 1 个文件已经导入，接收位置停在“c1”" in str(error)
    assert people(factory) == ["张建国"] and cursor(factory) == "c1"
    system.files[1] = Offered("c2", "二.csv", csv_file(LI, WU))  # the system provides the corrected file
    system.requests.clear()
    result = run_pull(system, factory)
    assert system.requests[0][0] == "/api/files?since=c1"
    assert [f.entry.cursor for f in result.files] == ["c2", "c3"]
    assert (result.inserted, result.unchanged) == (2, 1)
    assert people(factory) == ["吴芳", "张建国", "李秀英"] and cursor(factory) == "c3"


def test_a_checksum_mismatch_imports_nothing(system: AppointmentsSystem, db: Any) -> None:
    factory = _factory(db)
    system.files = [Offered("d1", "一.csv", csv_file(ZHANG)),
                    Offered("d2", "二.csv", csv_file(LI), sha256=hashlib.sha256(b"other").hexdigest())]
    error = refused(lambda: run_pull(system, factory))
    assert error.reason == "checksum" and "“二.csv”" in str(error) and "校验值与清单不符" in str(error)
    assert count(factory) == 0 and cursor(factory) == ""


def test_oversize_files_are_refused_before_and_during_the_download(system: AppointmentsSystem, db: Any) -> None:
    factory = _factory(db)
    data = csv_file(ZHANG)
    system.files = [Offered("e1", "大.csv", data)]
    error = refused(lambda: run_pull(system, factory, limits=Limits(max_file_bytes=len(data) - 1)))
    assert error.reason == "oversize" and "超过单个文件上限" in str(error)
    assert [p for p, _ in system.requests] == ["/api/files?since="]  # not even downloaded
    system.files = [Offered("e1", "大.csv", data + b"x" * 100_000, size=len(data))]  # sends more than declared
    error = refused(lambda: run_pull(system, factory))
    assert error.reason == "oversize" and "实际大小超过清单所列" in str(error)
    assert count(factory) == 0 and cursor(factory) == ""


@pytest.mark.parametrize(("listing", "detail"), [
    (b"<html>maintenance</html>", "不是有效的 JSON"),
    (b'{"protocol": "renda-appointments-pull/9", "files": []}', "“protocol”应为"),
    (json.dumps({"protocol": "renda-appointments-pull/1", "files": [{"cursor": "x", "name": "../etc/passwd.csv",
                 "sha256": "0" * 64, "size": 3, "url": "files/x"}]}).encode(), "不是单纯的文件名"),
    (json.dumps({"protocol": "renda-appointments-pull/1", "files": [{"cursor": "x", "name": "a.csv",
                 "sha256": "0" * 64, "size": 3, "url": "https://elsewhere.example/a.csv"}]}).encode(),
     "不在本接口的服务器上"),
    (json.dumps({"protocol": "renda-appointments-pull/1", "files": [], "more": True}).encode(), "没有列出文件"),
])
def test_a_malformed_list_imports_nothing(system: AppointmentsSystem, db: Any, listing: bytes, detail: str) -> None:
    factory = _factory(db)
    system.listing = listing
    error = refused(lambda: run_pull(system, factory))
    assert isinstance(error, ManifestRefused) and detail in str(error) and "接收位置也没有前移" in str(error)
    assert count(factory) == 0 and cursor(factory) == ""


def test_server_down_time_out_and_refusals(system: AppointmentsSystem, db: Any) -> None:
    factory = _factory(db)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = adapter_for("http", LinkConfig(f"http://127.0.0.1:{port}/api/"), Limits(connect_timeout=2))
    error = refused(lambda: pull(factory, down, today=TODAY))
    assert error.reason == "connection" and "无法连接人事任免系统" in str(error)
    system.files = [Offered("f1", "一.csv", csv_file(ZHANG))]
    system.hold = threading.Event()  # the server answers only after the test lets it
    error = refused(lambda: run_pull(system, factory, limits=Limits(read_timeout=0.3)))
    assert error.reason == "timeout" and "0.3 秒内没有应答" in str(error)
    system.hold.set()
    system.hold = None
    system.status = 401
    assert refused(lambda: run_pull(system, factory)).reason == "auth"
    system.status = 503
    assert refused(lambda: run_pull(system, factory)).reason == "server"
    plain = adapter_for("http", LinkConfig("http://rsrm.example.gov.cn/api/"))
    assert "必须使用 https://" in str(refused(lambda: pull(factory, plain, today=TODAY)))
    assert count(factory) == 0 and cursor(factory) == ""


def test_another_address_needs_from_start(system: AppointmentsSystem, db: Any) -> None:
    factory = _factory(db)
    system.files = [Offered("g1", "一.csv", csv_file(ZHANG))]
    run_pull(system, factory)
    moved = adapter_for("http", LinkConfig(system.url.replace("127.0.0.1", "localhost")))
    error = refused(lambda: pull(factory, moved, today=TODAY))
    assert error.reason == "settings" and "--from-start" in str(error)
    result = pull(factory, moved, today=TODAY, from_start=True)
    assert result.unchanged == 1 and cursor(factory) == "g1"
    with factory() as s:
        assert load_state(s).url == moved.config.url


def test_another_vendor_plugs_in_by_name(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vendor with its own interface: a subclass registered under a name; the pull stays the same."""
    factory = _factory(db)
    data = csv_file(LI)

    class FolderVendor(link.AppointmentsAdapter):
        name = "vendor-test"

        def list_files(self, since: str) -> link.Manifest:
            entry = ManifestEntry("v1", "任免.csv", hashlib.sha256(data).hexdigest(), len(data), "v1")
            return link.Manifest(() if since == "v1" else (entry,))

        def fetch(self, entry: ManifestEntry, cancel: threading.Event | None = None) -> bytes:
            return data

    monkeypatch.setitem(link.ADAPTERS, "vendor-test", FolderVendor)
    result = pull(factory, adapter_for("vendor-test", LinkConfig("vendor://")), today=TODAY)
    assert result.inserted == 1 and people(factory) == ["李秀英"]
    assert "没有名为“nobody”的人事任免接口" in str(refused(lambda: adapter_for("nobody", LinkConfig(""))))


# ------------------------------------------------------------------------------------------ the parser
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=20)
_entry = st.fixed_dictionaries({"cursor": st.text(max_size=70) | st.integers(), "name": st.text(max_size=30) | _json,
                                "sha256": st.text("0123456789abcdefABC", min_size=60, max_size=66),
                                "size": st.integers(-5, 10**9) | st.booleans() | st.text(max_size=3),
                                "url": st.text(max_size=30) | st.none()})
_manifest = st.fixed_dictionaries({"protocol": st.sampled_from([link.PROTOCOL, "x"]) | _json,
                                   "files": st.lists(_entry | _json, max_size=4) | _json}, optional={
    "more": st.booleans() | _json, "source": st.text(max_size=70) | _json})


@given(st.one_of(_manifest, _json))
def test_the_parser_never_raises_anything_but_its_own_refusal(value: Any) -> None:
    body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    try:
        manifest = parse_manifest(body)
    except ManifestRefused as exc:
        assert str(exc).startswith("人事任免系统返回的文件清单格式不正确（") and exc.detail
        return
    assert all(e.name.lower().endswith((".csv", ".xlsx")) and e.size > 0 for e in manifest.files)
    assert len({e.cursor for e in manifest.files}) == len(manifest.files)


@given(st.binary(max_size=200))
def test_the_parser_refuses_any_bytes_with_its_own_refusal(body: bytes) -> None:
    with contextlib.suppress(ManifestRefused):
        parse_manifest(body)


def test_deeply_nested_json_is_a_refusal() -> None:
    with pytest.raises(ManifestRefused):
        parse_manifest(b"[" * 100_000 + b"]" * 100_000)


# ------------------------------------------------------------------------------------------ commands
def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="renda cadre")
    register_link(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_link_pull_and_status_commands(system: AppointmentsSystem, db: Any, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    url, factory = db
    assert run(["link", "status", "--db", url]) == 0
    assert "还没有从人事任免系统拉取过" in capsys.readouterr().out
    assert run(["link", "pull", "--db", url]) == 1
    assert "请用 --url" in capsys.readouterr().err
    assert run(["link", "pull", "--url", system.url, "--token-env", "RSRM_TOKEN_TEST", "--db", url]) == 1
    assert "环境变量 RSRM_TOKEN_TEST 没有设置" in capsys.readouterr().err
    monkeypatch.setenv("RSRM_TOKEN_TEST", "tok-1")
    system.files = [Offered("h1", "一.csv", csv_file(ZHANG, LI))]
    assert run(["link", "pull", "--url", system.url, "--token-env", "RSRM_TOKEN_TEST", "--today", "2026-12-05",
                "--db", url]) == 0
    assert "新增 2 人" in capsys.readouterr().out
    assert system.requests[0][1] == "Bearer tok-1"
    system.files.append(Offered("h2", "二.csv", csv_file(WU), sha256="f" * 64))
    assert run(["link", "pull", "--db", url]) == 1  # the remembered address
    err = capsys.readouterr().err
    assert err.startswith("错误：文件“二.csv”下载后的校验值与清单不符") and "Traceback" not in err
    assert run(["link", "status", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "接收位置（cursor）：h1" in out and "结果：失败" in out and system.url in out
    assert count(factory) == 2
    missing = f"sqlite:///{Path(url.split(':///')[1]).parent / 'nowhere.sqlite3'}"
    assert run(["link", "status", "--db", missing]) == 2
    assert "不存在" in capsys.readouterr().err
