"""Exchange packages with other petition systems: a round trip between two databases, idempotent imports,
status updates brought back to the case we sent, and every damaged or unsigned package refused with a
Chinese message naming the member (and line), nothing changed."""

from __future__ import annotations

import argparse
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from apps.petition import cli_exchange
from core.models.identity import AuditEntry
from core.models.registry import Attachment
from core.petition.exchange import (
    CASES,
    FORMAT,
    SCHEME,
    TRANSITIONS,
    ExchangeError,
    export_package,
    import_package,
)
from core.petition.models import PetBody, PetCase, PetPetitioner, PetTransition
from core.sync.blobs import BlobStore, sha256_hex
from core.sync.keys import encode_public_key
from core.sync.package_signing import SIGNATURE_ENTRY, TrustedProducers, sign_package
from core.sync.stamping import install_server_hooks
from tests.petition.cases import add_case, database, database_at

GOV = "SH-GOV-XF"
SCAN = b"%PDF-1.4\n% scanned letter\n" + bytes(range(256)) * 4


@dataclass
class Side:
    """One petition system: its database, blob store, signing key and trusted senders."""

    name: str
    system: str
    engine: Engine
    factory: sessionmaker[Session]
    blobs: BlobStore
    key: SigningKey
    trusted: TrustedProducers

    def counts(self) -> dict[str, int]:
        with self.factory() as s:
            return {model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
                    for model in (PetCase, PetTransition, PetPetitioner, Attachment, AuditEntry)}


def _side(template: Path, tmp: Path, name: str, system: str, url: str | None = None) -> Side:
    engine, factory = database_at(url) if url else database(template, tmp / f"{name}.sqlite3")
    install_server_hooks(factory)
    return Side(name, system, engine, factory, BlobStore(tmp / f"{name}-blobs"), SigningKey.generate(),
                TrustedProducers(tmp / f"{name}-trusted.json"))


@pytest.fixture
def sides(migrated_sqlite: Path, tmp_path: Path, server_db_url: str) -> Iterator[tuple[Side, Side]]:
    """Our system on SQLite, the government's on the server database (SQLite, then a real PostgreSQL)."""
    ours = _side(migrated_sqlite, tmp_path, "ours", "SH-RD-XF")
    gov = _side(migrated_sqlite, tmp_path, "gov", GOV, server_db_url)
    ours.trusted.add("上海市人民政府（市信访办）", encode_public_key(gov.key))
    gov.trusted.add("上海市人大常委会信访办公室", encode_public_key(ours.key))
    with gov.factory.begin() as s:  # the government's system knows us as a body it exchanges with
        s.add(PetBody(code="shrd", name="上海市人大常委会信访办公室", kind="other", exchange_system="SH-RD-XF"))
    with ours.factory.begin() as s:
        case = add_case(s, body="szf", route="转送")
        s.add(Attachment(sha256=ours.blobs.put(SCAN), size=len(SCAN), mime="application/pdf", filename="来信扫描.pdf",
                         owner_table="pet_case", owner_id=case.id, owner_scope=case.scope or "petition"))
        add_case(s, code="XF20261202LOCAL", body="cjw", route="交办", name="李四")  # a committee's: not exported
    yield ours, gov
    ours.engine.dispose()
    gov.engine.dispose()


def _export(side: Side, to: str, out: Path, since: date = date(2026, 11, 1)) -> Path:
    with side.factory.begin() as s:
        export_package(s, to=to, since=since, out=out, key=side.key, blobs=side.blobs, our_system=side.system,
                       our_name=side.name)
    return out


def _import(side: Side, path: Path, on: date = date(2026, 12, 4)) -> object:
    with side.factory.begin() as s:
        return import_package(s, path, trusted=side.trusted, blobs=side.blobs, our_system=side.system, on=on)


def test_round_trip_keeps_the_senders_number_and_brings_the_status_back(sides: tuple[Side, Side],
                                                                        tmp_path: Path) -> None:
    ours, gov = sides
    package = _export(ours, "szf", tmp_path / "to-gov.zip")
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert names == {"manifest.json", CASES, TRANSITIONS, f"attachments/{sha256_hex(SCAN)}", SIGNATURE_ENTRY}
    assert manifest["format"] == FORMAT and manifest["receiver"]["system"] == GOV
    assert manifest["counts"] == {"cases": 1, "transitions": 1, "attachments": 1}

    first = _import(gov, package)
    assert first.cases_added == 1 and first.steps_added == 1  # type: ignore[attr-defined]
    with gov.factory() as s:
        case = s.scalars(select(PetCase)).one()
        assert (case.source_system, case.source_code) == ("SH-RD-XF", "XF20261201ABCD")
        assert case.code != "XF20261201ABCD" and case.state == "registered" and case.received_on == date(2026, 12, 4)
        assert case.subject == "小区加装电梯补贴发放问题"
        person = s.get(PetPetitioner, case.petitioner_id)
        assert person is not None and person.name == "张三" and person.phone == "13800138000"
        att = s.scalars(select(Attachment).where(Attachment.owner_id == case.id)).one()
        assert att.filename == "来信扫描.pdf" and gov.blobs.get(att.sha256) == SCAN
        # the government's office accepts and answers the case
        s.add(PetTransition(case_id=case.id, action="accept", from_state="registered", to_state="accepted",
                            article="第二十三条", on_date=date(2026, 12, 8), actor="市信访办",
                            details={"due_on": "2027-02-06"}))
        s.add(PetTransition(case_id=case.id, action="answer", from_state="accepted", to_state="answered",
                            article="第三十四条", on_date=date(2026, 12, 20), actor="市信访办",
                            note="补贴已于2026年12月18日发放到位。"))
        s.commit()

    back = _export(gov, "shrd", tmp_path / "to-us.zip", since=date(2026, 12, 1))
    before = ours.counts()
    result = _import(ours, back)
    assert result.updated_cases == ["XF20261201ABCD"] and result.cases_added == 0  # type: ignore[attr-defined]
    assert ours.counts()["pet_transition"] == before["pet_transition"] + 2
    with ours.factory() as s:
        mine = s.scalars(select(PetCase).where(PetCase.code == "XF20261201ABCD")).one()
        assert mine.state == "answered" and mine.accepted_on == date(2026, 12, 8)
        assert mine.due_on is None and mine.answered_on == date(2026, 12, 20)
        assert mine.answer_summary == "补贴已于2026年12月18日发放到位。"
        steps = s.scalars(select(PetTransition).where(PetTransition.case_id == mine.id)
                          .order_by(PetTransition.on_date)).all()
        assert [t.action for t in steps] == ["route", "accepted", "answered"]
        assert steps[-1].details["exchange"]["system"] == GOV

    # the next export to the government does not echo its own steps back
    again = _export(ours, "szf", tmp_path / "again.zip")
    with zipfile.ZipFile(again) as archive:
        lines = archive.read(TRANSITIONS).decode().splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["route"]


def test_importing_the_same_package_twice_changes_nothing_the_second_time(sides: tuple[Side, Side],
                                                                          tmp_path: Path) -> None:
    ours, gov = sides
    package = _export(ours, "szf", tmp_path / "p.zip")
    _import(gov, package)
    after_first = gov.counts()
    second = _import(gov, package)
    assert gov.counts() == after_first
    assert not second.changed and "此前已导入" in second.summary()  # type: ignore[attr-defined]


def test_an_unsigned_or_untrusted_package_is_refused(sides: tuple[Side, Side], tmp_path: Path) -> None:
    ours, gov = sides
    package = _export(ours, "szf", tmp_path / "p.zip")
    unsigned = tmp_path / "unsigned.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(unsigned, "w") as dst:
        for item in src.infolist():
            if item.filename != SIGNATURE_ENTRY:
                dst.writestr(item, src.read(item))
    before = gov.counts()
    with pytest.raises(ExchangeError, match="没有签名"):
        _import(gov, unsigned)
    stranger = tmp_path / "stranger.zip"
    stranger.write_bytes(unsigned.read_bytes())
    sign_package(stranger, SigningKey.generate(), "冒名单位", SCHEME)
    with pytest.raises(ExchangeError, match="不在受信任名单中"):
        _import(gov, stranger)
    assert gov.counts() == before


def _rebuild(package: Path, out: Path, key: SigningKey, change: dict[str, bytes | None],
             manifest_edit: dict[str, object] | None = None) -> Path:
    """The package with members replaced (None: dropped), the manifest updated to match, signed again by ``key``
    (a sender's own system making a malformed package, which the signature cannot catch)."""
    with zipfile.ZipFile(package) as src:
        members = {n: src.read(n) for n in src.namelist() if n not in (SIGNATURE_ENTRY, "manifest.json")}
        manifest = json.loads(src.read("manifest.json"))
    for name, data in change.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    manifest["members"] = {n: {"sha256": sha256_hex(d), "size": len(d)} for n, d in members.items()}
    manifest.update(manifest_edit or {})
    with zipfile.ZipFile(out, "w") as dst:
        dst.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        for name, data in members.items():
            dst.writestr(name, data)
    sign_package(out, key, "上海市人大常委会信访办公室", SCHEME)
    return out


@pytest.mark.parametrize(("change", "edit", "message"), [
    ({CASES: b'{"code": "X1", "channel": "\xe6\x9d\xa5\xe4\xbf\xa1"}\n{oops\n'}, None,
     "cases.jsonl 第 2 行不是有效的 JSON"),
    ({CASES: b'{"code": "X1", "channel": "\xe6\x9d\xa5\xe4\xbf\xa1"}\n'}, None, "cases.jsonl 第 1 行：字段“kind”应为文字"),
    ({CASES: b'{"code": "X1", "channel": "\xe6\x9d\xa5\xe4\xbf\xa1", "kind": "\xe5\xbb\xba\xe8\xae\xae\xe6\x84\x8f\xe8\xa7\x81\xe7\xb1\xbb", '
             b'"received_on": "2026-02-30", "subject": "s"}\n'}, None, "cases.jsonl 第 1 行：字段“received_on”的日期“2026-02-30”不存在"),
    ({CASES: b"[1, 2]\n"}, {"counts": {"cases": 1, "transitions": 1, "attachments": 1}},
     "cases.jsonl 第 1 行应为一个 JSON 对象"),
    ({TRANSITIONS: b'{"id": "a"}'}, None, "transitions.jsonl 最后一行不完整"),
    ({TRANSITIONS: None}, None, "清单中没有 transitions.jsonl"),
    ({}, {"format": "renda-petition-exchange/2"}, "格式版本“renda-petition-exchange/2”不认识"),
    ({}, {"receiver": {"system": "SH-COURT-XF"}}, "是发给“SH-COURT-XF”的"),
    ({}, {"counts": {"cases": 7, "transitions": 1, "attachments": 1}}, "件数（counts）与内容不符"),
])
def test_a_malformed_package_names_the_member_and_line(sides: tuple[Side, Side], tmp_path: Path,
                                                       change: dict[str, bytes | None],
                                                       edit: dict[str, object] | None, message: str) -> None:
    ours, gov = sides
    package = _export(ours, "szf", tmp_path / "p.zip")
    bad = _rebuild(package, tmp_path / "bad.zip", ours.key, change, edit)
    before = gov.counts()
    with pytest.raises(ExchangeError) as refused:
        _import(gov, bad)
    assert message in str(refused.value) and "未做任何改动" in str(refused.value)
    assert gov.counts() == before


def test_a_status_update_for_a_case_we_did_not_send_is_refused(sides: tuple[Side, Side], tmp_path: Path) -> None:
    ours, gov = sides
    package = _export(ours, "szf", tmp_path / "p.zip")
    step = {"id": "s1", "case": {"system": "SH-RD-XF", "code": "XF20261202LOCAL"}, "action": "accepted",
            "on_date": "2026-12-05"}
    forged = _rebuild(package, tmp_path / "f.zip", gov.key,
                      {CASES: b"", TRANSITIONS: json.dumps(step).encode() + b"\n", f"attachments/{sha256_hex(SCAN)}": None},
                      {"sender": {"system": GOV, "name": "市政府"}, "receiver": {"system": "SH-RD-XF"},
                       "counts": {"cases": 0, "transitions": 1, "attachments": 0}})
    before = ours.counts()
    with pytest.raises(ExchangeError, match="信访件 XF20261202LOCAL 不是转给“市政府”的"):
        _import(ours, forged)
    assert ours.counts() == before


# hypothesis: any damage to a signed package is refused, nothing changed ----------------------------------------
def _members(data: bytes) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {n: archive.read(n) for n in archive.namelist()}
    except Exception:
        return None


def _damaged(original: bytes, how: str, where: int, value: int) -> bytes:
    if how == "flip":
        i = where % len(original)
        return original[:i] + bytes([original[i] ^ (value % 255 + 1)]) + original[i + 1:]
    if how == "truncate":
        return original[:where % len(original)]
    members = _members(original)
    assert members is not None
    names = sorted(members)
    out = io.BytesIO()
    if how == "drop":
        dropped = names[where % len(names)]
        members.pop(dropped)
    else:  # edit one JSON line of a .jsonl member (or the manifest), keeping everything else
        name = [n for n in names if n.endswith((".jsonl", ".json"))][where % 4]
        text = members[name].decode("utf-8")
        pos = value % max(len(text) - 1, 1)
        members[name] = (text[:pos] + ("9" if text[pos] != "9" else "8") + text[pos + 1:]).encode("utf-8")
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=st.sampled_from(["flip", "truncate", "drop", "edit"]), where=st.integers(0, 10**6),
       value=st.integers(0, 10**6))
def test_any_damage_to_a_signed_package_is_refused_and_changes_nothing(sides: tuple[Side, Side],
                                                                       tmp_path_factory: pytest.TempPathFactory,
                                                                       how: str, where: int, value: int) -> None:
    ours, gov = sides
    tmp = tmp_path_factory.mktemp("damage")
    original = _export(ours, "szf", tmp / "p.zip").read_bytes()
    damaged = _damaged(original, how, where, value)
    path = tmp / "damaged.zip"
    path.write_bytes(damaged)
    before = gov.counts()
    with gov.factory() as s:
        try:
            import_package(s, path, trusted=gov.trusted, blobs=gov.blobs, our_system=GOV, on=date(2026, 12, 4))
        except ExchangeError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            s.rollback()
        else:
            s.rollback()
            # only a flip in zip bookkeeping no reader uses (a member's time stamp) leaves the package readable,
            # and then every member, signature included, is exactly the original
            assert how == "flip" and _members(damaged) == _members(original)
    assert gov.counts() == before


def test_the_command_line_exports_and_imports(sides: tuple[Side, Side], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ours, gov = sides
    parser = argparse.ArgumentParser(prog="renda petition")
    cli_exchange.register(parser.add_subparsers(dest="command"))
    package = _export(ours, "szf", tmp_path / "p.zip")
    data_dir = tmp_path / "gov-server"
    monkeypatch.setenv("RENDA_SERVER_DATA_DIR", str(data_dir))
    url = gov.engine.url.render_as_string(hide_password=False)
    args = parser.parse_args(["exchange", "trust", "上海市人大常委会信访办公室", encode_public_key(ours.key)])
    assert args.func(args) == 0
    args = parser.parse_args(["exchange", "import", str(package), "--db", url, "--system", GOV])
    assert args.func(args) == 0
    assert args.func(args) == 0  # again: nothing new
    with gov.factory() as s:
        assert s.scalars(select(PetCase.source_code)).all() == ["XF20261201ABCD"]
    out = tmp_path / "back.zip"
    args = parser.parse_args(["exchange", "export", "--to", "shrd", "--since", "2026-12-01", "--out", str(out),
                              "--db", url, "--system", GOV, "--name", "市政府"])
    assert args.func(args) == 0 and out.exists()
    args = parser.parse_args(["exchange", "export", "--to", "fzw", "--since", "2026-12-01", "--out", str(out),
                              "--db", url, "--system", GOV])
    assert args.func(args) == 1  # a committee has no exchange system
