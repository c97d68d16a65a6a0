"""The portal's pages: home, how to petition, submit, receipt, track, progress, rate, statistics, privacy.

Every page is server-rendered (Jinja2, autoescaped) and works without JavaScript. Forms carry a CSRF
token (double submit of a signed value, SameSite=Strict cookies); a submission is committed before the
receipt is shown (POST, redirect, GET); after the tracking code is verified the progress page is reached
with a signed, short-lived pass cookie, so the code never appears in a URL.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from apps.portal import laoganbu
from apps.portal.forms import KINDS, SATISFACTION, check_submission, clean
from apps.portal.security import GuardMiddleware, RateLimiter, Signer, TooLarge, csrf_ok, new_csrf_token
from apps.portal.settings import PortalSettings
from core.petition import intake
from core.petition.districts import DISTRICTS, district_name
from core.petition.intake import SHANGHAI, PublicStatus, TrackingCodeError, parse_tracking_code

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
T = TypeVar("T")

STATE_LABELS = {
    "submitted": "已提交，等待登记", "registered": "已登记", "routed": "已转送", "transferred": "已转送",
    "assigned": "已交办", "notified": "已告知", "rejected": "不予受理", "not_accepted": "不予受理",
    "objected": "正在重新分流", "accepted": "已受理", "handling": "办理中", "extended": "办理中（已延期）",
    "supervised": "办理中", "returned": "办理中", "answered": "已答复", "rated": "已评价",
    "closed": "已办结", "review": "复查中", "reviewed": "已复查", "rereview": "复核中",
    "rereviewed": "已复核", "final": "已终结", "terminated": "已终结",
}
ERROR_PAGES = {
    400: ("请求无法处理", "提交的内容格式不正确，请返回重新填写。"),
    403: ("页面已过期", "为保护您的信息，表单在打开一段时间后失效，或来源无法确认。请返回，刷新页面后重新提交。"),
    404: ("找不到这个页面", "您访问的地址不存在。请从首页重新进入。"),
    405: ("无法这样访问", "这个地址不接受这种访问方式。请从首页重新进入。"),
    413: ("提交的内容过大", "提交的内容（含附件）超过了允许的大小。请减少或压缩附件后重新提交。"),
    429: ("操作过于频繁", "您的操作次数过多，请稍后再试。"),
    503: ("服务暂时不可用", "系统暂时无法处理您的请求，您填写的内容没有提交成功。请稍后再试，或拨打信访接待电话。"),
}
CSRF_NOTICE = "页面已过期或来源无法确认，这次没有提交。请核对下面的内容，再提交一次。"


def _fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI)
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass
class Portal:
    settings: PortalSettings
    engine: Engine
    templates: Environment
    limiter: RateLimiter
    csrf: Signer
    passes: Signer

    # ------------------------------------------------------------------ database
    def session(self, write: bool) -> AbstractContextManager[Session]:
        from contextlib import contextmanager

        @contextmanager
        def opened() -> Any:
            with self.engine.connect() as conn:
                conn.info["write"] = write  # SQLite: a read takes no write lock
                try:
                    with Session(bind=conn) as session:
                        yield session
                        if write:
                            session.commit()
                finally:
                    conn.info["write"] = True

        return opened()

    async def db(self, fn: Callable[[Session], T], *, write: bool = False) -> T:
        def run() -> T:
            with self.session(write) as session:
                return fn(session)

        return await run_in_threadpool(run)

    # ------------------------------------------------------------------ rendering
    def client(self, request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def client_hash(self, request: Request) -> str:
        return hmac.new(self.settings.key(), self.client(request).encode(), hashlib.sha256).hexdigest()

    def render(self, request: Request | None, name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        token = None
        if request is not None:
            token = request.cookies.get("portal_csrf")
            if not token or self.csrf.unsign(token, 3 * 3600) is None:
                token = new_csrf_token(self.csrf)
        html = self.templates.get_template(name).render(csrf=token or "", path=request.url.path if request else "",
                                                         **context)
        response = HTMLResponse(html, status_code=http_status, headers={"cache-control": "no-store"})
        if request is not None and token and token != request.cookies.get("portal_csrf"):
            self.cookie(response, "portal_csrf", token, 4 * 3600)
        return response

    def cookie(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                            secure=self.settings.secure_cookies)

    def error_page(self, status: int) -> tuple[int, bytes]:
        title, text = ERROR_PAGES.get(status, ERROR_PAGES[400])
        html = self.templates.get_template("error.html").render(title=title, text=text, status=status, csrf="",
                                                                path="")
        return status, html.encode()

    def error_response(self, status: int) -> HTMLResponse:
        code, body = self.error_page(status)
        return HTMLResponse(body, status_code=code, headers={"cache-control": "no-store"})

    def limited(self, kind: str, request: Request) -> bool:
        return not self.limiter.allow(kind, self.client(request))

    def tracked_code(self, request: Request) -> str | None:
        return self.passes.unsign(request.cookies.get("portal_pass"), self.settings.track_minutes * 60)


async def _form(request: Request, portal: Portal) -> Any:
    """The request's form, at most ``max_files`` + a few file parts; malformed bodies become a 400."""
    try:
        return await request.form(max_files=portal.settings.max_files + 2, max_fields=40,
                                  max_part_size=64 * 1024)
    except TooLarge:
        raise
    except Exception as exc:  # python-multipart's and Starlette's parse errors
        raise HTTPException(400) from exc


def _with_form(portal: Portal, handler: Callable[[Request, Any], Any]) -> Callable[[Request], Any]:
    """A POST handler that gets the parsed form; its uploaded files are closed afterwards."""

    async def endpoint(request: Request) -> Response:
        form = await _form(request, portal)
        try:
            return await handler(request, form)  # type: ignore[no-any-return]
        finally:
            await form.close()

    return endpoint


def build_app(settings: PortalSettings, engine: Engine) -> Starlette:
    # Malformed bodies from the internet are answered with a 400 page; the parser's warnings are noise.
    logging.getLogger("python_multipart").setLevel(logging.ERROR)
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(default=True, default_for_string=True))
    templates.filters["date"] = _fmt_date
    templates.filters["district"] = district_name
    templates.globals.update(districts=DISTRICTS, kinds=KINDS, satisfaction=SATISFACTION,
                             max_files=settings.max_files, max_file_mb=settings.max_file_bytes // 1048576)
    limiter = RateLimiter({
        "page": (settings.page_per_minute, 60 / settings.page_per_minute),
        "submit": (max(2, settings.submit_per_hour // 2), 3600 / settings.submit_per_hour),
        "track": (max(3, settings.track_per_10min // 2), 600 / settings.track_per_10min),
        "otp": (max(1, settings.otp_per_hour // 2), 3600 / settings.otp_per_hour),
    }, enabled=settings.rate_limits)
    key = settings.key()
    portal = Portal(settings, engine, templates, limiter, Signer(key, "csrf"), Signer(key, "pass"))

    async def page(request: Request) -> Response:
        name = request.scope["route"].name
        if portal.limited("page", request):
            return portal.error_response(429)
        return portal.render(request, f"{name}.html")

    # ------------------------------------------------------------------ submit
    async def submit_form(request: Request) -> Response:
        if portal.limited("page", request):
            return portal.error_response(429)
        return portal.render(request, "submit.html", values={"persons": "1"}, errors={})

    async def submit(request: Request, form: Any) -> Response:
        uploads = []
        for item in form.getlist("files"):
            if isinstance(item, UploadFile) and item.filename:
                uploads.append((item, await item.read()))
        checked, record = check_submission(form, uploads, max_files=portal.settings.max_files,
                                           max_file_bytes=portal.settings.max_file_bytes)
        if not csrf_ok(portal.csrf, request.cookies.get("portal_csrf"), str(form.get("csrf") or "")):
            return portal.render(request, "submit.html", 403, values=checked.values, errors={},
                                 notice=CSRF_NOTICE, files_dropped=bool(uploads))
        if checked.errors or record is None:
            return portal.render(request, "submit.html", 400, values=checked.values, errors=checked.errors,
                                 files_dropped=bool(uploads))
        if portal.limited("submit", request):
            return portal.render(request, "submit.html", 429, values=checked.values, errors={},
                                 notice="同一网络提交过于频繁，请一小时后再提交。您填写的内容保留在下方。",
                                 files_dropped=bool(uploads))
        client = portal.client_hash(request)
        code = await portal.db(lambda s: intake.record_submission(s, record, client_hash=client), write=True)
        log.info("门户收到一件网上信访（%d 个附件）", len(record.files))
        response = RedirectResponse("/receipt", status_code=303)
        portal.cookie(response, "portal_receipt",
                      portal.passes.sign(f"{code}|{record.phone[:3]}****{record.phone[-4:]}"), 3600)
        portal.cookie(response, "portal_pass", portal.passes.sign(code), portal.settings.track_minutes * 60)
        return response

    async def receipt(request: Request) -> Response:
        value = portal.passes.unsign(request.cookies.get("portal_receipt"), 3600)
        if value is None or "|" not in value:
            return RedirectResponse("/track", status_code=303)
        code, phone = value.split("|", 1)
        return portal.render(request, "receipt.html", code=code, phone=phone)

    # ------------------------------------------------------------------ track
    async def track_form(request: Request) -> Response:
        if portal.limited("page", request):
            return portal.error_response(429)
        return portal.render(request, "track.html", values={}, errors={})

    def _code(values: dict[str, str], errors: dict[str, str]) -> str | None:
        try:
            code = parse_tracking_code(values.get("code", ""))
        except TrackingCodeError as exc:
            errors["code"] = str(exc)
            return None
        values["code"] = code
        return code

    def _passed(code: str) -> Response:
        response = RedirectResponse("/progress", status_code=303)
        portal.cookie(response, "portal_pass", portal.passes.sign(code), portal.settings.track_minutes * 60)
        return response

    async def track(request: Request, form: Any) -> Response:
        values = {"code": clean(form.get("code"))[:40], "last4": clean(form.get("last4"))[:10],
                  "method": "phone"}
        errors: dict[str, str] = {}
        if not csrf_ok(portal.csrf, request.cookies.get("portal_csrf"), str(form.get("csrf") or "")):
            return portal.render(request, "track.html", 403, values=values, errors={}, notice=CSRF_NOTICE)
        if portal.limited("track", request):
            return portal.render(request, "track.html", 429, values=values, errors={},
                                 notice="查询次数过多，请十分钟后再试。")
        code = _code(values, errors)
        if not (len(values["last4"]) == 4 and values["last4"].isdigit()):
            errors["last4"] = "请填写登记手机号码的最后 4 位数字"
        if errors or code is None:
            return portal.render(request, "track.html", 400, values=values, errors=errors)
        last4 = values["last4"]
        status = await portal.db(lambda s: intake.verify_phone(s, code, last4))
        if status is None:  # unknown code or wrong digits: one answer, the digits not echoed
            values["last4"] = ""
            return portal.render(request, "track.html", 400, values=values, errors={},
                                 notice="查询码或手机号码后四位不正确，请核对后再试。")
        return _passed(code)

    async def otp_send(request: Request, form: Any) -> Response:
        values = {"code": clean(form.get("code"))[:40], "method": "sms"}
        errors: dict[str, str] = {}
        if not csrf_ok(portal.csrf, request.cookies.get("portal_csrf"), str(form.get("csrf") or "")):
            return portal.render(request, "track.html", 403, values=values, errors={}, notice=CSRF_NOTICE)
        if portal.limited("otp", request):
            return portal.render(request, "track.html", 429, values=values, errors={},
                                 notice="获取短信验证码过于频繁，请一小时后再试，或改用手机号码后四位查询。")
        code = _code(values, errors)
        if errors or code is None:
            return portal.render(request, "track.html", 400, values=values, errors=errors)
        client = portal.client_hash(request)
        await portal.db(lambda s: intake.request_otp(s, code, client_hash=client), write=True)
        return portal.render(request, "track.html", values=values, errors={}, otp_sent=True)

    async def otp_check(request: Request, form: Any) -> Response:
        values = {"code": clean(form.get("code"))[:40], "otp": clean(form.get("otp"))[:10], "method": "sms"}
        errors: dict[str, str] = {}
        if not csrf_ok(portal.csrf, request.cookies.get("portal_csrf"), str(form.get("csrf") or "")):
            return portal.render(request, "track.html", 403, values=values, errors={}, notice=CSRF_NOTICE,
                                 otp_sent=True)
        if portal.limited("track", request):
            return portal.render(request, "track.html", 429, values=values, errors={}, otp_sent=True,
                                 notice="查询次数过多，请十分钟后再试。")
        code = _code(values, errors)
        if not (len(values["otp"]) == 6 and values["otp"].isdigit()):
            errors["otp"] = "请填写短信中的 6 位数字验证码"
        if errors or code is None:
            return portal.render(request, "track.html", 400, values=values, errors=errors, otp_sent=True)
        otp = values["otp"]
        ok = await portal.db(lambda s: intake.verify_otp(s, code, otp), write=True)
        if not ok:
            return portal.render(request, "track.html", 400, values=values, errors={}, otp_sent=True,
                                 notice="验证码不正确或已过期（有效期 10 分钟，最多试 5 次），请重新获取。")
        return _passed(code)

    # ------------------------------------------------------------------ progress and rating
    async def progress(request: Request) -> Response:
        code = portal.tracked_code(request)
        if code is None:
            return RedirectResponse("/track", status_code=303)
        status, _check = await portal.db(lambda s: intake.public_status_of(s, code))
        if status is None:
            return RedirectResponse("/track", status_code=303)
        return portal.render(request, "progress.html", status=status, state=STATE_LABELS.get(status.state, "办理中"),
                             steps=_steps(status), rated=request.query_params.get("rated") == "1",
                             values={}, errors={})

    async def rate(request: Request, form: Any) -> Response:
        code = portal.tracked_code(request)
        if code is None:
            return RedirectResponse("/track", status_code=303)
        values = {"satisfaction": clean(form.get("satisfaction")), "comment": clean(form.get("comment"),
                                                                                     multiline=True)}
        status, _check = await portal.db(lambda s: intake.public_status_of(s, code))
        if status is None:
            return RedirectResponse("/track", status_code=303)
        context = {"status": status, "state": STATE_LABELS.get(status.state, "办理中"), "steps": _steps(status),
                   "values": values}
        if not csrf_ok(portal.csrf, request.cookies.get("portal_csrf"), str(form.get("csrf") or "")):
            return portal.render(request, "progress.html", 403, errors={}, notice=CSRF_NOTICE, **context)
        errors: dict[str, str] = {}
        if values["satisfaction"] not in SATISFACTION:
            errors["satisfaction"] = "请选择满意、基本满意或不满意"
        if len(values["comment"]) > 500:
            errors["comment"] = f"意见最多 500 个字，现在 {len(values['comment'])} 个字"
        if status.answered_on is None or status.rated:
            return portal.render(request, "progress.html", 400, errors={}, notice=(
                "这件信访已经评价过，每件只能评价一次。" if status.rated else "答复之后才能评价。"), **context)
        if errors:
            return portal.render(request, "progress.html", 400, errors=errors, **context)
        client = portal.client_hash(request)
        stored = await portal.db(lambda s: intake.record_rating(s, code, values["satisfaction"], values["comment"],
                                                                client_hash=client), write=True)
        if not stored:
            return portal.render(request, "progress.html", 400, errors={},
                                 notice="这件信访已经评价过，每件只能评价一次。", **context)
        return RedirectResponse("/progress?rated=1", status_code=303)

    # ------------------------------------------------------------------ statistics
    stats_cache: dict[str, Any] = {}

    async def stats(request: Request) -> Response:
        if portal.limited("page", request):
            return portal.error_response(429)
        import time

        if stats_cache.get("at", -1e9) < time.monotonic() - 60:
            rows = await portal.db(intake.public_statistics)
            stats_cache.update(at=time.monotonic(), data=_statistics(rows))
        return portal.render(request, "stats.html", **stats_cache["data"])

    async def font(_request: Request) -> Response:
        return FileResponse(FONT, media_type="font/collection",
                            headers={"cache-control": "public, max-age=2592000, immutable"})

    async def health(_request: Request) -> Response:
        return PlainTextResponse("ok")

    async def no_icon(_request: Request) -> Response:
        return Response(status_code=204, headers={"cache-control": "public, max-age=86400"})

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 400
        return portal.error_response(status if status in ERROR_PAGES else 400)

    routes = [
        Route("/", page, name="home"),
        Route("/guide", page, name="guide"),
        Route("/privacy", page, name="privacy"),
        Route("/submit", submit_form, methods=["GET"]),
        Route("/submit", _with_form(portal, submit), methods=["POST"]),
        Route("/receipt", receipt),
        Route("/track", track_form, methods=["GET"]),
        Route("/track", _with_form(portal, track), methods=["POST"]),
        Route("/track/sms", _with_form(portal, otp_send), methods=["POST"]),
        Route("/track/otp", _with_form(portal, otp_check), methods=["POST"]),
        Route("/progress", progress),
        Route("/rate", _with_form(portal, rate), methods=["POST"]),
        Route("/stats", stats),
        *laoganbu.routes(portal),
        Route("/fonts/wqy-microhei.ttc", font),
        Route("/healthz", health),
        Route("/favicon.ico", no_icon),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error},
                    middleware=[Middleware(GuardMiddleware, max_bytes=settings.max_request_bytes,  # type: ignore[arg-type]
                                           error_page=portal.error_page)])
    app.state.portal = portal
    return app


def _steps(status: PublicStatus) -> list[dict[str, Any]]:
    """The public timeline: stage labels and dates only."""
    steps: list[dict[str, Any]] = [
        {"label": "网上提交", "on": status.submitted_at, "done": status.submitted_at is not None
         or status.received_on is not None},
        {"label": "登记", "on": status.received_on, "done": status.received_on is not None},
        {"label": "受理", "on": status.accepted_on, "done": status.accepted_on is not None},
        {"label": "答复", "on": status.answered_on, "done": status.answered_on is not None,
         "due": status.due_on if status.answered_on is None and status.accepted_on is not None else None},
        {"label": "评价", "on": None, "done": status.rated},
        {"label": "办结", "on": status.closed_on, "done": status.closed_on is not None},
    ]
    if status.submitted_at is None:
        steps = steps[1:]
    return steps


def _statistics(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts for the last twelve months: by month, category and district, with bar widths."""
    months = sorted({str(r["month"]) for r in rows if r["month"]})[-12:]
    recent = [r for r in rows if str(r["month"]) in months]

    def table(key: Callable[[dict[str, Any]], str], order: list[str] | None = None) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for r in recent:
            counts[key(r)] = counts.get(key(r), 0) + int(r["cases"] or 0)
        labels = order if order is not None else sorted(counts, key=lambda k: -counts[k])
        top = max(counts.values(), default=0) or 1
        return [{"label": k, "count": counts.get(k, 0), "width": round(counts.get(k, 0) * 20 / top) * 5}
                for k in labels]

    total = sum(int(r["cases"] or 0) for r in recent)
    answered = sum(int(r["answered"] or 0) for r in recent)
    return {
        "by_month": table(lambda r: f"{str(r['month'])[:4]}年{int(str(r['month'])[5:7])}月",
                          [f"{m[:4]}年{int(m[5:7])}月" for m in months]),
        "by_category": table(lambda r: str(r["category_name"] or "未分类")),
        "by_district": table(lambda r: district_name(str(r["district_code"] or "")) or "未注明"),
        "by_channel": table(lambda r: str(r["channel"] or "其他")),
        "total": total, "answered": answered,
        "period": (f"{months[0][:4]}年{int(months[0][5:7])}月至{months[-1][:4]}年{int(months[-1][5:7])}月"
                   if months else ""),
    }


def create_app(settings: PortalSettings | None = None) -> Starlette:
    """The portal for ``settings`` (its database must already be migrated by the server)."""
    from core.db import make_engine

    settings = settings or PortalSettings()
    if not settings.db_url:
        raise ValueError("没有指定数据库地址（--db 或 RENDA_PORTAL_DB_URL）")
    pool: dict[str, Any] = {} if settings.db_url.startswith("sqlite") else {"pool_size": 20, "max_overflow": 20}
    engine = make_engine(settings.db_url, **pool)
    return build_app(settings, engine)
