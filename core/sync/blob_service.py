"""Server side of attachments: accept uploads (hash, size and type checked) and serve them only to users
who can see an attachment row that names the file."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.auth.roles import P_SYNC, Principal
from core.models.registry import Attachment
from core.sync.blobs import MAX_ATTACHMENT_BYTES, AttachmentRefused, BlobStore, check_attachment, sha256_hex
from core.sync.server import AuditHook, _no_audit


class BlobForbidden(PermissionError):
    pass


class BlobService:
    def __init__(self, factory: sessionmaker[Session], store: BlobStore,
                 max_bytes: int = MAX_ATTACHMENT_BYTES, audit: AuditHook = _no_audit) -> None:
        self.factory = factory
        self.store = store
        self.max_bytes = max_bytes
        self.audit = audit

    def accept_upload(self, principal: Principal, sha256: str, data: bytes, filename: str) -> str:
        """Store an uploaded file; refuses a wrong hash, an oversize file or a type not allowed."""
        if not principal.can(P_SYNC):
            raise BlobForbidden("无权上传附件")
        self.store.path(sha256)  # validates the form of the hash
        check_attachment(data, filename or "附件", self.max_bytes)
        if sha256_hex(data) != sha256:
            raise AttachmentRefused("附件在传输中损坏：内容与编号（SHA-256）不符，请重新同步")
        return self.store.put(data, sha256)

    def serve(self, principal: Principal, sha256: str) -> bytes:
        """The file's bytes, if some attachment row naming it is visible to ``principal``."""
        with self.factory() as session, session.begin():
            scopes = session.scalars(select(Attachment.scope).where(
                Attachment.sha256 == sha256, Attachment.deleted.is_(False))).all()
            if not any(principal.sees_scope(s) for s in scopes):
                raise BlobForbidden("附件不存在或无权查看")
            if not self.store.has(sha256):
                raise FileNotFoundError("服务器上还没有这个附件的内容（上传它的电脑尚未同步）")
            self.audit(session, principal, "read.attachment", sha256, {})
        return self.store.get(sha256)
