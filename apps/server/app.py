"""The central server's FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from apps.server.errors import BodyLimitMiddleware, UnexpectedErrorMiddleware, install_error_handlers
from apps.server.routes import api_router
from apps.server.routes.health import suite_version
from apps.server.services import ServerServices
from apps.server.settings import ServerSettings


def create_app(settings: ServerSettings | None = None, services: ServerServices | None = None) -> FastAPI:
    """Build the app: connect and migrate the database, seed missing roles, mount the routers.

    Pass ``services`` to share already-open services (the embedded server does); otherwise they are
    opened here from ``settings`` and closed when the app shuts down.
    """
    settings = settings or ServerSettings()
    owned = services is None
    services = services or ServerServices.open(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        intake = asyncio.create_task(petition_intake_loop(services)) if settings.petition_intake_seconds else None
        sms = start_sms_dispatcher(services)
        yield
        if sms is not None:
            sms.stop()
        if intake is not None:
            intake.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await intake
        if owned:
            services.close()

    app = FastAPI(title="人大业务软件套件中心服务器", version=suite_version(), lifespan=lifespan,
                  description="身份认证、用户与角色管理、审计日志、离线优先的数据同步。")
    app.state.services = services
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.include_router(api_router)
    return app


async def petition_intake_loop(services: ServerServices) -> None:
    """The bridge from the public portal: submissions become cases, ratings and one-time codes are handled."""
    from starlette.concurrency import run_in_threadpool

    from core.petition.intake import run_bridge

    log = logging.getLogger("apps.server.petition_intake")
    put = services.blobs.store.put
    while True:
        await asyncio.sleep(services.settings.petition_intake_seconds)
        try:
            counts = await run_in_threadpool(run_bridge, services.factory, blob_put=put)
        except Exception:  # a failed pass is retried on the next tick; nothing is lost
            log.exception("网上信访登记失败，稍后重试")
            continue
        if counts["cases"] or counts["ratings"] or counts["otps"]:
            log.info("网上信访：新登记 %(cases)d 件，评价 %(ratings)d 条，验证码 %(otps)d 条", counts)


class _SmsThread:
    """The SMS dispatcher of this server process, on a thread of its own (it waits on the gateway)."""

    def __init__(self, services: ServerServices) -> None:
        import threading

        from core.notifications.dispatch import Dispatcher, DispatchSettings
        from core.notifications.kannel import KannelGateway

        settings = services.settings
        self.dispatcher = Dispatcher(services.factory, KannelGateway.from_url(settings.sms_gateway),
                                     DispatchSettings(max_attempts=settings.sms_max_attempts,
                                                      report_base_url=settings.sms_report_url))
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.dispatcher.run_forever, name="sms-dispatcher", daemon=True,
                                       args=(self.stopping, settings.sms_interval_seconds))
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)


def start_sms_dispatcher(services: ServerServices) -> _SmsThread | None:
    """Start sending queued SMS when the server is configured with a gateway (``--sms-gateway``)."""
    if not services.settings.sms_gateway:
        return None
    return _SmsThread(services)


GC_YOUNG_THRESHOLD = 50_000
"""Allocations between two collections of the youngest generation (Python's default is 700). A push batch
builds tens of thousands of short-lived objects that no cycle holds; collecting every 700 of them walked
the batch's live rows over and over (a tenth of a 10,000-edit push)."""


def freeze_startup_objects() -> None:
    """Move everything built at start-up (the app, its routes and models, the mappers) out of the garbage
    collector's view: they live as long as the process, and a full collection during a large push would
    otherwise walk all of them again (a 10,000-edit push spent about a third of its time there). Young
    objects are then collected less often (:data:`GC_YOUNG_THRESHOLD`)."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


def app_from_environment() -> FastAPI:
    """The app of one worker process of ``renda server --workers N``, set up from the ``RENDA_SERVER_*``
    environment the command exported (uvicorn starts workers from an import string, not an object)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    app = create_app(ServerSettings())
    freeze_startup_objects()
    return app
