"""Delivery reports of the SMS gateway (Kannel fetches ``dlr-url``): no login, a per-attempt secret instead."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from apps.server.deps import ServicesDep
from apps.server.errors import errors
from core.notifications.dispatch import apply_report

router = APIRouter(tags=["notifications"])


@router.get("/notifications/dlr", responses=errors(403),
            summary="短信送达报告（由短信网关调用，地址中带一次性密钥）")
async def delivery_report(services: ServicesDep, attempt: str = Query("", max_length=36),
                          token: str = Query("", max_length=64),
                          dlr_type: int = Query(0, ge=0, le=255, alias="type"),
                          answer: str = Query("", max_length=500)) -> dict[str, str]:
    ok = await run_in_threadpool(apply_report, services.factory, attempt, token, dlr_type, answer)
    if not ok:
        raise HTTPException(403, "无效的送达报告")
    return {"status": "ok"}
