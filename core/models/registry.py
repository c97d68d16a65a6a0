"""Shared synced registries of the suite: departments, deputies, documents, attachments, conflicts."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, MaskRule, SyncedMixin

PUBLIC_SCOPE = "public"
REGISTRY_SCOPE = "registry"
INTERNAL_SCOPE = "budget.internal"


def committee_scope(domain: str) -> str:
    """Scope of a special committee's domain, e.g. ``committee:教科文卫``."""
    return f"committee:{domain}"


def user_scope(user_id: str) -> str:
    """Scope of one user's own rows (conflict records)."""
    return f"user:{user_id}"


class Department(SyncedMixin, Base):
    """A budget department or unit (预算部门 / 单位) and the special committee that oversees it."""

    __tablename__ = "reg_department"
    sync_label = "部门单位"

    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    parent_code: Mapped[str] = mapped_column(String(20), default="")
    domain: Mapped[str] = mapped_column(String(40), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return PUBLIC_SCOPE


class Deputy(SyncedMixin, Base):
    """A deputy in the registry (代表库); contact and identity numbers are masked by role."""

    __tablename__ = "reg_deputy"
    sync_label = "代表"
    sync_masked: ClassVar[dict[str, MaskRule]] = {
        "phone": MaskRule("pii.contact", "phone"),
        "id_number": MaskRule("pii.identity", "id"),
    }

    name: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(4), default="")
    delegation: Mapped[str] = mapped_column(String(60), default="")
    organisation: Mapped[str] = mapped_column(String(120), default="")
    expertise: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return REGISTRY_SCOPE


class Document(SyncedMixin, Base):
    """A document or working paper (公文 / 审查材料 / 工作底稿), public or internal, maybe tied to a domain."""

    __tablename__ = "reg_document"
    sync_label = "文档"

    title: Mapped[str] = mapped_column(String(200))
    doc_no: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[str] = mapped_column(String(20), default="公文")
    classification: Mapped[str] = mapped_column(String(10), default="internal")
    domain: Mapped[str] = mapped_column(String(40), default="")
    year: Mapped[int] = mapped_column(Integer, default=0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    body: Mapped[str] = mapped_column(Text, default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        if values.get("classification") == "public":
            return PUBLIC_SCOPE
        domain = values.get("domain") or ""
        return committee_scope(domain) if domain else INTERNAL_SCOPE


class Attachment(SyncedMixin, Base):
    """Metadata of a content-addressed file (scan, photo, document); the bytes travel separately by SHA-256."""

    __tablename__ = "reg_attachment"
    sync_label = "附件"

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(200))
    owner_table: Mapped[str] = mapped_column(String(60))
    owner_id: Mapped[str] = mapped_column(String(36))
    owner_scope: Mapped[str] = mapped_column(String(80))

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return str(values.get("owner_scope") or INTERNAL_SCOPE)


class SyncConflict(SyncedMixin, Base):
    """An edit that lost: both sides changed the same field, a delete met an edit, or the server refused it.

    The server value stays in force; the losing value is kept here until a person resolves it.
    """

    __tablename__ = "sync_conflict"
    sync_label = "冲突记录"

    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[str] = mapped_column(String(20))  # field | delete | update_deleted | rejected
    base_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    server_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    client_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[str] = mapped_column(String(36))
    mutation_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | resolved
    resolution: Mapped[str] = mapped_column(String(12), default="")  # server | client

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return user_scope(str(values.get("user_id", "")))
