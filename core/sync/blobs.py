"""Content-addressed file storage (SHA-256) with size limits and file-type checks by content."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

# Allowed types, recognised by their first bytes, never by the name alone.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"PK\x03\x04", "application/zip"),  # .docx / .xlsx / .ofd are zip containers
)
_ZIP_EXTENSIONS = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ofd": "application/ofd",
}
_TEXT_EXTENSIONS = {".txt": "text/plain", ".csv": "text/csv"}


class AttachmentRefused(ValueError):
    """The file may not be stored: too large, a type that is not allowed, or damaged in transit."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff_type(data: bytes, filename: str) -> str:
    """The MIME type of an allowed file, judged by its content; raises AttachmentRefused otherwise."""
    ext = Path(filename).suffix.lower()
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            if mime == "application/zip":
                if ext not in _ZIP_EXTENSIONS:
                    raise AttachmentRefused(f"不支持的压缩文件“{filename}”：只接受 Word（.docx）、Excel（.xlsx）和 OFD")
                return _ZIP_EXTENSIONS[ext]
            return mime
    if ext in _TEXT_EXTENSIONS:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise AttachmentRefused(f"文本文件“{filename}”不是 UTF-8 编码") from None
        return _TEXT_EXTENSIONS[ext]
    raise AttachmentRefused(
        f"不支持的文件类型“{filename}”：只接受 PDF、PNG、JPEG、TIFF 扫描件，Word、Excel、OFD 文档和纯文本"
    )


def check_attachment(data: bytes, filename: str, max_bytes: int = MAX_ATTACHMENT_BYTES) -> str:
    """Check size and type; returns the MIME type."""
    if len(data) > max_bytes:
        raise AttachmentRefused(
            f"文件“{filename}”有 {len(data) / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB"
        )
    if not data:
        raise AttachmentRefused(f"文件“{filename}”是空的")
    return sniff_type(data, filename)


class BlobStore:
    """Files kept under their SHA-256 in ``root/ab/cdef…``; writes are atomic."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise AttachmentRefused("附件编号格式不正确")
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes, expected_sha256: str | None = None) -> str:
        digest = sha256_hex(data)
        if expected_sha256 is not None and digest != expected_sha256:
            raise AttachmentRefused("附件在传输中损坏：内容与编号（SHA-256）不符")
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        data = self.path(sha256).read_bytes()
        if sha256_hex(data) != sha256:
            raise AttachmentRefused("本地附件已损坏：内容与编号不符")
        return data
