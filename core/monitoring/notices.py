"""The SMS of a critical machine-room alarm (and of its escalations), queued through the notifications outbox."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.monitoring.models import MonAlarm, MonContact
from core.monitoring.scopes import SCOPE
from core.notifications import queue_sms, register_template

ALARM_TEMPLATE = "machine_room.alarm"
ESCALATION_TEMPLATE = "machine_room.escalation"

register_template(ALARM_TEMPLATE, "【机房告警】{room} {device} {what}，{time}。请及时处理并在监控台确认。",
                  "机房严重告警（发给值班联系人）")
register_template(ESCALATION_TEMPLATE,
                  "【机房告警升级】{room} {device} {what}，{time} 发生，{minutes} 分钟未确认。请立即处理。",
                  "机房告警超时未确认（发给上一级联系人）")


def contacts(session: Session, room: str, level: int) -> list[MonContact]:
    return list(session.scalars(select(MonContact).where(
        MonContact.room == room, MonContact.level == level, MonContact.active.is_(True),
        MonContact.deleted.is_(False)).order_by(MonContact.name)))


def queue_alarm_sms(session: Session, alarm: MonAlarm, what: str, time_text: str, level: int = 0,
                    minutes: int = 0) -> int:
    """Queue the alarm's SMS to the contacts of ``level``; one message per alarm, contact and level."""
    sent = 0
    for contact in contacts(session, alarm.room, level):
        params: dict[str, str | int] = {"room": alarm.room, "device": alarm.device, "what": what[:60],
                                        "time": time_text}
        template = ALARM_TEMPLATE
        if level:
            template = ESCALATION_TEMPLATE
            params["minutes"] = minutes
        queue_sms(session, template_key=template, params=params, recipient=("mon_contact", contact.id, "phone"),
                  scope=SCOPE, dedup_key=f"machine_room:{alarm.id}:{level}:{contact.id}", queued_at=alarm.raised_at)
        sent += 1
    return sent
