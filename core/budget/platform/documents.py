"""Documents and archives (公文管理 / 档案管理) tied to budget items, and their search.

Documents are ``reg_document`` rows (title, number, kind, year, body text); ``bgt_document_link`` ties one
to a book, class, department, project, indicator or review plan, so the item's documents are found from the
item and the item from the document. Search is plain ``LIKE`` over title, number and body with filters on
kind, year and linked item: simple, and fast enough on a laptop's SQLite for the thousands of documents an
office keeps (every word must occur, in any of the three texts).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.orm import Session

from core.auth.roles import P_BUDGET_PLAN
from core.budget.models import Indicator, Project
from core.budget.platform import Actor, PlatformError, clean, reading, require
from core.budget.work import DocumentLink
from core.models.registry import Department, Document

LINK_KINDS: dict[str, str] = {"book": "预算账本", "class": "功能分类", "department": "部门", "project": "项目",
                              "indicator": "预算指标", "plan": "审查计划"}
DOCUMENT_KINDS = ("公文", "档案", "审查报告", "审计报告", "决算报告", "会议材料")


@dataclass(frozen=True)
class LinkView:
    id: str
    target_kind: str
    target_code: str
    year: int


@dataclass(frozen=True)
class DocumentView:
    id: str
    title: str
    doc_no: str
    kind: str
    classification: str
    domain: str
    year: int
    body: str
    links: tuple[LinkView, ...]

    def snippet(self, words: list[str], width: int = 60) -> str:
        """The part of the body around the first word found, for the result list."""
        body = " ".join((self.body or "").split())
        at = min((body.find(w) for w in words if w and w in body), default=-1)
        if at < 0:
            return body[:width]
        start = max(0, at - width // 3)
        return ("…" if start else "") + body[start:start + width] + ("…" if start + width < len(body) else "")


def search(engine: Engine, text: str = "", *, kind: str = "", year: int | None = None, target_kind: str = "",
           target_code: str = "", limit: int = 500) -> list[DocumentView]:
    """Documents where every word of ``text`` occurs in the title, number or body, newest year first."""
    words = [w for w in (text or "").split() if w]
    q = select(Document).where(Document.deleted.is_(False))
    for w in words:
        q = q.where(or_(*(col.contains(w, autoescape=True) for col in (Document.title, Document.doc_no, Document.body))))
    if kind:
        q = q.where(Document.kind == kind)
    if year:
        q = q.where(Document.year == year)
    if target_kind or target_code:
        cond: list[Any] = [DocumentLink.deleted.is_(False)]
        if target_kind:
            cond.append(DocumentLink.target_kind == target_kind)
        if target_code:
            cond.append(DocumentLink.target_code == target_code)
        q = q.where(Document.id.in_(select(DocumentLink.document_id).where(and_(*cond))))
    q = q.order_by(Document.year.desc(), Document.title, Document.id).limit(limit)
    with reading(engine) as conn, Session(conn) as s:
        docs = list(s.scalars(q))
        links: dict[str, list[LinkView]] = defaultdict(list)
        ids = [d.id for d in docs]
        for i in range(0, len(ids), 500):
            for link in s.scalars(select(DocumentLink).where(DocumentLink.document_id.in_(ids[i:i + 500]),
                                                             DocumentLink.deleted.is_(False))
                                  .order_by(DocumentLink.target_kind, DocumentLink.target_code)):
                links[link.document_id].append(LinkView(link.id, link.target_kind, link.target_code, link.year))
    return [DocumentView(d.id, d.title, d.doc_no, d.kind, d.classification, d.domain, d.year, d.body,
                         tuple(links.get(d.id, ()))) for d in docs]


def _check_target(session: Session, kind: str, code: str, year: int) -> None:
    model_col: tuple[Any, Any] | None = {"department": (Department, Department.code), "project": (Project, Project.code),
                 "indicator": (Indicator, Indicator.indicator_no)}.get(kind)
    if model_col is None:
        return
    model, col = model_col
    q = select(model.id).where(col == code, model.deleted.is_(False))
    if kind != "department":
        q = q.where(model.year == year)
    if session.scalar(q.limit(1)) is None:
        raise PlatformError(f"找不到{LINK_KINDS[kind]}“{code}”")


def link(session: Session, actor: Actor, document_id: str, target_kind: str, target_code: str,
         year: int) -> DocumentLink:
    """Tie a document to an item; public documents' links are public, the others internal."""
    require(actor, P_BUDGET_PLAN, "关联文档")
    doc = session.get(Document, document_id)
    if doc is None or doc.deleted:
        raise PlatformError("文档不存在")
    if target_kind not in LINK_KINDS:
        raise PlatformError("请选择关联对象的类型")
    code = clean(target_code, "关联对象编码", 40)
    _check_target(session, target_kind, code, year)
    dup = session.scalar(select(DocumentLink).where(DocumentLink.document_id == document_id,
                                                    DocumentLink.target_kind == target_kind,
                                                    DocumentLink.target_code == code,
                                                    DocumentLink.deleted.is_(False)))
    if dup is not None:
        raise PlatformError("该文档已关联到这个对象")
    row = DocumentLink(document_id=document_id, target_kind=target_kind, target_code=code, year=year,
                       public=doc.classification == "public")
    session.add(row)
    session.flush()
    return row


def unlink(session: Session, actor: Actor, link_id: str) -> None:
    require(actor, P_BUDGET_PLAN, "取消文档关联")
    row = session.get(DocumentLink, link_id)
    if row is None or row.deleted:
        raise PlatformError("关联不存在")
    row.deleted = True
    session.flush()


def years(engine: Engine) -> list[int]:
    with reading(engine) as conn:
        return sorted({int(y) for y in conn.scalars(select(Document.year).where(Document.deleted.is_(False))) if y},
                      reverse=True)
