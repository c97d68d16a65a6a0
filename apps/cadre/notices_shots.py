"""Screenshots of 通知公告 and of an activity's photos: the clerk (``cadre``) records a few 【演示数据】 notices
(published, draft, withdrawn) and an activity with photos on the people of ``apps.cadre.screenshots`` and
syncs; the page, the compose form with its phone preview, a refusal on the field, the publish confirmation,
the activity's thumbnails and the photo viewer are rendered for the clerk, the page for the reader."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select

from apps.cadre.window import CadreDesk, create_window
from apps.common.qt import QColor, QFont, QImage, QPainter, QPointF, QRectF, Qt, QtCore
from apps.common.screenshots import Shot, ShotEnv
from core.cadre import notices
from core.cadre.models import CadActivity, CadActivityEntry, CadPerson
from core.cadre.notice_models import CadNotice

DEMO = "【演示数据】"
ACTIVITY = "迎春书画展"


def demo_photo(caption: str, hue: int, size: tuple[int, int] = (960, 640)) -> bytes:
    """A made-up picture for the demonstration: a sky, hills and a caption (PNG bytes)."""
    width, height = size
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor.fromHsv(hue, 60, 240))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    for n, (shade, top) in enumerate(((150, 0.55), (110, 0.68), (80, 0.8))):
        painter.setBrush(QColor.fromHsv((hue + 80 + n * 10) % 360, 120, shade))
        painter.drawEllipse(QPointF(width * (0.2 + 0.35 * n), height * (top + 0.35)), width * 0.45, height * 0.35)
    painter.setBrush(QColor(255, 255, 255, 200))
    painter.drawRect(QRectF(0, height * 0.82, width, height * 0.18))
    painter.setPen(QColor(30, 30, 30))
    font = QFont()
    font.setPixelSize(int(height * 0.07))
    painter.setFont(font)
    painter.drawText(QRectF(0, height * 0.82, width, height * 0.18), Qt.AlignmentFlag.AlignCenter, caption)
    painter.end()
    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


def seed_notices(env: ShotEnv) -> None:
    clerk = env.connect("cadre")
    env.sync(clerk)
    today = date.today()
    with clerk.store.session() as s, s.begin():
        if s.scalar(select(CadNotice.id).where(CadNotice.title == "迎春书画展参观报名")) is not None:
            return
        people = {p.name: p.id for p in s.scalars(select(CadPerson).where(CadPerson.source == DEMO))}
        if len(people) < 5:
            return
        activity = CadActivity(title=ACTIVITY, kind="文体", held_on=today - timedelta(days=6), place="市老干部活动中心",
                               capacity=60, state="done", note=DEMO)
        s.add(activity)
        s.flush()
        for n, person_id in enumerate(list(people.values())[:9]):  # signed up beforehand; two did not come
            s.add(CadActivityEntry(person_id=person_id, activity_id=activity.id,
                                   signed_up_on=today - timedelta(days=20 - n), attended=n not in (3, 7)))
        for name, openid in (("张国华", "oDEMO0000000001"), ("李秀英", "oDEMO0000000002"), ("王建平", "oDEMO0000000003")):
            notices.bind_wechat(s, people[name], openid)
        for n, (caption, hue) in enumerate((("迎春书画展 · 开幕", 200), ("书法作品", 30), ("参观合影", 120),
                                            ("国画作品", 280))):
            clerk.store.attach(s, activity, demo_photo(f"{caption}（{DEMO}）", hue), f"迎春书画展{n + 1}.png")
        gone = notices.draft_notice(s, kind="文件", title="关于调整活动中心开放时间的通知",
                                    body=f"{DEMO}活动中心开放时间调整为每周二至周六。", document_ref="沪人大办〔2026〕5号")
        s.flush()
        notices.publish(s, gone.id)
        notices.withdraw(s, gone.id)
        shown = notices.draft_notice(
            s, kind="活动", title="迎春书画展参观报名", activity_id=activity.id,
            body=f"{DEMO}各位老同志：\n迎春书画展在市老干部活动中心展出，欢迎参观。\n"
                 "请于展出前三天向所在党支部报名，行动不便的老同志可安排车辆接送。")
        s.flush()
        notices.publish(s, shown.id)
        notices.draft_notice(s, kind="通知", title="春节走访慰问安排",
                             body=f"{DEMO}春节前，机关领导将分组走访慰问老同志，具体时间另行电话联系。")
    env.sync(clerk)


def notices_shots(env: ShotEnv) -> Iterator[Shot]:
    seed_notices(env)
    for username in ("cadre", "cadrereader"):
        context = env.connect(username)
        env.sync(context)
        window = create_window(context)
        window.resize(1280, 800)
        desk = window.page()  # type: ignore[attr-defined]
        assert isinstance(desk, CadreDesk)
        page = desk.notices
        desk.setCurrentWidget(page)
        published = next((n for n, r in enumerate(page.rows) if r.state == notices.PUBLISHED), 0)
        if page.rows:
            page.table.selectRow(published)
        yield f"cadre-notices-{username}", window
        if username == "cadre":
            dialog = page.open_editor(None)
            assert dialog is not None
            dialog.kind.setCurrentIndex(dialog.kind.findData("活动"))
            dialog.title_edit.setText("重阳节登高活动报名")
            dialog.activity.setCurrentIndex(max(dialog.activity.findText(ACTIVITY, Qt.MatchFlag.MatchEndsWith), 1))
            dialog.body.setPlainText("各位老同志：\n重阳节登高活动即将举行，请于本周五前向所在党支部报名。\n"
                                     "活动当天上午八点在机关大门集合，统一乘车前往。")
            yield "cadre-notice-compose-cadre", dialog
            dialog.kind.setCurrentIndex(dialog.kind.findData("讣告"))
            dialog.title_edit.setText("讣告")
            dialog.body.setPlainText("我会离休干部、原办公厅副秘书长某某同志，因病医治无效逝世，享年九十岁。")
            dialog.submit()
            yield "cadre-notice-refused-cadre", dialog
            dialog.reject()
            draft = next((n for n, r in enumerate(page.rows) if r.state == notices.DRAFT), -1)
            if draft >= 0:
                page.table.selectRow(draft)
                box = page.ask_publish()
                if box is not None:
                    yield "cadre-notice-publish-cadre", box
                    box.reject()
            care = desk.care
            desk.setCurrentWidget(care)
            care.setCurrentWidget(care.activities)
            section = care.activities
            row = next((n for n, r in enumerate(section.rows) if r.title == ACTIVITY), -1)
            if row >= 0:
                section.table.selectRow(row)
                yield "cadre-activity-photos-cadre", window
                section.photos.open_photo(0)
                env.settle()
                if section.photos.viewer is not None:
                    yield "cadre-activity-photo-viewer-cadre", section.photos.viewer
                    section.photos.viewer.close()
