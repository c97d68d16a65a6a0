"""Every refusal answers :class:`ErrorBody` — ``{"detail": "<plain Chinese>"}`` — with a 4xx status.

This one error model is declared in ``/openapi.json`` for every status code each route can answer
(:func:`declare_errors`), validation errors included; request bodies are size-limited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.auth.passwords import PolicyViolation
from core.auth.service import (
    AlreadyExists,
    DeviceTaken,
    IdentityError,
    InvalidChange,
    LoginFailed,
    NotFound,
    TokenRejected,
)
from core.sync.blob_service import BlobForbidden
from core.sync.blobs import AttachmentRefused
from core.sync.bulk import RowsChanged
from core.sync.protocol import OutOfTurn, ProtocolError
from core.sync.schema import SchemaError

log = logging.getLogger(__name__)

# Most specific first: the first matching class decides the status.
DOMAIN_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (TokenRejected, 401),
    (LoginFailed, 401),
    (NotFound, 404),
    (AlreadyExists, 409),
    (DeviceTaken, 409),
    (RowsChanged, 409),
    (InvalidChange, 400),
    (IdentityError, 400),
    (PolicyViolation, 422),
    (OutOfTurn, 425),
    (ProtocolError, 400),
    (SchemaError, 400),
    (AttachmentRefused, 400),
    (BlobForbidden, 403),
)

_STATUS_TEXT = {
    400: "请求有误",
    401: "请先登录",
    403: "您没有执行此操作的权限",
    404: "找不到请求的地址或记录",
    405: "不支持这种请求方式",
    406: "无法提供所要求的格式",
    411: "请求缺少内容长度",
    413: "上传的内容太大",
    415: "不支持的内容类型，请以 JSON 格式提交",
    422: "请求内容不符合要求",
    425: "请求来得早了：它之前的请求还没有处理完",
    429: "请求过于频繁，请稍后再试",
}

_LOCATION_PARTS = {"body", "query", "path", "header"}
UNEXPECTED = "服务器内部错误，操作未完成；请联系系统管理员查看服务器日志"

_WHEN = {
    400: "请求有误：不是有效的 JSON、内容不合规则，或操作不被允许",
    401: "未登录、登录已失效，或（登录时）用户名或密码错误、账户已锁定或停用",
    403: "没有执行此操作的权限",
    404: "找不到所指的记录",
    409: "与已有的记录冲突（名称或设备编号已被使用）",
    413: "请求内容超过上限",
    422: "请求内容或参数不符合要求（缺少字段、类型不对、超出范围、密码不合规则等）",
    425: "同一台设备紧接着上传的一批修改先到了：它之前的那一批还没有处理完，这一批没有处理，客户端随后会重新上传",
    503: "数据库暂时不可用",
}


class ErrorBody(BaseModel):
    """The body of every refusal: one plain Chinese sentence saying what was wrong."""

    detail: str = Field(description="给用户看的中文说明")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the refusals it can answer beyond those found from its parameters."""
    return {code: {"model": ErrorBody, "description": _WHEN.get(code, _STATUS_TEXT.get(code, ""))} for code in codes}


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _has_parameters(dependant: Dependant) -> bool:
    if dependant.query_params or dependant.path_params or dependant.header_params or dependant.cookie_params:
        return True
    return any(_has_parameters(sub) for sub in dependant.dependencies)


def declare_errors(routes: Iterable[Any], authenticate: Any, authorise_marker: str) -> None:
    """Declare on every route the refusals it can give, all as :class:`ErrorBody`.

    A body brings 400 (not JSON), 413 (too large) and 422; any parameter brings 422; the dependency
    ``authenticate`` brings 401 and a permission check (a dependency whose name holds
    ``authorise_marker``) 403. Route-specific answers come from the route's own ``responses``.
    """
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        codes: set[int] = set()
        if route.body_field is not None:
            codes |= {400, 413, 422}
        if _has_parameters(route.dependant):
            codes.add(422)
        calls = list(_calls(route.dependant))
        if authenticate in calls:
            codes.add(401)
        if any(authorise_marker in getattr(c, "__qualname__", "") for c in calls):
            codes.add(403)
        for code, spec in errors(*sorted(codes)).items():
            route.responses.setdefault(code, spec)
        for code in [c for c in route.responses if str(c)[0] in "45"]:
            route.responses[code].setdefault("model", ErrorBody)


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer", **(headers or {})}
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def describe_validation(errors: Sequence[Any]) -> tuple[int, str]:
    """A status and one Chinese sentence for pydantic's validation errors."""
    parts: list[str] = []
    for err in errors:
        kind = str(err.get("type", ""))
        if kind == "json_invalid":
            return 400, "请求内容不是有效的 JSON"
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in _LOCATION_PARTS)
        name = f"字段“{loc}”" if loc else "请求内容"
        if kind == "missing":
            text = f"缺少{name}"
        elif kind == "extra_forbidden":
            text = f"不认识的{name}（请检查拼写）"
        elif kind in ("model_attributes_type", "dict_type", "model_type") and not loc:
            text = "请求内容必须是 JSON 对象"
        elif kind in ("string_too_long", "too_long"):
            text = f"{name}过长"
        elif kind in ("string_too_short", "too_short"):
            text = f"{name}过短或为空"
        elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            text = f"{name}超出允许的范围"
        elif kind == "string_pattern_mismatch":
            text = f"{name}格式不正确"
        elif kind == "value_error":
            text = f"{name}：{str(err.get('msg', '')).removeprefix('Value error, ')}"
        elif kind.endswith(("_type", "_parsing")):
            text = f"{name}的类型不正确"
        else:
            text = f"{name}的取值不正确"
        if text not in parts:
            parts.append(text)
        if len(parts) >= 5:
            break
    return 422, "请求有误：" + "；".join(parts or ["内容不符合要求"])


async def _validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    status, text = describe_validation(exc.errors())
    return error_response(status, text)


async def _http_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else None
    text = detail or _STATUS_TEXT.get(exc.status_code, f"请求无法处理（{exc.status_code}）")
    return error_response(exc.status_code, text, dict(exc.headers or {}))


def status_for(exc: Exception) -> int | None:
    for cls, status in DOMAIN_STATUS:
        if isinstance(exc, cls):
            return status
    return None


async def _domain_handler(_request: Request, exc: Exception) -> JSONResponse:
    status = status_for(exc) or 400
    text = str(exc) or _STATUS_TEXT.get(status, "请求有误")
    return error_response(status, text)


async def _data_handler(request: Request, exc: Exception) -> JSONResponse:
    # A value the database cannot hold (a number beyond its range, a text too long for its column)
    # that got past the checks at the edge: the request is refused and nothing was written.
    log.info("数据库拒绝了请求中的值：%s %s：%s", request.method, request.url.path, exc.__class__.__name__)
    return error_response(400, "请求中的数值或文字超出了允许的范围，操作未执行")


async def _unexpected_handler(request: Request, exc: Exception) -> JSONResponse:
    log.error("服务器内部错误：%s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, UNEXPECTED)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    for cls, _status in DOMAIN_STATUS:
        app.add_exception_handler(cls, _domain_handler)
    app.add_exception_handler(DataError, _data_handler)
    app.add_exception_handler(OverflowError, _data_handler)
    app.add_exception_handler(Exception, _unexpected_handler)


class UnexpectedErrorMiddleware:
    """Answers an exception no handler knows with a logged 500 and keeps the connection usable.

    Starlette's last-resort handler answers 500 too but then re-raises, and uvicorn closes a connection
    whose application raised, so the client's next request on it was reset.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:  # too late for an answer of our own
                raise
            log.error("服务器内部错误：%s %s", scope.get("method", ""), scope.get("path", ""), exc_info=exc)
            await error_response(500, UNEXPECTED)(scope, receive, send)


def _size(n: int) -> str:
    return f"{n / 1048576:.4g} MB" if n >= 1048576 else f"{n / 1024:.4g} KB"


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"请求内容超过上限 {_size(limit)}，已拒绝")


class BodyLimitMiddleware:
    """Refuses bodies over ``max_bytes``: up front from Content-Length, and while streaming otherwise."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await error_response(400, "请求头 Content-Length 格式不正确")(scope, receive, send)
                return
            if length > self.max_bytes:
                await error_response(413, BodyTooLarge(self.max_bytes).detail)(scope, receive, send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)
