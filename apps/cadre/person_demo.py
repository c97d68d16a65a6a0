"""A demonstration person's full record (【演示数据】) for the screenshots and the desktop tests: interests,
life story, family with the emergency contact, hospital stays, categories, awards, extra-field values, a
drawn portrait and documents in the attachment store.

:func:`seed_reference` writes the office's configuration (categories and extra fields; an administrator's
tables), :func:`seed_record` the person's rows through a clerk's local store, so they sync."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from apps.common.qt import QColor, QImage, QPainter, QPointF, QRectF, Qt, QtCore
from core.cadre.models import (
    CadAward,
    CadCategory,
    CadDocument,
    CadFamily,
    CadFieldDef,
    CadFieldValue,
    CadHospitalStay,
    CadInterest,
    CadLifeEvent,
    CadPerson,
    CadPersonCategory,
)
from core.sync.client import LocalStore

DEMO = "【演示数据】"
CATEGORIES = (("LX", "离休干部"), ("TX", "退休干部"), ("LD", "原市人大常委会领导"))
FIELDS = (("blood_type", "血型", "choice", "A、B、AB、O", False), ("hobby_group", "参加的老年团体", "text", "", False),
          ("medical_card", "医保卡号", "text", "", True))


def portrait_png(width: int = 360, height: int = 480) -> bytes:
    """A drawn head-and-shoulders portrait on an ID-photo blue ground, as PNG."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#5b8fd6"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#2f3542"))
    painter.drawEllipse(QRectF(width * 0.12, height * 0.62, width * 0.76, height * 0.6))
    painter.setBrush(QColor("#f1c9a5"))
    painter.drawEllipse(QPointF(width / 2, height * 0.4), width * 0.2, height * 0.18)
    painter.setBrush(QColor("#d9d9d9"))
    painter.drawChord(QRectF(width * 0.29, height * 0.2, width * 0.42, height * 0.22), 0, 180 * 16)
    painter.end()
    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


CERTIFICATE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
                   b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def seed_reference(session: Session) -> None:
    """The person categories and extra fields (once)."""
    for position, (code, name) in enumerate(CATEGORIES):
        if session.scalar(select(CadCategory.id).where(CadCategory.code == code)) is None:
            session.add(CadCategory(code=code, name=name, position=position))
    for position, (key, label, kind, choices, sensitive) in enumerate(FIELDS):
        if session.scalar(select(CadFieldDef.id).where(CadFieldDef.key == key)) is None:
            session.add(CadFieldDef(key=key, label=label, field_type=kind, choices=choices, sensitive=sensitive,
                                    position=position))


def seed_record(session: Session, store: LocalStore, person: CadPerson) -> None:
    """The full record of ``person`` (a row of ``session``), written through ``store`` so it syncs."""
    pid = person.id
    session.add_all([
        CadInterest(person_id=pid, kind="特长", name="书法", note="楷书，曾参加市老干部书画展"),
        CadInterest(person_id=pid, kind="兴趣", name="京剧", note=""),
        CadLifeEvent(person_id=pid, start_on=date(1962, 9, 1), end_on=date(1966, 7, 31), unit="复旦大学",
                     post="学生", text="经济学系学习"),
        CadLifeEvent(person_id=pid, start_on=date(1968, 9, 1), end_on=date(1983, 3, 31), unit="黄浦区人民政府",
                     post="科员、科长"),
        CadLifeEvent(person_id=pid, start_on=date(1983, 4, 1), end_on=date(2008, 12, 31), unit="市人大常委会办公厅",
                     post="处长、副秘书长"),
        CadFamily(person_id=pid, relation="配偶", name="刘玉兰", gender="女", birth_year=1947, work_unit="已退休",
                  phone="13900008888", address=f"{DEMO}上海市黄浦区人民大道1号", emergency_contact=False),
        CadFamily(person_id=pid, relation="女儿", name="张晓燕", gender="女", birth_year=1974,
                  work_unit="上海市第一人民医院", phone="13900009999", address=f"{DEMO}上海市静安区南京西路2号",
                  emergency_contact=True, note="白天可联系"),
        CadHospitalStay(person_id=pid, hospital="华东医院", ward="干部病房", admitted_on=date(2025, 11, 3),
                        discharged_on=date(2025, 11, 17), diagnosis="肺部感染", note="已痊愈"),
        CadPersonCategory(person_id=pid, category_code="TX"),
        CadPersonCategory(person_id=pid, category_code="LD"),
        CadAward(person_id=pid, awarded_on=date(2019, 10, 1), title="庆祝中华人民共和国成立70周年纪念章",
                 level="国家级", issuer="中共中央、国务院、中央军委"),
        CadAward(person_id=pid, awarded_on=date(2021, 6, 28), title="光荣在党50年纪念章", level="国家级",
                 issuer="中共中央"),
        CadFieldValue(person_id=pid, field_key="blood_type", value="A"),
        CadFieldValue(person_id=pid, field_key="hobby_group", value="市老干部大学书画班"),
        CadFieldValue(person_id=pid, field_key="medical_card", value="310000194805160011", sensitive=True),
    ])
    portrait = portrait_png()
    photo_doc = CadDocument(person_id=pid, title="证件照", kind="照片", dated_on=date(2024, 3, 1))
    certificate = CadDocument(person_id=pid, title="光荣在党50年纪念章证书", kind="证书", dated_on=date(2021, 6, 28))
    session.add_all([photo_doc, certificate])
    session.flush()
    attached = [store.attach(session, photo_doc, portrait, "证件照.png"),
                store.attach(session, certificate, CERTIFICATE_PDF, "纪念章证书.pdf"),
                store.attach(session, person, portrait, "证件照.png")]
    session.flush()  # the attachments get their ids
    photo_doc.attachment_id, certificate.attachment_id, person.photo_attachment_id = (a.id for a in attached)
    session.flush()
