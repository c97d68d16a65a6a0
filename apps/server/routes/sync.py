"""Sync endpoints over :class:`core.sync.server.SyncService` and the attachment service.

Pull pages can hold tens of thousands of rows, so sync answers are serialized with orjson directly.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote

import orjson
from fastapi import APIRouter, Body, Depends, Header, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from apps.server.deps import ClientIP, ServicesDep, SyncAdmin, SyncUser
from apps.server.errors import errors
from apps.server.schemas import (
    BlobStored,
    CompactOut,
    CompactRequest,
    DeviceOut,
    DeviceRequest,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    ScopeChecksum,
)
from core.sync.protocol import parse_limit


class OrjsonResponse(JSONResponse):
    """JSON rendered by orjson (datetimes as ISO-8601); several times faster on big pull pages."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


router = APIRouter(prefix="/sync", tags=["sync"], default_response_class=OrjsonResponse)
PUSH_ATTEMPTS = 3

# The answers below are built as plain dicts for speed; their shape is declared for /openapi.json.
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="附件内容的 SHA-256（64 位小写十六进制）")]
_OCTETS = {"requestBody": {"required": True, "content": {"application/octet-stream": {
    "schema": {"type": "string", "format": "binary"}}}}}


def _answer(model: type[Any], status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": model, "description": "成功"}}


async def _push_body(request: Request) -> PushRequest:
    """The push request read and checked in one pass by pydantic's own JSON parser: a batch carries thousands of
    mutations, and reading them into Python objects first and validating those after took twice as long.
    Refusals are the same validation errors (and Chinese answers) as for any other body."""
    raw = await request.body()
    if not raw.strip():
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    try:
        return PushRequest.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(include_url=False)]) from None


PushBody = Annotated[PushRequest, Depends(_push_body)]
_PUSH_SCHEMA = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


@router.post("/push", responses={**_answer(PushResponse), **errors(400, 409, 413, 422, 425)},
             summary="上传本地修改（每条修改只生效一次）",
             openapi_extra=_PUSH_SCHEMA)
def push(principal: SyncUser, body: PushBody, services: ServicesDep) -> OrjsonResponse:
    services.identity.check_device(principal, body.device_id)
    for attempt in range(PUSH_ATTEMPTS):
        try:
            results = services.sync.push(principal, body.device_id, body.mutations, after=body.after)
            break
        except IntegrityError:
            # The same batch (a client retrying after a lost answer) or a row of it committed meanwhile by
            # another request, maybe in another server process. The batch was rolled back whole; the next
            # attempt answers the mutations already applied from the log, so each one still applies once.
            if attempt + 1 == PUSH_ATTEMPTS:
                raise HTTPException(409, "同一批修改正由另一次同步处理，请稍后再同步") from None
    return OrjsonResponse({"results": results})


@router.post("/pull", responses=_answer(PullResponse), summary="从游标起下载一页变更")
def pull(body: PullRequest, principal: SyncUser, services: ServicesDep) -> OrjsonResponse:
    return OrjsonResponse(services.sync.pull(principal, body.cursor, parse_limit(body.limit)))


@router.get("/checksums", responses=_answer(dict[str, ScopeChecksum]), summary="各数据范围的校验和")
def checksums(principal: SyncUser, services: ServicesDep) -> OrjsonResponse:
    return OrjsonResponse(services.sync.checksums(principal))


@router.post("/devices", response_model=DeviceOut, response_class=JSONResponse, responses=errors(409), summary="登记本机（设备编号与签名公钥）")
def register_device(body: DeviceRequest, principal: SyncUser, services: ServicesDep, ip: ClientIP) -> DeviceOut:
    record = services.identity.register_device(principal, body.device_id, body.name, body.public_key, ip)
    return DeviceOut.of(record)


@router.put("/blobs/{sha256}", status_code=201, responses={**_answer(BlobStored, 201), **errors(400, 413)},
            openapi_extra=_OCTETS, summary="上传附件内容（请求体为文件本身）")
async def upload_blob(sha256: Sha256, request: Request, principal: SyncUser, services: ServicesDep,
                      x_filename: Annotated[str, Header(max_length=600)] = "") -> OrjsonResponse:
    data = await request.body()
    filename = unquote(x_filename)[:200]
    stored = await run_in_threadpool(services.blobs.accept_upload, principal, sha256, data, filename)
    return OrjsonResponse({"sha256": stored, "size": len(data)}, status_code=201)


@router.get("/blobs/{sha256}", response_class=Response, summary="下载附件内容", responses={
    200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
          "description": "附件内容"}, **errors(404)})
def fetch_blob(sha256: Sha256, principal: SyncUser, services: ServicesDep) -> Response:
    try:
        data = services.blobs.serve(principal, sha256)
    except FileNotFoundError as exc:  # the row is visible but its bytes have not been uploaded yet
        raise HTTPException(404, str(exc)) from None
    return Response(data, media_type="application/octet-stream")


@router.post("/compact", responses=_answer(CompactOut), summary="清理早于某序号的删除标记（需同步管理权限）")
def compact(principal: SyncAdmin, services: ServicesDep,
            body: Annotated[CompactRequest | None, Body()] = None) -> OrjsonResponse:
    return OrjsonResponse(services.sync.compact(body.upto_seq if body else None))
