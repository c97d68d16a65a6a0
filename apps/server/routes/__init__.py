"""The API's routers, one per area, combined in :data:`api_router`."""

from fastapi import APIRouter

from apps.server.deps import AUTHORISE_MARKER, current_principal
from apps.server.errors import declare_errors
from apps.server.routes import admin, audit, auth, health, notifications, sync

api_router = APIRouter(prefix="/api")
for _module in (health, auth, admin, audit, sync, notifications):
    declare_errors(_module.router.routes, current_principal, AUTHORISE_MARKER)
    api_router.include_router(_module.router)

__all__ = ["api_router"]
