"""The SMS outbox tables.

``ntf_message`` is a synced table: a clerk on an offline laptop queues a message in the same local
transaction as the change that causes it, and it reaches the server with the next sync. The row holds no
free text and no phone number: a registered template with its parameters, and where the number lives
(``recipient_table`` / ``recipient_id`` / ``recipient_column``), resolved on the server at send time. The
delivery fields are written by the server's dispatcher only (clients may not change them, see
``core.sync.permissions.RULES``), and sync back so every client sees the delivery status.

``ntf_attempt`` (server only, not synced) logs every send attempt and delivery report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.auth.roles import P_NOTIFY_SEND
from core.ids import uuid7
from core.models.base import Base, SyncedMixin, UTCDateTime, utcnow

QUEUED, SENDING, SENT, DELIVERED, FAILED, GAVE_UP = "queued", "sending", "sent", "delivered", "failed", "gave_up"
STATUSES = (QUEUED, SENDING, SENT, DELIVERED, FAILED, GAVE_UP)
STATUS_LABELS = {QUEUED: "待发送", SENDING: "发送中", SENT: "已发出", DELIVERED: "已送达", FAILED: "发送失败",
                 GAVE_UP: "发送失败（已放弃）"}

DELIVERY_FIELDS = frozenset({"status", "attempts", "next_attempt_at", "last_error", "sent_at", "delivered_at",
                             "gateway_id", "parts"})
"""Written by the server's dispatcher only."""
CHANNELS = ("sms", "wechat")
CHANNEL_LABELS = {"sms": "短信", "wechat": "微信"}
REQUEST_FIELDS = frozenset({"channel", "template_key", "params", "recipient_table", "recipient_id", "recipient_column",
                            "target_scope", "dedup_key", "queued_at"})
"""Set by whoever queues the message, fixed once the row exists."""


class NtfMessage(SyncedMixin, Base):
    """One SMS to send: what (template + parameters), to whom (where the number is), and how it went."""

    __tablename__ = "ntf_message"
    sync_label = "短信"
    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_NOTIFY_SEND,)

    channel: Mapped[str] = mapped_column(String(16), default="sms", server_default="sms")
    """``sms`` (the recipient column holds a phone number) or ``wechat`` (it holds an openid)."""
    template_key: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recipient_table: Mapped[str] = mapped_column(String(64))
    recipient_id: Mapped[str] = mapped_column(String(36))
    recipient_column: Mapped[str] = mapped_column(String(64))
    target_scope: Mapped[str] = mapped_column(String(80))
    """The scope the caller gives (the feature's, e.g. ``petition``): the row's sync scope."""
    dedup_key: Mapped[str] = mapped_column(String(200))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(String(500), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    gateway_id: Mapped[str] = mapped_column(String(100), default="")
    parts: Mapped[int] = mapped_column(Integer, default=0)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (Index("ix_ntf_message_scope_seq", "scope", "seq"), Index("ix_ntf_message_seq", "seq"),
                Index("ix_ntf_message_dedup_key", "dedup_key"),
                Index("ix_ntf_message_status_next", "status", "next_attempt_at"))

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return str(values.get("target_scope") or "")

    @classmethod
    def sync_refusal(cls, can: Callable[[str], bool], op: str, changes: Mapping[str, Any],
                     current: Mapping[str, Any]) -> str | None:
        if op == "insert":
            fixed = sorted(set(changes) & DELIVERY_FIELDS)
            if any(changes.get(name) != current.get(name) for name in fixed):
                return "短信的发送状态只由服务器填写"
            return None
        if any(current.get(k) != v for k, v in changes.items() if k != "deleted") or changes.get("deleted"):
            # the id comes from the dedup key: the same event queued on two devices is one message
            return "同一事件的短信已经排队（可能来自另一台设备），不会重复发送；已发出的短信不能修改或撤回"
        return None


class NtfAttempt(Base):
    """One send attempt or delivery report of a message (server only, not synced)."""

    __tablename__ = "ntf_attempt"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    message_id: Mapped[str] = mapped_column(String(36), ForeignKey("ntf_message.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))  # send / dlr
    outcome: Mapped[str] = mapped_column(String(16))  # sent / retry / rejected / delivered / failed / gave_up
    detail: Mapped[str] = mapped_column(Text, default="")
    gateway_id: Mapped[str] = mapped_column(String(100), default="")
    dlr_token: Mapped[str] = mapped_column(String(64), default="")
    """The secret a delivery report for this attempt must carry (it is in the report URL given to the gateway)."""


NOTIFICATION_MODELS = (NtfMessage,)
