"""The retirees' notice pages (老干部通知): mobile first, large type, no JavaScript.

- ``/laoganbu/``: published notices for every retiree, newest first;
- ``/laoganbu/n/<id>``: one notice (404 unknown or not public, 410 withdrawn);
- ``/laoganbu/p/<token>``: a person's page through their link: the notices for everyone and those addressed
  to them (404 unknown token, 410 expired or revoked); ``/laoganbu/p/<token>/n/<id>`` opens one of them.

The pages read only the views ``cad_public_notice`` and ``cad_public_link`` (see ``core.cadre.notices``).
Every page counts against the per-address page limit; link tokens carry 256 random bits, so guessing one
is hopeless. Every page is ``no-store`` and sent with ``Referrer-Policy: no-referrer`` (the token never leaks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from core.cadre import notices

if TYPE_CHECKING:
    from apps.portal.app import Portal

KIND_CSS = {"活动": "activity", "讣告": "obituary", "文件": "document", "通知": "notice"}
ERRORS = {
    404: ("找不到这条通知", "这条通知不存在，或者网址不完整。请从通知列表重新进入。"),
    410: ("这条通知已撤回", "这条通知已由老干部处撤回，不再显示。请查看其他通知。"),
    "link404": ("链接无效", "这个链接不正确，可能是复制时少了字符。请使用老干部处发给您的完整链接，或与老干部处联系。"),
    "link410": ("链接已失效", "这个链接已过期或已停用。请与老干部处联系，索取新的链接。"),
    429: ("操作过于频繁", "您的操作次数过多，请稍后再试。"),
}


def routes(portal: Portal) -> list[Route]:
    def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return portal.render(request, f"laoganbu/{template}", status, kinds_css=KIND_CSS, **context)

    def error(request: Request, key: int | str, status: int, **context: Any) -> HTMLResponse:
        title, text = ERRORS[key]
        return render(request, "error.html", status, title=title, text=text, **context)

    async def index(request: Request) -> Response:
        if portal.limited("page", request):
            return error(request, 429, 429)
        rows = await portal.db(lambda s: notices.public_notices(s))
        return render(request, "list.html", notices=rows, base="/laoganbu/")

    async def notice(request: Request) -> Response:
        if portal.limited("page", request):
            return error(request, 429, 429)
        nid = request.path_params["nid"]
        row = await portal.db(lambda s: notices.public_notice(s, nid))
        if row is None:
            return error(request, 404, 404)
        if row.withdrawn:
            return error(request, 410, 410)
        return render(request, "notice.html", n=row, base="/laoganbu/")

    async def holder(request: Request) -> notices.LinkHolder | Response:
        if portal.limited("page", request):
            return error(request, 429, 429)
        token = request.path_params["token"]
        try:
            found = await portal.db(lambda s: notices.resolve_link(s, token))
        except notices.LinkGone:
            return error(request, "link410", 410)
        return found if found is not None else error(request, "link404", 404)

    async def person(request: Request) -> Response:
        found = await holder(request)
        if isinstance(found, Response):
            return found
        base = f"/laoganbu/p/{request.path_params['token']}/"
        rows = await portal.db(lambda s: notices.public_notices(s, addressee_id=found.person_id))
        return render(request, "person.html", notices=rows, base=base, home=base, person_name=found.name)

    async def person_notice(request: Request) -> Response:
        found = await holder(request)
        if isinstance(found, Response):
            return found
        base = f"/laoganbu/p/{request.path_params['token']}/"
        nid = request.path_params["nid"]
        row = await portal.db(lambda s: notices.public_notice(s, nid, addressee_id=found.person_id))
        if row is None:
            return error(request, 404, 404, home=base)
        if row.withdrawn:
            return error(request, 410, 410, home=base)
        return render(request, "notice.html", n=row, base=base, home=base)

    async def to_index(_request: Request) -> Response:
        return RedirectResponse("/laoganbu/", status_code=308)

    return [
        Route("/laoganbu", to_index, methods=["GET"]),
        Route("/laoganbu/", index, methods=["GET"]),
        # each page also with a closing slash: an id that ends in an encoded slash (``%2F``) reaches the router as
        # one, and would otherwise be redirected to another id's address instead of answered
        Route("/laoganbu/n/{nid}", notice, methods=["GET"]),
        Route("/laoganbu/n/{nid}/", notice, methods=["GET"]),
        Route("/laoganbu/p/{token}", person, methods=["GET"]),
        Route("/laoganbu/p/{token}/", person, methods=["GET"]),
        Route("/laoganbu/p/{token}/n/{nid}", person_notice, methods=["GET"]),
        Route("/laoganbu/p/{token}/n/{nid}/", person_notice, methods=["GET"]),
    ]
