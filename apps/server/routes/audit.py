"""Reading and checking the audit log (permission audit.read)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from apps.server.deps import AuditReader, ServicesDep
from apps.server.schemas import MAX_INT, AuditEntryOut, AuditPage, AuditVerifyOut

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditPage, summary="按序号翻阅审计日志")
def read_log(_reader: AuditReader, services: ServicesDep,
             after_seq: Annotated[int, Query(ge=0, le=MAX_INT, description="从这个序号之后开始")] = 0,
             limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> AuditPage:
    entries = [AuditEntryOut(**e) for e in services.audit_page(after_seq, limit)]
    return AuditPage(entries=entries, next_after_seq=entries[-1].seq if entries else after_seq)


@router.get("/verify", response_model=AuditVerifyOut, summary="校验审计日志的哈希链是否完整")
def verify(_reader: AuditReader, services: ServicesDep) -> AuditVerifyOut:
    report = services.verify_audit()
    return AuditVerifyOut(ok=report.ok, entries=report.entries, first_bad_seq=report.first_bad_seq,
                          problem=report.problem, head_hash=report.head_hash, message=report.describe())
