"""Document exchange with the office system: a package imported into 文件送阅 with its files, exported again
with the delivery records and taken in by another database; every refusal (malformed manifest, missing or
unlisted file, checksum, zip-slip, size, classified level) leaves the database as it was; re-import is
idempotent; the commands."""

from __future__ import annotations

import argparse
import hashlib
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from apps.cadre.cli_exchange import register_exchange
from core.cadre import office_exchange as ex
from core.cadre.models import CadCategory, CadDispatch, CadPerson, CadPersonCategory
from core.cadre.notice_models import CadNotice
from core.cadre.office_exchange import ExchangeRefused, export_packages, import_package, parse_manifest
from core.db import make_engine, make_session_factory
from core.ids import uuid7
from core.models.registry import Attachment
from core.sync.blobs import BlobStore
from core.sync.stamping import install_server_hooks
from tests.helpers.sqlite import copy_of

TODAY = date(2026, 12, 5)
PDF = b"%PDF-1.4\n% \xe6\xad\xa3\xe6\x96\x87\n1 0 obj << >> endobj\n%%EOF\n"
LIST = b"\xe5\xa7\x93\xe5\x90\x8d,\xe5\x9c\xb0\xe5\x9d\x80\n"  # a small UTF-8 CSV: 姓名,地址
IDS = {"wang": uuid7(), "zhao": uuid7(), "sun": uuid7(), "qian": uuid7()}


@pytest.fixture
def template(migrated_sqlite: Path, tmp_path: Path) -> Path:
    """A database holding four people (one deceased, one about to retire) and the categories LX and YT."""
    path = copy_of(migrated_sqlite, tmp_path / "template.sqlite3")
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    install_server_hooks(factory)
    with factory.begin() as s:
        s.add(CadCategory(code="LX", name="离休干部"))
        s.add(CadCategory(code="YT", name="即将退休"))
        s.add(CadPerson(id=IDS["wang"], name="王文华", stage="retired", retirement_kind="退休"))
        s.add(CadPerson(id=IDS["zhao"], name="赵立新", stage="retired", retirement_kind="离休"))
        s.add(CadPerson(id=IDS["sun"], name="孙静", stage="retired", retirement_kind="退休", alive=False,
                        died_on=date(2026, 3, 1)))
        s.add(CadPerson(id=IDS["qian"], name="钱进", stage="upcoming"))
        s.add(CadPersonCategory(person_id=IDS["zhao"], category_code="LX"))
        s.add(CadPersonCategory(person_id=IDS["qian"], category_code="LX"))
        s.add(CadPersonCategory(person_id=IDS["qian"], category_code="YT"))
    engine.dispose()
    return path


class Db:
    def __init__(self, path: Path, blobs: Path) -> None:
        self.url = f"sqlite:///{path}"
        self.engine = make_engine(self.url)
        self.factory: sessionmaker[Session] = make_session_factory(self.engine)
        install_server_hooks(self.factory)
        self.blobs = BlobStore(blobs)

    def import_(self, path: Path, today: date = TODAY) -> ex.ImportResult:
        with self.factory.begin() as s:
            return import_package(s, path, blobs=self.blobs, today=today)

    def counts(self) -> tuple[int, int, int]:
        with self.factory() as s:
            return (int(s.scalar(select(func.count()).select_from(CadDispatch)) or 0),
                    int(s.scalar(select(func.count()).select_from(Attachment)) or 0),
                    sum(1 for p in self.blobs.root.rglob("*") if p.is_file()))

    def dispatches(self) -> list[tuple[Any, ...]]:
        with self.factory() as s:
            names = {r[0]: r[1] for r in s.execute(select(CadPerson.id, CadPerson.name))}
            rows = s.scalars(select(CadDispatch).where(CadDispatch.deleted.is_(False))).all()
            return sorted((names[r.person_id], r.title, r.document_no, r.sent_on, r.channel, r.received_on)
                          for r in rows)

    def files_of(self, title: str) -> dict[str, set[tuple[str, str]]]:
        with self.factory() as s:
            names = {r[0]: r[1] for r in s.execute(select(CadPerson.id, CadPerson.name))}
            rows = s.execute(select(CadDispatch.person_id, Attachment.filename, Attachment.sha256).join(
                Attachment, Attachment.owner_id == CadDispatch.id).where(CadDispatch.title == title)).all()
        out: dict[str, set[tuple[str, str]]] = {}
        for person, filename, sha in rows:
            out.setdefault(names[person], set()).add((filename, sha))
        return out


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Db]:
    store = Db(copy_of(template, tmp_path / "a.sqlite3"), tmp_path / "blobs-a")
    yield store
    store.engine.dispose()


@pytest.fixture
def other(template: Path, tmp_path: Path) -> Iterator[Db]:
    store = Db(copy_of(template, tmp_path / "b.sqlite3"), tmp_path / "blobs-b")
    yield store
    store.engine.dispose()


def manifest(**changes: Any) -> dict[str, Any]:
    files = {"正文.pdf": PDF, "附件1-名单.csv": LIST}
    base: dict[str, Any] = {
        "format": "renda-office-exchange", "version": 1, "document_no": "沪人大办〔2026〕12号",
        "title": "关于做好离退休干部冬季走访慰问工作的通知", "issuer": "上海市人大常委会办公厅", "date": "2026-12-01",
        "secrecy": "内部", "channel": "邮寄",
        "recipients": [{"person_id": IDS["wang"]}, {"category": "LX"}],
        "attachments": [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in files.items()],
    }
    base.update(changes)
    return base


def package(tmp_path: Path, body: dict[str, Any] | bytes | None = None, files: dict[str, bytes] | None = None,
            name: str = "公文.zip") -> Path:
    files = {"正文.pdf": PDF, "附件1-名单.csv": LIST} if files is None else files
    raw = body if isinstance(body, bytes) else json.dumps(manifest() if body is None else body, ensure_ascii=False)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", raw)
        for member, data in files.items():
            archive.writestr(member, data)
    return path


def refusal(db: Db, path: Path) -> ExchangeRefused:
    before = db.counts()
    with pytest.raises(ExchangeRefused) as caught:
        db.import_(path)
    assert db.counts() == before  # nothing written: rows, attachment rows, stored files
    return caught.value


# ------------------------------------------------------------------------------------------ import and export
def test_round_trip(db: Db, other: Db, tmp_path: Path) -> None:
    first = db.import_(package(tmp_path))
    # 王文华 by id; 赵立新 by category (钱进 is in LX too, but not yet retired)
    assert (first.added, first.known, first.files) == (2, 0, 2) and first.people == ["王文华", "赵立新"]
    title = "关于做好离退休干部冬季走访慰问工作的通知"
    assert db.dispatches() == [("王文华", title, "沪人大办〔2026〕12号", TODAY, "邮寄", None),
                               ("赵立新", title, "沪人大办〔2026〕12号", TODAY, "邮寄", None)]
    shas = {("正文.pdf", hashlib.sha256(PDF).hexdigest()), ("附件1-名单.csv", hashlib.sha256(LIST).hexdigest())}
    assert db.files_of(title) == {"王文华": shas, "赵立新": shas}
    assert db.blobs.get(hashlib.sha256(PDF).hexdigest()) == PDF
    with db.factory.begin() as s:  # delivered to 赵立新 by hand; a notice published
        row = s.scalars(select(CadDispatch).where(CadDispatch.person_id == IDS["zhao"])).one()
        row.channel, row.received_on = "专人送达", date(2026, 12, 6)
        s.add(CadNotice(kind="讣告", title="讣告", body="孙静同志因病于2026年3月1日逝世。", person_id=IDS["sun"],
                        published_at=datetime(2026, 12, 2, 2, 0, tzinfo=UTC), withdrawn=False, scope="cadre"))
    with db.factory.begin() as s:
        done = export_packages(s, since=date(2026, 11, 1), out=tmp_path / "out", blobs=db.blobs,
                               now=datetime(2026, 12, 7, tzinfo=UTC))
    assert len(done.packages) == 2 and "已导出 2 个公文交换包" in done.summary()
    notice_zip, dispatch_zip = done.packages
    with zipfile.ZipFile(notice_zip) as archive:
        notice = json.loads(archive.read("manifest.json"))
        assert archive.read("正文.txt").decode() == "讣告\n\n孙静同志因病于2026年3月1日逝世。\n"
    assert (notice["date"], notice["secrecy"], notice["recipients"], notice["kind"]) == (
        "2026-12-02", "公开", [{"all": True}], "讣告")
    with zipfile.ZipFile(dispatch_zip) as archive:
        sent = json.loads(archive.read("manifest.json"))
        assert sorted(archive.namelist()) == ["manifest.json", "正文.pdf", "附件1-名单.csv"]
    assert [d["received_on"] for d in sent["deliveries"]] == [None, "2026-12-06"]
    # the other database takes the delivery records in as they are
    taken = other.import_(dispatch_zip)
    assert taken.added == 2
    assert other.dispatches() == [("王文华", title, "沪人大办〔2026〕12号", TODAY, "邮寄", None),
                                  ("赵立新", title, "沪人大办〔2026〕12号", TODAY, "专人送达", date(2026, 12, 6))]
    assert other.files_of(title) == {"王文华": shas, "赵立新": shas}
    # the notice for everyone: every living retiree there
    assert other.import_(notice_zip, today=date(2026, 12, 8)).people == ["王文华", "赵立新"]
    # our own export back into our own database changes nothing
    before = db.counts()
    assert db.import_(dispatch_zip).added == 0 and db.counts() == before


def test_a_folder_package_is_imported_the_same(db: Db, tmp_path: Path) -> None:
    folder = tmp_path / "公文"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps(manifest(), ensure_ascii=False), encoding="utf-8")
    (folder / "正文.pdf").write_bytes(PDF)
    (folder / "附件1-名单.csv").write_bytes(LIST)
    (folder / "Thumbs.db").write_bytes(b"windows")
    assert db.import_(folder).added == 2
    (folder / "其他.pdf").write_bytes(PDF)
    error = refusal(db, folder)
    assert "“其他.pdf”不在 manifest.json 的 attachments 中" in str(error)


def test_chinese_names_from_a_windows_zip_tool_are_read(db: Db, tmp_path: Path) -> None:
    """Names stored in GBK without the UTF-8 flag, as many Windows tools write them."""
    path = tmp_path / "gbk.zip"
    stand_ins = {"正文.pdf": "AAAA.pdf", "附件1-名单.csv": "BBBB1-CCCC.csv"}  # as many bytes as the GBK names
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest(), ensure_ascii=False))
        for name, data in {"正文.pdf": PDF, "附件1-名单.csv": LIST}.items():
            archive.writestr(stand_ins[name], data)
    raw = path.read_bytes()
    for name, stand_in in stand_ins.items():
        raw = raw.replace(stand_in.encode(), name.encode("gbk"))
    path.write_bytes(raw)
    assert db.import_(path).added == 2


def test_re_import_is_idempotent_and_more_recipients_add_only_them(db: Db, tmp_path: Path) -> None:
    path = package(tmp_path)
    assert db.import_(path).added == 2
    before = db.counts()
    again = db.import_(path, today=date(2026, 12, 9))
    assert (again.added, again.known) == (0, 2) and "此前已导入" in again.summary()
    assert db.counts() == before
    with db.factory.begin() as s:
        s.add(CadPerson(id=(late := uuid7()), name="李强", stage="retired", retirement_kind="退休"))
    wider = package(tmp_path, manifest(recipients=[{"person_id": IDS["wang"]}, {"category": "LX"},
                                                   {"person_id": late}]), name="补发.zip")
    more = db.import_(wider)
    assert (more.added, more.known, more.people) == (1, 2, ["李强"])
    # a corrected document (another file) under the same 文号 is a new delivery
    corrected = {"正文.pdf": PDF + b"% v2\n", "附件1-名单.csv": LIST}
    body = manifest(attachments=[{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                                 for n, d in corrected.items()])
    assert db.import_(package(tmp_path, body, corrected, name="更正.zip")).added == 2


# ------------------------------------------------------------------------------------------ refusals
@pytest.mark.parametrize(("body", "expected", "field"), [
    (b"{not json", "manifest.json 不是有效的 JSON", ""),
    (b"\xff\xfe\x00", "不是 UTF-8 文本", ""),
    (b"[]", "最外层应为对象", ""),
    (manifest(format="other"), "“format”应为“renda-office-exchange”", "format"),
    (manifest(version=2), "“version”应为 1", "version"),
    (manifest(title="  "), "“title”不能为空", "title"),
    (manifest(issuer=12), "“issuer”应为文字", "issuer"),
    (manifest(date="2026-02-30"), "“date”的日期“2026-02-30”不存在", "date"),
    (manifest(date="2026/12/01"), "“date”应为日期", "date"),
    (manifest(channel="飞鸽"), "“channel”“飞鸽”不在", "channel"),
    (manifest(recipients=[]), "“recipients”（送阅对象）为空", "recipients"),
    (manifest(recipients=[{"person_id": IDS["wang"], "category": "LX"}]), "recipients 第 1 项应只写", "recipients[1]"),
    (manifest(recipients=[{"person_id": "12"}]), "recipients 第 1 项的“person_id”不是本系统的人员编号",
     "recipients 第 1 项的person_id"),
    (manifest(recipients=[{"all": False}]), "“all”只能是 true", "recipients 第 1 项的all"),
    (manifest(recipients=[{"person_id": "00000000-0000-7000-8000-000000000000"}]), "本系统没有编号为", "recipients[1]"),
    (manifest(recipients=[{"category": "TX"}]), "没有编码为“TX”的人员类别", "recipients[1]"),
    (manifest(recipients=[{"person_id": IDS["sun"]}]), "孙静已去世，不能送阅", "recipients[1]"),
    (manifest(recipients=[{"category": "YT"}]), "", ""),
    (manifest(attachments=[{"name": "正文.pdf", "sha256": "A" * 64, "size": 3}]), "“sha256”应为 64 位",
     "attachments 第 1 项的sha256"),
    (manifest(attachments=[{"name": "正文.pdf", "sha256": "a" * 64, "size": 0}]), "“size”应为大于 0 的整数",
     "attachments 第 1 项的size"),
    (manifest(deliveries=[{"person_id": IDS["zhao"], "sent_on": "2026-12-02", "channel": "邮寄"}]),
     "deliveries 第 1 项的人员不在 recipients 中", "deliveries[1]"),
])
def test_a_malformed_manifest_is_refused_naming_the_field(db: Db, tmp_path: Path, body: Any, expected: str,
                                                           field: str) -> None:
    if not expected:  # the category holds only a person about to retire: nobody to send to
        error = refusal(db, package(tmp_path, body))
        assert "送阅对象中没有健在的离退休人员" in str(error)
        return
    error = refusal(db, package(tmp_path, body))
    assert expected in str(error) and str(error).endswith("整个交换包没有导入，未做任何改动。")
    assert error.field == field


def test_missing_unlisted_and_changed_files(db: Db, tmp_path: Path) -> None:
    error = refusal(db, package(tmp_path, files={"正文.pdf": PDF}))
    assert "缺少 manifest.json 中列出的文件“附件1-名单.csv”" in str(error) and error.field == "附件1-名单.csv"
    error = refusal(db, package(tmp_path, files={"正文.pdf": PDF, "附件1-名单.csv": LIST, "秘密.pdf": PDF}))
    assert "“秘密.pdf”不在 manifest.json 的 attachments 中" in str(error)
    error = refusal(db, package(tmp_path, files={"正文.pdf": PDF[:-1] + b"X", "附件1-名单.csv": LIST}))
    assert "“正文.pdf”与清单不符（大小或 SHA-256 不同" in str(error)
    error = refusal(db, package(tmp_path, files={"正文.pdf": PDF + b"more", "附件1-名单.csv": LIST}))
    assert "“正文.pdf”大小与清单不符" in str(error)
    wrong_type = {"正文.pdf": b"MZ\x90\x00 an exe", "附件1-名单.csv": LIST}
    body = manifest(attachments=[{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                                 for n, d in wrong_type.items()])
    assert "不支持的文件类型" in str(refusal(db, package(tmp_path, body, wrong_type)))
    plain = tmp_path / "x.zip"
    plain.write_bytes(b"plain text")
    assert "不是 ZIP 文件" in str(refusal(db, plain))
    assert "找不到公文交换包" in str(refusal(db, tmp_path / "nowhere.zip"))


def test_zip_slip_paths_are_refused(db: Db, tmp_path: Path) -> None:
    evil = {"正文.pdf": PDF, "附件1-名单.csv": LIST, "../x": b"overwrite"}
    error = refusal(db, package(tmp_path, files=evil))
    assert "越出交换包的路径“../x”" in str(error)
    assert not (tmp_path.parent / "x").exists()
    for name in ("../x", "sub/正文.pdf", "C:\\x.pdf", ".hidden"):
        body = manifest(attachments=[{"name": name, "sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF)}])
        error = refusal(db, package(tmp_path, body, {}))
        assert "attachments 第 1 项的“name”" in str(error) and "不是单纯的文件名" in str(error)
    absolute = {"/etc/passwd": b"x"}
    assert "越出交换包的路径" in str(refusal(db, package(tmp_path, files=absolute)))


def test_oversize_is_refused(db: Db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = manifest(attachments=[{"name": "正文.pdf", "sha256": "a" * 64, "size": 26 * 1024 * 1024}])
    error = refusal(db, package(tmp_path, big, {}))
    assert "超过单个文件上限 25 MB" in str(error)
    path = package(tmp_path)
    monkeypatch.setattr(ex, "MAX_PACKAGE_BYTES", path.stat().st_size - 1)
    assert "超过上限" in str(refusal(db, path))
    monkeypatch.setattr(ex, "MAX_PACKAGE_BYTES", 300_000_000)
    monkeypatch.setattr(ex, "MAX_MANIFEST_BYTES", 100)
    assert "manifest.json 超过" in str(refusal(db, path))


@pytest.mark.parametrize("level", ["秘密", "机密", "绝密", "机密★10年", "涉密"])
def test_classified_documents_are_refused(db: Db, tmp_path: Path, level: str) -> None:
    error = refusal(db, package(tmp_path, manifest(secrecy=level)))
    assert f"密级为“{level}”" in str(error) and "不能通过本系统交换" in str(error) and error.field == "secrecy"


@pytest.mark.parametrize(("level", "expected"), [(None, "（密级）缺少"), ("普通", "（密级）“普通”无效"), (3, "无效")])
def test_the_secrecy_level_must_be_public_or_internal(db: Db, tmp_path: Path, level: Any, expected: str) -> None:
    body = manifest(secrecy=level)
    if level is None:
        del body["secrecy"]
    assert expected in str(refusal(db, package(tmp_path, body)))


# ------------------------------------------------------------------------------------------ the parser
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=20)
_valid = manifest()


@given(st.one_of(
    _json,
    st.fixed_dictionaries({k: st.just(v) | _json for k, v in _valid.items()}),
    st.fixed_dictionaries({**{k: st.just(v) for k, v in _valid.items()},
                           "recipients": st.lists(st.fixed_dictionaries({}, optional={
                               "person_id": st.text(max_size=40) | _json, "category": st.text(max_size=20) | _json,
                               "all": _json}), max_size=3),
                           "attachments": st.lists(st.fixed_dictionaries({
                               "name": st.text(max_size=30), "sha256": st.text("0123456789abcdef", min_size=63,
                                                                               max_size=65),
                               "size": st.integers(-3, 30_000_000) | _json}), max_size=3),
                           "secrecy": st.sampled_from(["公开", "内部", "秘密", "", "内部秘密"]) | _json})))
def test_the_parser_never_raises_anything_but_its_refusal(value: Any) -> None:
    try:
        parsed = parse_manifest(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    except ExchangeRefused as exc:
        assert "没有导入" in str(exc)
        return
    assert parsed.secrecy in ("公开", "内部") and parsed.recipients
    assert all(ex.plain_name_problem(a.name) is None for a in parsed.attachments)


@given(st.binary(max_size=300))
def test_the_parser_refuses_any_bytes_with_its_refusal(body: bytes) -> None:
    with pytest.raises(ExchangeRefused):
        parse_manifest(body)


# ------------------------------------------------------------------------------------------ commands
def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="renda cadre")
    register_exchange(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_exchange_commands(db: Db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = package(tmp_path)
    assert run(["exchange", "import", str(path), "--today", "2026-12-05", "--db", db.url]) == 0
    assert "登记送阅 2 人" in capsys.readouterr().out
    assert run(["exchange", "import", str(path), "--db", db.url]) == 0
    assert "此前已导入" in capsys.readouterr().out
    bad = package(tmp_path, manifest(secrecy="机密"), name="机密.zip")
    assert run(["exchange", "import", str(bad), "--db", db.url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：公文交换包的密级为“机密”") and "Traceback" not in err
    out = tmp_path / "导出"
    assert run(["exchange", "export", "--since", "2026-11-01", str(out), "--db", db.url]) == 0
    assert "已导出 1 个公文交换包" in capsys.readouterr().out
    assert len(list(out.glob("*.zip"))) == 1
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    assert run(["exchange", "export", "--since", "2026-11-01", str(tmp_path / "file.txt"), "--db", db.url]) == 1
    assert "不是文件夹" in capsys.readouterr().err
    assert run(["exchange", "import", str(path), "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}"]) == 2
