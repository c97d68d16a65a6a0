"""The API's routers, one per area, combined in :data:`api_router`."""

from fastapi import APIRouter

from apps.server.routes import admin, audit, auth, health, sync

api_router = APIRouter(prefix="/api")
for _module in (health, auth, admin, audit, sync):
    api_router.include_router(_module.router)

__all__ = ["api_router"]
