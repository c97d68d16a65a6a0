"""Screenshots of 接口与交换 and of 专属链接与微信, for the clerk (``cadre``) and the reader (``cadrereader``).

The clerk's computer holds the appointments link's state of earlier pulls (【演示数据】 address and cursor); a
package from the office system naming two of the demo people is imported through the page; then a pull from a
demonstration appointments system (in process, no network) offers a file with a wrong ID check digit, and the
page shows the refusal with its row and column. On 通知公告, 专属链接与微信 for 张国华 with one WeChat binding, a
refused openid, and a new link shown once."""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from apps.cadre.window import CadreDesk, create_window
from apps.common.screenshots import Shot, ShotEnv
from core.cadre.appointments import COLUMNS
from core.cadre.appointments_link import AppointmentsAdapter, LinkConfig, Manifest, ManifestEntry
from core.cadre.appointments_link_pull import STATE_KEY, LinkState, pull
from core.cadre.models import CadPerson
from core.cadre.record import with_check_digit
from core.sync.client import LocalStore

DEMO = "【演示数据】"
LINK_URL = "https://rsrm.example.gov.cn/renda/"
PDF = b"%PDF-1.4\n% demo\n1 0 obj << >> endobj\n%%EOF\n"


class DemoAppointments(AppointmentsAdapter):
    """A demonstration appointments system offering one file whose second person's ID number is mistyped."""

    name = "http"

    def __init__(self) -> None:
        super().__init__(LinkConfig(LINK_URL))
        born = date(1966, 5, 12)
        good = with_check_digit(f"310101{born:%Y%m%d}012")
        wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
        header = [c.header for c in COLUMNS]
        rows = [["孙立华", "男", born.isoformat(), wrong, "", "汉族", "上海", "办公厅", "处长", "正处级", "1988-07-01",
                 "1990-06-15", "沪人任〔2026〕21号", ""]]
        self.data = ("\ufeff" + "\n".join(",".join(r) for r in [header, *rows]) + "\n").encode("utf-8")
        self.entry = ManifestEntry("2026-0012", "即将离退休-2026年12月.csv", hashlib.sha256(self.data).hexdigest(),
                                   len(self.data), "files/2026-0012")

    def list_files(self, since: str) -> Manifest:
        return Manifest((self.entry,), source=DEMO)

    def fetch(self, entry: ManifestEntry, cancel: threading.Event | None = None) -> bytes:
        return self.data


def _seed_link(store: LocalStore) -> None:
    earlier = (datetime.now(UTC) - timedelta(days=3)).replace(hour=1, minute=30, second=0, microsecond=0)
    state = LinkState("http", LINK_URL, "2026-0011", earlier.isoformat(timespec="seconds"), True,
                      "已从人事任免系统导入 1 个文件：新增 2 人，更新 0 人，0 人与已导入的内容相同未作改动。接收位置：2026-0011。", 11)
    with store.session() as s, s.begin():
        store.put_state(s, STATE_KEY, state.as_value())


def _package(folder: Path, people: list[str]) -> Path:
    manifest = {"format": "renda-office-exchange", "version": 1, "document_no": "沪人大办〔2026〕31号",
                "title": "关于开展老干部冬季健康讲座的通知", "issuer": "上海市人大常委会办公厅",
                "date": date.today().isoformat(), "secrecy": "内部", "channel": "邮寄",
                "recipients": [{"person_id": p} for p in people],
                "attachments": [{"name": "正文.pdf", "sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF)}]}
    path = folder / "公文交换包-健康讲座.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        archive.writestr("正文.pdf", PDF)
    return path


def interfaces_shots(env: ShotEnv) -> Iterator[Shot]:
    for username in ("cadre", "cadrereader"):
        context = env.connect(username)
        env.sync(context)
        if username == "cadre":
            _seed_link(context.store)
        window = create_window(context)
        window.resize(1280, 800)
        desk = window.page()  # type: ignore[attr-defined]
        assert isinstance(desk, CadreDesk)
        page = desk.interfaces
        page.reload()
        desk.setCurrentWidget(page)
        if username != "cadre":
            yield f"cadre-interfaces-{username}", window
            continue
        with context.store.session() as s:
            people = list(s.scalars(select(CadPerson.id).where(CadPerson.source == DEMO)
                                    .order_by(CadPerson.name).limit(2)))
        with tempfile.TemporaryDirectory(prefix="renda-shots-") as folder:
            if people:
                page.import_package(_package(Path(folder), people))
            yield "cadre-interfaces-cadre", window
            try:
                pull(context.store.factory, DemoAppointments(), today=date.today())
            except Exception as refusal:  # the refusal the page shows
                page._pull_failed(refusal)
            page.reload()
            page.export_packages(Path(folder) / "导出", date.today() - timedelta(days=30))
            yield "cadre-interfaces-refused-cadre", window

        notices_page = desk.notices
        desk.setCurrentWidget(notices_page)
        zhang = next((pid for pid, name in _living(context.store) if name == "张国华"), "")
        dialog = notices_page.open_reach(zhang)
        if dialog is None:
            continue
        dialog.base.setText("https://portal.example.gov.cn")
        shown = dialog.make_link()
        if shown is not None:
            yield "cadre-link-shown-cadre", shown
            shown.reject()
        dialog.openid.setText("微信号 zgh")
        dialog.bind()
        yield "cadre-reach-cadre", dialog
        dialog.reject()


def _living(store: LocalStore) -> list[tuple[str, str]]:
    from core.cadre.notices import person_choices

    with store.session() as s:
        return person_choices(s, alive=True)
