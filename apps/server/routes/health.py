"""Liveness: is the server up, which version, which database, how far the sync log has come."""

from __future__ import annotations

from importlib import metadata

from fastapi import APIRouter, Response
from sqlalchemy.exc import SQLAlchemyError

from apps.server.deps import ServicesDep
from apps.server.errors import errors
from apps.server.schemas import Health
from core.models.base import utcnow

router = APIRouter(tags=["health"])


def suite_version() -> str:
    try:
        return metadata.version("renda-suite")
    except metadata.PackageNotFoundError:
        return "0+unknown"


@router.get("/health", response_model=Health, responses=errors(503), summary="服务器状态（无需登录）")
def health(services: ServicesDep, response: Response) -> Health:
    try:
        head = services.sync.head()
        status = "ok"
    except SQLAlchemyError:
        head, status = -1, "database-unavailable"
        response.status_code = 503
    return Health(status=status, version=suite_version(), db=services.dialect, sync_head=head, time=utcnow())
