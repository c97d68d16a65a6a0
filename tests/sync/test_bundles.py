"""Signed sync bundles: same outcome as HTTP sync, refusal of tampered, gapped, misaddressed files with
nothing changed, idempotent re-import, attachments carried intact, and the command line round trip."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey
from sqlalchemy import Engine, MetaData, select, update
from sqlalchemy.orm import Session

from apps.cli import main
from core.db import make_engine, migrate
from core.models import Attachment, Department, Deputy, Document
from core.models.identity import Device, User, UserRole
from core.models.syncstate import ClientState, OutboxEntry
from core.sync.blobs import sha256_hex
from core.sync.bundle import (
    KIND_PUSH,
    MAGIC,
    BundleError,
    export_client_bundle,
    export_server_reply,
    import_client_bundle,
    import_server_reply,
    parse_bundle,
)
from core.sync.client import LocalStore, SyncClient
from core.sync.keys import (
    KEYRING_SERVICE,
    device_key_name,
    device_public_key,
    encode_public_key,
    enrol_device,
    load_server_key,
    trust_server_key,
)
from tests.sync.harness import World

PUBLIC_ID = "01900000-0000-7000-8000-000000000001"
INTERNAL_ID = "01900000-0000-7000-8000-000000000002"
DEPUTY_ID = "01900000-0000-7000-8000-000000000003"
DEPT_ID = "01900000-0000-7000-8000-000000000004"
NEW_DOC_ID = "01900000-0000-7000-8000-0000000000a1"
REFUSED_DOC_ID = "01900000-0000-7000-8000-0000000000a2"
ATTACH_ID = "01900000-0000-7000-8000-0000000000a3"
USER_ID = "01900000-0000-7000-8000-0000000000f1"
SCAN = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64


# ------------------------------------------------------------------------------------ helpers
_ENGINES: list[Engine] = []


@pytest.fixture(autouse=True)
def _close_engines(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close every database a test opened, so no connection outlives its test."""
    yield
    for value in request.node.funcargs.values():
        if isinstance(value, World):
            _ENGINES.append(value.engine)
    while _ENGINES:
        _ENGINES.pop().dispose()


def _world(root: Path, url: str) -> World:
    world = World(root, url)
    _ENGINES.append(world.engine)
    return world


def _client(world: World, user_id: str) -> SyncClient:
    client = world.client(user_id)
    _ENGINES.append(client.store.engine)
    return client


def _add_user(world: World, user_id: str, username: str, *roles: str) -> str:
    with world.factory() as s, s.begin():
        s.add(User(id=user_id, username=username, display_name=username, password_hash="x"))
        s.flush()
        for role in roles:
            s.add(UserRole(user_id=user_id, role=role))
    return user_id


def _add_editor_role(world: World) -> None:
    """A clerk who keeps documents and registries but may not see internal material nor masked columns,
    so one round has an applied edit, a conflict, a refusal and a masked value."""
    from core.auth.roles import P_BUDGET_DATA, P_BUDGET_PLAN, P_SYNC
    from core.models.identity import Role

    with world.factory() as s, s.begin():
        s.add(Role(name="registry_editor", label_zh="材料与名录维护", label_en="Registry editor",
                   permissions=[P_SYNC, P_BUDGET_DATA, P_BUDGET_PLAN], scopes=["public", "registry", "user:self"]))


def _seed(world: World) -> None:
    with world.factory() as s, s.begin():
        s.info["actor"] = "seed"
        s.add(Document(id=PUBLIC_ID, title="2024年市级预算草案", classification="public", year=2024,
                       amount_fen=987_480_000_000_00))
        s.add(Document(id=INTERNAL_ID, title="预工委初审意见（内部）", classification="internal", year=2024))
        s.add(Deputy(id=DEPUTY_ID, name="王建国", delegation="黄浦区代表团", phone="13912345678",
                     id_number="310101196505051234"))
        s.add(Department(id=DEPT_ID, code="101", name="市教委"))


class Laptop:
    """A client synced only through bundles, with its server's signing key."""

    def __init__(self, world: World, user_id: str, server_key: SigningKey, folder: Path) -> None:
        self.world = world
        self.client = _client(world, user_id)
        self.store = self.client.store
        self.device_id = self.store.device_id()
        self.key = server_key
        self.folder = folder
        self.rounds = 0
        folder.mkdir(parents=True, exist_ok=True)
        enrol_device(world.factory, self.device_id, user_id, device_public_key(self.device_id), audit=False)
        trust_server_key(self.store, encode_public_key(server_key))

    def push_bundle(self) -> Path:
        self.rounds += 1
        return export_client_bundle(self.store, self.folder / f"push-{self.rounds}.rsb").path

    def import_push(self, path: Path) -> Any:
        return import_client_bundle(self.world.service, self.world.factory, path, blobs=self.world.blobs.store)

    def reply_bundle(self) -> Path:
        return export_server_reply(self.world.service, self.world.factory, self.device_id,
                                   self.folder / f"reply-{self.rounds}.rsb", signing_key=self.key,
                                   blobs=self.world.blobs.store).path

    def import_reply(self, path: Path) -> Any:
        return import_server_reply(self.client, path)

    def sync(self) -> None:
        self.import_push(self.push_bundle())
        self.import_reply(self.reply_bundle())


_REFLECTED: dict[str, MetaData] = {}


def dump(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: compares whole databases before and after."""
    meta = _REFLECTED.get(str(engine.url))
    if meta is None:
        meta = _REFLECTED[str(engine.url)] = MetaData()
        meta.reflect(engine)
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            out[table.name] = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
    return out


def blob_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _edit(client: SyncClient, fn: Any) -> None:
    with client.store.session() as s, s.begin():
        fn(s)


def _tamper(path: Path, where: str) -> Path:
    data = bytearray(path.read_bytes())
    raw = parse_bundle(bytes(data))
    header_at = len(MAGIC) + 5
    body_at = len(raw.signed) - len(raw.body)
    if where == "header":
        i = data.index(b'"bundle_no":') + len(b'"bundle_no":')
        data[i] = ord("7") if data[i] != ord("7") else ord("8")
    elif where == "header-device":
        i = data.index(b'"device_id":"', header_at) + len(b'"device_id":"')
        data[i] = ord("a") if data[i] != ord("a") else ord("b")
    elif where == "body":
        data[body_at + len(raw.body) // 2] ^= 0x01
    elif where == "signature":
        data[-10] ^= 0x80
    elif where == "magic":
        data[1] ^= 0x20
    elif where == "truncated":
        del data[-100:]
    elif where == "appended":
        data += b"\x00"
    else:  # pragma: no cover
        raise AssertionError(where)
    out = path.with_name(f"{path.stem}-{where}{path.suffix}")
    out.write_bytes(bytes(data))
    return out


TAMPERING = ["header", "header-device", "body", "signature", "magic", "truncated", "appended"]


@pytest.fixture
def server_key(tmp_path: Path) -> SigningKey:
    return load_server_key(tmp_path / "server-data")


# ------------------------------------------------------------------------------------ equivalence
@pytest.fixture
def second_server_url(request: pytest.FixtureRequest, server_db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second server database of the same kind as ``server_db_url``."""
    if server_db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'server-b.sqlite3'}"
        return
    with request.getfixturevalue("pg_cluster").database() as url:
        yield url


def _normalised(rows: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table, by_id in rows.items():
        items = []
        for row in by_id.values():
            row = {k: v for k, v in row.items() if k != "changed_at"}
            if table == "sync_conflict":
                row = {k: v for k, v in row.items() if k not in ("id", "mutation_id")}
            items.append(repr(sorted(row.items())))
        out[table] = sorted(items)
    return out


def _all_rows(factory: Any, registry_tables: list[Any]) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = {}
    with factory() as s:
        for spec in registry_tables:
            out[spec.name] = {r["id"]: dict(r) for r in s.execute(select(spec.table)).mappings()}
    return out


def _same_edits(client: SyncClient) -> None:
    def first(s: Session) -> None:
        s.add(Document(id=NEW_DOC_ID, title="代表建议汇总", classification="public", year=2025))
        s.get(Document, PUBLIC_ID).body = "代表审阅意见"  # type: ignore[union-attr]
        s.get(Deputy, DEPUTY_ID).expertise = "财政"  # type: ignore[union-attr]
        s.add(Document(id=REFUSED_DOC_ID, title="越权新建的内部材料", classification="internal"))

    _edit(client, first)
    with client.store.session() as s, s.begin():
        owner = s.get(Document, NEW_DOC_ID)
        assert owner is not None
        att = client.store.attach(s, owner, SCAN, "会场照片.png")
        att.id = ATTACH_ID
    _edit(client, lambda s: setattr(s.get(Document, NEW_DOC_ID), "deleted", False))
    _edit(client, lambda s: setattr(s.get(Department, DEPT_ID), "name", "上海市教育委员会"))


def _server_edits(world: World) -> None:
    with world.factory() as s, s.begin():
        s.info["actor"] = "clerk"
        doc = s.get(Document, PUBLIC_ID)
        assert doc is not None
        doc.body = "服务器上的修改"  # conflicts with the client's edit of body
        doc.year = 2025  # merges
        dept = s.get(Department, DEPT_ID)
        assert dept is not None
        dept.parent_code = "1"


def test_bundle_sync_reaches_the_same_state_as_http_sync(server_db_url: str, second_server_url: str,
                                                          tmp_path: Path, server_key: SigningKey) -> None:
    from core.sync.schema import REGISTRY

    http_world = _world(tmp_path / "http", server_db_url)
    bundle_world = _world(tmp_path / "bundle", second_server_url)
    for world in (http_world, bundle_world):
        _seed(world)
        _add_editor_role(world)
        _add_user(world, USER_ID, "editor1", "registry_editor")
    http_client = _client(http_world, USER_ID)
    laptop = Laptop(bundle_world, USER_ID, server_key, tmp_path / "usb")

    http_client.sync()
    laptop.sync()
    for client in (http_client, laptop.client):
        _same_edits(client)
    for world in (http_world, bundle_world):
        _server_edits(world)
    report = http_client.sync()
    assert report.conflicts == 1 and report.rejected == 1
    laptop.sync()

    tables = list(REGISTRY)
    assert _normalised(_all_rows(http_world.factory, tables)) == _normalised(_all_rows(bundle_world.factory, tables))
    assert _normalised(_all_rows(http_client.store.factory, tables)) == \
        _normalised(_all_rows(laptop.store.factory, tables))
    assert http_client.store.cursor() == laptop.store.cursor()
    assert http_client.store.pending_count() == laptop.store.pending_count() == 0
    with laptop.store.session() as s:
        assert s.get(Document, REFUSED_DOC_ID) is None  # a rejected insert is dropped locally, as over HTTP
        deputy = s.get(Deputy, DEPUTY_ID)
        assert deputy is not None and deputy.phone == "139****5678"  # masked as over HTTP
    assert blob_files(tmp_path / "http" / "server-blobs") == blob_files(tmp_path / "bundle" / "server-blobs")
    # A further round with nothing new changes no data on either side (only the bookkeeping moves).
    before = _normalised(_all_rows(bundle_world.factory, tables)), _normalised(_all_rows(laptop.store.factory, tables))
    laptop.sync()
    after = _normalised(_all_rows(bundle_world.factory, tables)), _normalised(_all_rows(laptop.store.factory, tables))
    assert before == after


# ------------------------------------------------------------------------------------ refusals
@pytest.mark.parametrize("where", TAMPERING)
def test_tampered_client_bundle_is_refused_and_nothing_changes(sqlite_world: World, server_key: SigningKey,
                                                              tmp_path: Path, where: str) -> None:
    world = sqlite_world
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    laptop.sync()
    _edit(laptop.client, lambda s: setattr(s.get(Document, PUBLIC_ID), "body", "改动"))
    with laptop.store.session() as s, s.begin():
        doc = s.get(Document, INTERNAL_ID)
        assert doc is not None
        laptop.store.attach(s, doc, SCAN, "扫描件.png")
    good = laptop.push_bundle()
    bad = _tamper(good, where)
    before, blobs_before = dump(world.engine), blob_files(tmp_path / "server-blobs")
    with pytest.raises(BundleError) as err:
        laptop.import_push(bad)
    assert err.value.message and re.search(r"[\u4e00-\u9fff]", err.value.message)
    assert dump(world.engine) == before
    assert blob_files(tmp_path / "server-blobs") == blobs_before
    assert laptop.import_push(good).applied == 2  # the untouched file still imports


@pytest.mark.parametrize("where", TAMPERING)
def test_tampered_reply_is_refused_and_nothing_changes(sqlite_world: World, server_key: SigningKey,
                                                       tmp_path: Path, where: str) -> None:
    world = sqlite_world
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    _edit(laptop.client, lambda s: s.add(Document(title="新材料", classification="public")))
    laptop.import_push(laptop.push_bundle())
    good = laptop.reply_bundle()
    bad = _tamper(good, where)
    before = dump(laptop.store.engine)
    with pytest.raises(BundleError) as err:
        laptop.import_reply(bad)
    assert err.value.message
    assert dump(laptop.store.engine) == before
    assert laptop.store.pending_count() == 1
    report = laptop.import_reply(good)
    assert report.acknowledged == 1 and report.rows == 5 and laptop.store.pending_count() == 0


def test_gap_in_client_bundles_is_refused_and_nothing_changes(world: World, server_key: SigningKey,
                                                              tmp_path: Path) -> None:
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    for title in ("一", "二", "三"):
        _edit(laptop.client, lambda s, t=title: s.add(Document(title=t, classification="public")))
    first = laptop.push_bundle()
    _edit(laptop.client, lambda s: s.add(Document(title="四", classification="public")))  # not in bundle 1
    laptop.import_push(first)
    laptop.import_reply(laptop.reply_bundle())
    assert laptop.store.pending_count() == 1  # only the fourth edit is still waiting
    _edit(laptop.client, lambda s: s.add(Document(title="五", classification="public")))
    second = laptop.push_bundle()
    # The server loses what bundle 1 brought (restored from an older backup).
    with world.factory() as s, s.begin():
        s.execute(update(Device).where(Device.id == laptop.device_id).values(last_outbox_seq=0))
    before = dump(world.engine)
    with pytest.raises(BundleError, match="缺少之前的同步包") as err:
        laptop.import_push(second)
    assert err.value.code == "gap"
    assert dump(world.engine) == before


def test_gap_in_replies_is_refused_and_nothing_changes(sqlite_world: World, server_key: SigningKey,
                                                       tmp_path: Path) -> None:
    world = sqlite_world
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    laptop.sync()
    with world.factory() as s, s.begin():
        s.add(Document(title="服务器新增", classification="public"))
    laptop.import_push(laptop.push_bundle())  # tells the server the laptop's cursor
    reply = laptop.reply_bundle()
    # The laptop's database is restored from an older backup: its cursor is back at the start.
    with laptop.store.remote_session() as s, s.begin():
        LocalStore.put_state(s, "cursor", {})
    before = dump(laptop.store.engine)
    with pytest.raises(BundleError, match="同步包不连续") as err:
        laptop.import_reply(reply)
    assert err.value.code == "gap"
    assert dump(laptop.store.engine) == before


def test_reimporting_the_same_bundles_changes_nothing(world: World, server_key: SigningKey, tmp_path: Path) -> None:
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    laptop.sync()
    _edit(laptop.client, lambda s: setattr(s.get(Document, PUBLIC_ID), "body", "第一次"))
    _edit(laptop.client, lambda s: s.add(Document(title="新材料", classification="internal")))
    push = laptop.push_bundle()
    first = laptop.import_push(push)
    assert first.applied == 2 and first.changed
    server_after_first = dump(world.engine)
    again = laptop.import_push(push)
    assert again.replayed == 2 and not again.changed
    assert dump(world.engine) == server_after_first

    reply = laptop.reply_bundle()
    assert laptop.import_reply(reply).acknowledged == 2
    client_after_first = dump(laptop.store.engine)
    second = laptop.import_reply(reply)
    assert not second.changed and second.already_applied
    assert dump(laptop.store.engine) == client_after_first
    # An older bundle arriving late changes nothing either.
    assert not laptop.import_push(push).changed


def test_wrong_device_key_is_refused(sqlite_world: World, server_key: SigningKey, tmp_path: Path) -> None:
    import keyring

    world = sqlite_world
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    _edit(laptop.client, lambda s: s.add(Document(title="甲", classification="public")))
    # The laptop's key changes after enrolment (e.g. another machine claims its device id).
    impostor = SigningKey.generate()
    import base64

    keyring.set_password(KEYRING_SERVICE, device_key_name(laptop.device_id), base64.b64encode(bytes(impostor)).decode())
    bundle = laptop.push_bundle()
    before = dump(world.engine)
    with pytest.raises(BundleError, match="签名校验失败") as err:
        laptop.import_push(bundle)
    assert err.value.code == "signature"
    assert dump(world.engine) == before


def test_unknown_device_wrong_kind_and_wrong_addressee_are_refused(sqlite_world: World, server_key: SigningKey,
                                                                  tmp_path: Path) -> None:
    world = sqlite_world
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    other = Laptop(world, staff, server_key, tmp_path / "usb2")
    stranger = _client(world, staff)  # never enrolled
    _edit(stranger, lambda s: s.add(Document(title="乙", classification="public")))
    path = export_client_bundle(stranger.store, tmp_path / "stranger.rsb").path
    before = dump(world.engine)
    with pytest.raises(BundleError, match="还没有在服务器上登记"):
        import_client_bundle(world.service, world.factory, path)
    laptop.import_push(laptop.push_bundle())
    reply = laptop.reply_bundle()
    with pytest.raises(BundleError, match="回执包") as err:
        laptop.import_push(reply)  # a reply carried to the server
    assert err.value.code == "kind"
    assert dump(world.engine) != before  # (the real push above changed it)
    client_before = dump(other.store.engine)
    with pytest.raises(BundleError, match="另一台电脑") as err:
        other.import_reply(reply)
    assert err.value.code == "device"
    with pytest.raises(BundleError, match="上传包"):
        other.import_reply(other.push_bundle())  # an upload bundle imported on a laptop
    assert {k: v for k, v in dump(other.store.engine).items() if k != "client_state"} == \
        {k: v for k, v in client_before.items() if k != "client_state"}
    # A reply signed by a key the laptop does not trust.
    forged = export_server_reply(world.service, world.factory, laptop.device_id, tmp_path / "forged.rsb",
                                 signing_key=SigningKey.generate()).path
    client_before = dump(laptop.store.engine)
    with pytest.raises(BundleError, match="信任") as err:
        laptop.import_reply(forged)
    assert err.value.code == "signature"
    assert dump(laptop.store.engine) == client_before


def test_attachment_carried_in_bundles_arrives_intact(world: World, server_key: SigningKey, tmp_path: Path) -> None:
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    a = Laptop(world, staff, server_key, tmp_path / "usb-a")
    b = Laptop(world, staff, server_key, tmp_path / "usb-b")
    a.sync()
    with a.store.session() as s, s.begin():
        doc = s.get(Document, INTERNAL_ID)
        assert doc is not None
        sha = a.store.attach(s, doc, SCAN, "初审意见扫描件.png").sha256
    push = a.push_bundle()
    assert a.import_push(push).blobs == 1
    assert world.blobs.store.get(sha) == SCAN
    assert sha256_hex(world.blobs.store.get(sha)) == sha
    b.sync()  # an air-gapped laptop receives the bytes in its reply
    assert b.store.blobs.get(sha) == SCAN
    with b.store.session() as s:
        att = s.scalars(select(Attachment).where(Attachment.sha256 == sha)).one()
        assert att.filename == "初审意见扫描件.png" and att.size == len(SCAN)


def test_disallowed_attachment_in_a_bundle_is_refused(sqlite_world: World, server_key: SigningKey,
                                                      tmp_path: Path) -> None:
    world = sqlite_world
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    laptop.sync()
    program = b"MZ\x90\x00" + b"\x00" * 200  # a Windows program, not an allowed document
    sha = laptop.store.blobs.put(program)
    with laptop.store.session() as s, s.begin():
        s.add(Attachment(sha256=sha, size=len(program), mime="application/pdf", filename="通知.pdf",
                         owner_table="reg_document", owner_id=PUBLIC_ID, owner_scope="public"))
    bundle = laptop.push_bundle()
    before, blobs_before = dump(world.engine), blob_files(tmp_path / "server-blobs")
    with pytest.raises(BundleError, match="附件被拒绝"):
        laptop.import_push(bundle)
    assert dump(world.engine) == before and blob_files(tmp_path / "server-blobs") == blobs_before


def test_server_reply_masks_and_scopes_as_http(sqlite_world: World, server_key: SigningKey, tmp_path: Path) -> None:
    world = sqlite_world
    _seed(world)
    deputy = world.add_user("deputy", "deputy")
    laptop = Laptop(world, deputy, server_key, tmp_path / "usb")
    laptop.sync()
    with laptop.store.session() as s:
        titles = set(s.scalars(select(Document.title)))
        phones = set(s.scalars(select(Deputy.phone)))
    assert titles == {"2024年市级预算草案"}  # the internal paper is out of the deputy's scopes
    assert phones == {"139****5678"}


def test_revoked_scope_is_purged_through_bundles(sqlite_world: World, server_key: SigningKey,
                                                tmp_path: Path) -> None:
    from sqlalchemy import delete

    from core.models.identity import UserScopeGrant

    world = sqlite_world
    _seed(world)
    deputy = world.add_user("deputy", "deputy", scopes=("budget.internal",))
    laptop = Laptop(world, deputy, server_key, tmp_path / "usb")
    laptop.sync()
    with laptop.store.session() as s:
        assert s.get(Document, INTERNAL_ID) is not None
    with world.factory() as s, s.begin():
        s.execute(delete(UserScopeGrant).where(UserScopeGrant.user_id == deputy))
    laptop.import_push(laptop.push_bundle())
    reply = laptop.reply_bundle()
    report = laptop.import_reply(reply)
    assert report.changed and not report.already_applied
    with laptop.store.session() as s:
        assert s.get(Document, INTERNAL_ID) is None  # no longer visible: removed from the laptop
        assert s.get(Document, PUBLIC_ID) is not None
    before = dump(laptop.store.engine)
    assert laptop.import_reply(reply).already_applied
    assert dump(laptop.store.engine) == before


def test_laptop_behind_compaction_resyncs_through_a_reply(world: World, server_key: SigningKey,
                                                          tmp_path: Path) -> None:
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    laptop.sync()
    with world.factory() as s, s.begin():
        s.info["actor"] = "clerk"
        for i in range(5):
            s.add(Document(title=f"新增{i}", classification="public"))
        doc = s.get(Document, INTERNAL_ID)
        assert doc is not None
        doc.deleted = True
    world.service.compact()  # the tombstone is gone: the laptop can no longer be told about it
    _edit(laptop.client, lambda s: setattr(s.get(Document, PUBLIC_ID), "body", "离线修改"))
    laptop.import_push(laptop.push_bundle())
    info = export_server_reply(world.service, world.factory, laptop.device_id, tmp_path / "resync.rsb",
                               signing_key=server_key)
    assert info.resync
    report = laptop.import_reply(info.path)
    assert report.resync and report.acknowledged == 1
    with laptop.store.session() as s:
        titles = set(s.scalars(select(Document.title)))
        assert s.get(Document, INTERNAL_ID) is None
        assert s.get(Document, PUBLIC_ID).body == "离线修改"  # type: ignore[union-attr]
    assert {f"新增{i}" for i in range(5)} <= titles
    server = world.server_rows(world.principal(staff))
    assert {r["id"] for r in server["reg_document"].values()} == set(_ids(laptop, Document))
    before = dump(laptop.store.engine)
    assert laptop.import_reply(info.path).already_applied  # a replay does not wipe again
    assert dump(laptop.store.engine) == before


def _ids(laptop: Laptop, model: Any) -> list[str]:
    with laptop.store.session() as s:
        return list(s.scalars(select(model.id)))


def test_reply_in_many_pages(sqlite_world: World, server_key: SigningKey, tmp_path: Path) -> None:
    world = sqlite_world
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    with world.factory() as s, s.begin():
        for i in range(23):
            s.add(Document(title=f"材料{i}", classification="internal", year=2000 + i))
    laptop.import_push(laptop.push_bundle())
    info = export_server_reply(world.service, world.factory, laptop.device_id, tmp_path / "pages.rsb",
                               signing_key=server_key, page_limit=4)
    assert info.pages == 7 and info.rows == 27
    seen: list[tuple[str, int, int | None]] = []
    report = import_server_reply(laptop.client, info.path, progress=lambda *a: seen.append(a))
    assert report.pages == 7 and report.rows == 27 and seen[-1] == ("pull", 27, None)
    server = world.server_rows(world.principal(staff))
    assert sorted(server["reg_document"]) == sorted(_ids(laptop, Document))


def test_empty_outbox_bundle_only_moves_the_cursor(sqlite_world: World, server_key: SigningKey,
                                                   tmp_path: Path) -> None:
    world = sqlite_world
    _seed(world)
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    laptop.sync()
    with world.factory() as s, s.begin():
        s.add(Document(title="新增", classification="public"))
    laptop.sync()
    with world.factory() as s:
        device = s.get(Device, laptop.device_id)
        assert device is not None and device.last_bundle_no == 2
    assert laptop.import_push(laptop.push_bundle()).changed  # the new cursor is recorded
    reply = export_server_reply(world.service, world.factory, laptop.device_id, tmp_path / "r.rsb",
                                signing_key=server_key)
    assert reply.rows == 0 and reply.results == 0


# ------------------------------------------------------------------------------------ command line
def _out(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_cli_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    world = _world(tmp_path / "srv", server_url)
    _seed(world)
    _add_user(world, USER_ID, "zhang", "budget_staff")
    server_args = ["--db", server_url, "--data-dir", str(tmp_path / "srv-data")]
    usb = tmp_path / "usb"
    usb.mkdir()

    assert main(["sync", "keys"]) == 0
    out, _ = _out(capsys)
    device_id = re.search(r"设备号：(\S+)", out).group(1)  # type: ignore[union-attr]
    public_key = re.search(r"公钥：(\S+)", out).group(1)  # type: ignore[union-attr]

    assert main(["sync", "enrol", "--device", device_id, "--user", "zhang", "--public-key", public_key,
                 "--name", "预工委笔记本", *server_args]) == 0
    out, _ = _out(capsys)
    assert "已登记设备" in out
    server_public = re.search(r"--public-key (\S+)", out).group(1)  # type: ignore[union-attr]
    assert main(["sync", "enrol", "--device", device_id, "--user", "zhang", "--public-key", public_key,
                 *server_args]) == 0
    assert "未作改动" in _out(capsys)[0]

    assert main(["sync", "import", str(usb / "none.rsb")]) == 1
    assert "找不到同步包文件" in _out(capsys)[1]

    from core.paths import data_dir

    engine = make_engine(f"sqlite:///{data_dir() / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, data_dir() / "blobs")
    with store.session() as s, s.begin():
        s.add(Document(title="笔记本上新建的审查材料", classification="internal", year=2025))
    engine.dispose()

    assert main(["sync", "export", "--out", str(usb)]) == 0
    push = next(usb.glob("renda-push-*.rsb"))
    tampered = _tamper(push, "body")
    assert main(["sync", "import", "--server", str(tampered), *server_args]) == 1
    assert "签名校验失败" in _out(capsys)[1]
    assert main(["sync", "import", "--server", str(push), *server_args]) == 0
    out, _ = _out(capsys)
    assert "收到修改 1 条" in out and device_id in out
    assert main(["sync", "export", "--server", "--out", str(usb), *server_args]) == 1
    assert "--device" in _out(capsys)[1]
    assert main(["sync", "export", "--server", "--device", device_id, "--out", str(usb), *server_args]) == 0
    reply = next(usb.glob("renda-reply-*.rsb"))

    assert main(["sync", "import", str(reply)]) == 1
    assert "服务器的公钥" in _out(capsys)[1]
    assert main(["sync", "import", str(reply), "--server-key", server_public]) == 0
    out, _ = _out(capsys)
    assert "确认上传 1 条" in out
    assert main(["sync", "import", str(reply)]) == 0  # the key is remembered; a replay changes nothing
    assert "没有新的变化" in _out(capsys)[0]
    assert main(["sync", "import", "--server", str(reply), *server_args]) == 1
    assert "应拿回笔记本" in _out(capsys)[1]

    with world.factory() as s:
        assert s.scalars(select(Document).where(Document.title == "笔记本上新建的审查材料")).one().version == 1
    engine = make_engine(f"sqlite:///{data_dir() / 'local.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(select(OutboxEntry)).first() is None
            titles = set(conn.execute(select(Document.title)).scalars())
            assert {"笔记本上新建的审查材料", "2024年市级预算草案"} <= titles
            assert conn.execute(select(ClientState.value).where(ClientState.key == "server_public_key")).scalar()
    finally:
        engine.dispose()
    assert main(["sync", "keys", "--server", *server_args]) == 0
    assert server_public in _out(capsys)[0]


def test_cli_refuses_bad_enrolment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    world = _world(tmp_path / "srv", server_url)
    _add_user(world, USER_ID, "zhang", "budget_staff")
    args = ["--db", server_url, "--data-dir", str(tmp_path / "srv-data")]
    device = "01900000-0000-7000-8000-00000000beef"
    assert main(["sync", "enrol", "--device", device, "--user", "li", "--public-key", "x" * 44, *args]) == 1
    assert "公钥格式不正确" in _out(capsys)[1]
    key = encode_public_key(SigningKey.generate())
    assert main(["sync", "enrol", "--device", device, "--user", "li", "--public-key", key, *args]) == 1
    assert "没有用户" in _out(capsys)[1]
    assert main(["sync", "enrol", "--device", device, "--user", "zhang", "--public-key", key, *args]) == 0
    other = encode_public_key(SigningKey.generate())
    assert main(["sync", "enrol", "--device", device, "--user", "zhang", "--public-key", other, *args]) == 1
    assert "--replace" in _out(capsys)[1]
    assert main(["sync", "enrol", "--device", device, "--user", "zhang", "--public-key", other, "--replace",
                 *args]) == 0
    assert "已更换" in _out(capsys)[0]


def test_export_refused_without_keyring(sqlite_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import null

    client = _client(sqlite_world, sqlite_world.add_user("staff", "budget_staff"))
    monkeypatch.setattr(keyring, "get_keyring", lambda: null.Keyring())
    keyring.set_keyring(null.Keyring())
    with pytest.raises(BundleError, match="密码库") as err:
        export_client_bundle(client.store, tmp_path / "x.rsb")
    assert err.value.code == "key" and not (tmp_path / "x.rsb").exists()


def test_oversized_body_is_refused_before_decompressing(sqlite_world: World, server_key: SigningKey,
                                                        tmp_path: Path) -> None:
    world = sqlite_world
    staff = world.add_user("staff", "budget_staff")
    laptop = Laptop(world, staff, server_key, tmp_path / "usb")
    _edit(laptop.client, lambda s: s.add(Document(title="甲" * 100, classification="public", body="乙" * 5000)))
    path = laptop.push_bundle()
    before = dump(world.engine)
    with pytest.raises(BundleError, match="过大") as err:
        import_client_bundle(world.service, world.factory, path, max_body_bytes=1000)
    assert err.value.code == "size"
    assert dump(world.engine) == before
    with pytest.raises(BundleError, match="过大"):
        export_client_bundle(laptop.store, tmp_path / "big.rsb", max_body_bytes=1000)
    assert not (tmp_path / "big.rsb").exists()


def test_bundle_header_is_readable_without_the_key(sqlite_world: World, server_key: SigningKey,
                                                   tmp_path: Path) -> None:
    staff = sqlite_world.add_user("staff", "budget_staff")
    laptop = Laptop(sqlite_world, staff, server_key, tmp_path / "usb")
    path = laptop.push_bundle()
    raw = parse_bundle(path.read_bytes())
    assert raw.header.kind == KIND_PUSH and raw.header.device_id == laptop.device_id
    assert raw.header.bundle_no == 1 and raw.header.user_id == ""
    assert path.read_bytes().startswith(MAGIC)
