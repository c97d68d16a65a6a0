"""Screenshots of 工作管理: the clerk (``cadre``) records a little 【演示数据】 care work on the people of
``apps.cadre.screenshots`` and syncs; each sub-page is rendered for the clerk, the aid and check-up pages for
the reader (``cadrereader``: no action buttons, no check-up on the computer)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select

from apps.cadre.window import CadreDesk, create_window
from apps.common.screenshots import Shot, ShotEnv
from core.cadre.models import (
    CadActivity,
    CadActivityEntry,
    CadAid,
    CadBranch,
    CadBranchMember,
    CadBranchOffice,
    CadCheckup,
    CadContact,
    CadDispatch,
    CadPerson,
    CadStatusChange,
)

DEMO = "【演示数据】"


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain one-colour PNG, standing in for a photo of the activity."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def seed_care(env: ShotEnv) -> None:
    clerk = env.connect("cadre")
    today = date.today()
    with clerk.store.session() as s, s.begin():
        if s.scalar(select(CadBranch.id).where(CadBranch.name == "机关离退休干部第一党支部")) is not None:
            return
        people = {p.name: p.id for p in s.scalars(select(CadPerson).where(CadPerson.source == DEMO))}
        if len(people) < 5:
            return
        zhang, li, wang, chen, zhou = (people[n] for n in ("张国华", "李秀英", "王建平", "陈美玲", "周志强"))
        branch = CadBranch(name="机关离退休干部第一党支部", founded_on=date(2008, 7, 1), note=DEMO)
        activity = CadActivity(title="重阳登高", kind="文体", held_on=today - timedelta(days=20), place="佘山国家森林公园",
                               capacity=30, state="done", note=DEMO)
        coming = CadActivity(title="迎春茶话会", kind="座谈", held_on=today + timedelta(days=40), place="机关礼堂",
                             capacity=80, state="open", note=DEMO)
        s.add_all([branch, activity, coming])
        s.flush()
        for pid in (zhang, li, wang, chen):
            s.add(CadBranchMember(person_id=pid, branch_id=branch.id, joined_on=date(2015, 1, 1)))
        s.add_all([
            CadBranchOffice(person_id=wang, branch_id=branch.id, office="书记", term_start=date(2017, 1, 1),
                            term_end=date(2022, 12, 31), note="换届"),
            CadBranchOffice(person_id=zhang, branch_id=branch.id, office="书记", term_start=date(2023, 1, 1)),
            CadBranchOffice(person_id=li, branch_id=branch.id, office="组织委员", term_start=date(2023, 1, 1)),
            CadBranchOffice(person_id=chen, branch_id=branch.id, office="宣传委员", term_start=date(2023, 1, 1)),
            CadAid(person_id=wang, applied_on=today - timedelta(days=5), reason="住院自付医疗费用较高",
                   requested_fen=500000),
            CadAid(person_id=li, applied_on=today - timedelta(days=60), reason="配偶大病医疗困难", requested_fen=300000,
                   state="paid", approved_fen=200000, decided_on=today - timedelta(days=50), decided_by="张处长",
                   paid_on=today - timedelta(days=45)),
            CadAid(person_id=chen, applied_on=today - timedelta(days=30), reason="住房修缮", requested_fen=100000,
                   state="refused", decided_on=today - timedelta(days=25), decided_by="张处长",
                   note="不属于帮困救助范围，转交机关服务中心"),
            CadActivityEntry(person_id=zhang, activity_id=activity.id, signed_up_on=today - timedelta(days=30),
                             attended=True),
            CadActivityEntry(person_id=li, activity_id=activity.id, signed_up_on=today - timedelta(days=28),
                             attended=True),
            CadActivityEntry(person_id=wang, activity_id=activity.id, signed_up_on=today - timedelta(days=27),
                             attended=False),
            CadActivityEntry(person_id=chen, activity_id=coming.id, signed_up_on=today),
            CadCheckup(person_id=zhang, year=today.year, arranged_on=today - timedelta(days=60),
                       done_on=today - timedelta(days=55), hospital="华东医院", conclusion="未见明显异常",
                       result="血压、血糖正常"),
            CadCheckup(person_id=li, year=today.year, arranged_on=today - timedelta(days=60), hospital="华东医院"),
            CadCheckup(person_id=wang, year=today.year, arranged_on=today - timedelta(days=58),
                       done_on=today - timedelta(days=50), hospital="瑞金医院", conclusion="建议心内科复查",
                       result="心电图 ST 段改变"),
            CadContact(person_id=wang, contacted_on=today - timedelta(days=3), kind="慰问", staff="张处长",
                       summary="住院期间到医院看望，转达组织关心"),
            CadContact(person_id=li, contacted_on=today - timedelta(days=10), kind="电话", staff="刘科长",
                       summary="电话问候，了解配偶病情"),
            CadContact(person_id=zhang, contacted_on=today - timedelta(days=31), kind="走访", staff="张处长",
                       summary="重阳节前上门走访，身体尚好"),
            CadStatusChange(person_id=zhou, changed_on=today - timedelta(days=15), kind="其他", from_text="在职",
                            to_text="即将退休", document_no="沪人任〔2026〕12号", note="人事任免导入"),
            CadStatusChange(person_id=chen, changed_on=date(today.year, 1, 1), kind="待遇调整", from_text="正处级",
                            to_text="副局级", document_no="沪人大办〔2026〕3号"),
            CadDispatch(person_id=zhang, title="关于做好离退休干部冬季走访慰问工作的通知",
                        document_no="沪人大办〔2026〕21号", sent_on=today - timedelta(days=8), channel="邮寄",
                        received_on=today - timedelta(days=6)),
            CadDispatch(person_id=wang, title="市人大常委会工作要点", document_no="沪人大办〔2026〕2号",
                        sent_on=today - timedelta(days=90), channel="专人送达", received_on=today - timedelta(days=90)),
        ])
        for n, colour in enumerate(((51, 102, 170), (200, 120, 40))):
            clerk.store.attach(s, activity, _png(64, 48, colour), f"重阳登高合影{n + 1}.png")
    env.sync(clerk)


SUB_PAGES = ("branches", "aid", "activities", "checkups", "contacts")


def care_shots(env: ShotEnv) -> Iterator[Shot]:
    seed_care(env)
    for username, pages in (("cadre", SUB_PAGES), ("cadrereader", ("aid", "checkups"))):
        context = env.connect(username)
        env.sync(context)
        window = create_window(context)
        window.resize(1280, 800)
        desk = window.page()  # type: ignore[attr-defined]
        assert isinstance(desk, CadreDesk)
        desk.setCurrentWidget(desk.care)
        for name in pages:
            section = getattr(desk.care, name)
            desk.care.setCurrentWidget(section)
            if name == "aid" and section.rows:
                section.table.selectRow(0)
            yield f"cadre-care-{name}-{username}", window
            if name == "aid" and username == "cadre" and section.rows:
                dialog = section.ask_approve()  # a refused amount: the message names the field, nothing saved
                dialog.set_value("amount", "5000.505")
                dialog.submit()
                yield "cadre-care-aid-refused-cadre", dialog
                dialog.reject()
