"""The synced tables of the notices for retirees (老干部通知公告) and of their per-person links.

- ``cad_notice``: a notice (活动 / 讣告 / 文件 / 通知) written by the cadre staff; visible to retirees once
  published and until withdrawn. ``addressee_id`` (optional) makes it a notice for one person, shown only
  on that person's page;
- ``cad_notice_link``: a per-person link to the retirees' pages: only the SHA-256 of its token is stored,
  with an expiry and a revocation time;
- ``cad_wechat_binding``: a person's WeChat official-account openid, to which published notices are sent.

All three are in the record scope ``cadre`` and written by clerks with ``cadre.record`` only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, Index, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.auth.roles import P_CADRE_RECORD
from core.cadre.scopes import RECORD_SCOPE
from core.models.base import Base, SyncedMixin, UTCDateTime

NOTICE_KINDS = ("活动", "讣告", "文件", "通知")


class NoticeRow(SyncedMixin):
    """Like ``core.cadre.models.CadreRow`` (record scope, written with ``cadre.record``), without importing
    that module: ``core.models`` imports this one while ``core.cadre.models`` may still be loading."""

    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_CADRE_RECORD,)
    extra_indexes: ClassVar[tuple[tuple[str, ...], ...]] = ()

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [Index(f"ix_{name}_scope_seq", "scope", "seq"), Index(f"ix_{name}_seq", "seq")]
        indexes += [Index(f"ix_{name}_{'_'.join(cols)}", *cols) for cols in cls.extra_indexes]
        return tuple(indexes)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return RECORD_SCOPE


class PersonNoticeRow(NoticeRow):
    person_id: Mapped[str] = mapped_column(String(36))


class CadNotice(NoticeRow, Base):
    """A notice for the retirees, published on the portal and sent to WeChat."""

    __tablename__ = "cad_notice"
    sync_label = "通知公告"
    extra_indexes = (("published_at",),)

    kind: Mapped[str] = mapped_column(String(4), default="通知")
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    activity_id: Mapped[str | None] = mapped_column(String(36))
    """The activity (``cad_activity``) an 活动 notice announces."""
    person_id: Mapped[str | None] = mapped_column(String(36))
    """The deceased (``cad_person``) of an 讣告."""
    document_ref: Mapped[str] = mapped_column(String(100), default="")
    """The document number (文号) of a 文件 notice."""
    addressee_id: Mapped[str | None] = mapped_column(String(36))
    """Empty: for every retiree; otherwise the one person (``cad_person``) the notice is for."""


class CadNoticeLink(PersonNoticeRow, Base):
    """A per-person link ``/laoganbu/p/<token>``: the token is shown once, only its SHA-256 is kept."""

    __tablename__ = "cad_notice_link"
    sync_label = "通知链接"
    extra_indexes = (("token_hash",), ("person_id",))

    token_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CadWechatBinding(PersonNoticeRow, Base):
    """A person's openid in the office's WeChat official account (the person follows the account)."""

    __tablename__ = "cad_wechat_binding"
    sync_label = "微信绑定"
    extra_indexes = (("person_id",),)

    openid: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


NOTICE_MODELS = (CadNotice, CadNoticeLink, CadWechatBinding)
