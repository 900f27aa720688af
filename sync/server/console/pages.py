"""The console's web pages under /console (docs/district.md, "The console's pages"): plain HTML,
CSS and JS from this package's static folder, no inline script or style, strict headers.

A page needs a live session (else 303 to the login page, which says why) and a role that may see
it (else 403); a work order's page needs the order in the account's scope. What a page shows it
reads from /console/api/ with the account's own session, so the API's checks hold twice.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from sync.server.console.http import authenticated, in_transaction
from sync.server.errors import ApiError
from sync.server.models import CatalogueItem
from sync.server.workorders.access import Actor, Forbidden, can_see
from sync.server.workorders.states import DISTRICT_ADMIN, ROLES, STATION_HEAD
from sync.server.workorders.store import load_order

STATIC = Path(__file__).resolve().parent / "static"
ASSET_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
PAGE_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",  # the pages show names, work orders and (the caller's) phone numbers
}
# page -> the roles that may open it
ADMIN_AND_HEAD = frozenset({DISTRICT_ADMIN, STATION_HEAD})
PAGE_ROLES: dict[str, frozenset[str]] = {
    "orders": frozenset(ROLES), "order": frozenset(ROLES),
    "audit": frozenset({DISTRICT_ADMIN}), "figures": ADMIN_AND_HEAD,
    "overview": ADMIN_AND_HEAD, "map": ADMIN_AND_HEAD, "station": ADMIN_AND_HEAD, "fleet": ADMIN_AND_HEAD,
    "publish": frozenset({DISTRICT_ADMIN}),
}
# The pages at /console/<name> that need nothing but the role (common.js NAV lists them for the header).
PLAIN_PAGES = ("orders", "audit", "figures", "overview", "map", "fleet", "publish")


# page -> (its name in the title, its style sheets after console.css, its scripts after common.js;
# vendor/… ones load before it). Each page's <main> is static/main/<page>.html; static/shell.html is
# what every page shares around it (the header: account, nav, log out). The login page is whole.
PAGE_PARTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "audit": ("审计日志 Audit log", (), ("audit.js",)),
    "figures": ("统计 Figures", (), ("figures.js",)),
    "fleet": ("设备状态 Fleet health", ("fleet.css",), ("fleet.js",)),
    "forbidden": ("无权访问 Not allowed", (), ("plain.js",)),
    "map": ("服务圈地图 Service circle map", ("overview.css", "map.css"),
            ("vendor/echarts.min.js", "overview.js", "map.js")),
    "not-found": ("找不到 Not found", (), ("plain.js",)),
    "order": ("工单详情 Work order", (), ("order_actions.js", "order.js")),
    "orders": ("工单 Work orders", (), ("orders.js",)),
    "overview": ("概览 Overview", ("overview.css",), ("vendor/echarts.min.js", "overview.js")),
    "publish": ("发布 Publishing", ("publish.css",), ("publish_preview.js", "publish_forms.js", "publish.js")),
    "station": ("站点 Station", ("overview.css", "station.css"),
                ("vendor/echarts.min.js", "overview.js", "station.js")),
}


def render_page(name: str) -> str:
    """A whole page: the shell around static/main/<name>.html, or static/<name>.html as it is."""
    if name not in PAGE_PARTS:
        return (STATIC / f"{name}.html").read_text(encoding="utf-8")
    title, styles, scripts = PAGE_PARTS[name]
    vendor = [s for s in scripts if s.startswith("vendor/")]
    ordered = [*vendor, "common.js", *(s for s in scripts if s not in vendor)]
    head = "".join(f'<link rel="stylesheet" href="/console/static/{s}">\n' for s in styles)
    head += "".join(f'<script src="/console/static/{s}" defer></script>\n' for s in ordered)
    shell = Template((STATIC / "shell.html").read_text(encoding="utf-8"))
    return shell.substitute(title=title, head=head, main=(STATIC / "main" / f"{name}.html").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _page_bytes(name: str) -> bytes:
    return render_page(name).encode("utf-8")


def _page(name: str, status: int = 200) -> Response:
    return Response(_page_bytes(name), status_code=status, media_type="text/html; charset=utf-8",
                    headers=PAGE_HEADERS)


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = RedirectResponse(f"/console?next={quote(target, safe='')}", status_code=303)
    response.headers.update(PAGE_HEADERS)
    return response


def labels(session: Any) -> dict[str, Any]:
    """Names for the codes the work orders carry: stations, services (with their department),
    the units to assign to, and the district's reason labels when it gives any."""
    items = session.execute(select(CatalogueItem.entity, CatalogueItem.item_id, CatalogueItem.data)
                            .where(CatalogueItem.entity.in_(("station", "service", "config")))).all()
    stations, services, reasons = {}, {}, {}
    for entity, item_id, data in items:
        data = data if isinstance(data, dict) else {}
        if entity == "station":
            stations[item_id] = data.get("name") or item_id
        elif entity == "service":
            services[item_id] = {"name": data.get("name") or item_id, "department": data.get("department")}
        elif item_id == "rating_reasons" and isinstance(data.get("value"), dict):
            reasons = {str(k): str(v) for k, v in data["value"].items()}
    units = sorted({s["department"] for s in services.values() if isinstance(s["department"], str)
                    and s["department"].strip()})
    return {"stations": stations, "services": services, "units": units, "reasons": reasons}


def add_console_pages(app: FastAPI, state: Any) -> None:
    clock = state.settings.clock
    assets = {p.name: p for p in STATIC.iterdir() if p.suffix in ASSET_TYPES}

    async def actor_of(request: Request, order_id: str | None = None, station_id: str | None = None) -> Actor | None:
        """The account behind the cookie (None: no live session); Forbidden when the order or
        the station is not in its scope, not found when the station is unknown."""
        def work(session: Any) -> Actor:
            actor, _token = authenticated(session, request, clock(), change=False)
            if order_id is not None and not can_see(actor, load_order(session, order_id)):
                raise Forbidden(f"work order {order_id} is not in the scope of {actor.name}")
            if station_id is not None:
                if session.get(CatalogueItem, ("station", station_id)) is None:
                    raise ApiError(404, "not_found", f"no station {station_id[:80]!r}")
                if actor.role == STATION_HEAD and actor.station_id != station_id:
                    raise Forbidden(f"station {station_id} is not in the scope of {actor.name}")
            return actor

        try:
            return await in_transaction(state, work)
        except ApiError as exc:
            if exc.status == 401:
                return None
            raise

    async def guarded(request: Request, page: str, order_id: str | None = None,
                      station_id: str | None = None) -> Response:
        try:
            actor = await actor_of(request, order_id, station_id)
        except ApiError as exc:
            return _page("not-found" if exc.status == 404 else "forbidden", exc.status)
        if actor is None:
            return _to_login(request)
        if actor.role not in PAGE_ROLES[page]:
            return _page("forbidden", 403)
        return _page(page)

    @app.get("/console", include_in_schema=False)
    async def login_page(request: Request) -> Response:
        if await actor_of(request) is not None:
            response = RedirectResponse("/console/orders", status_code=303)
            response.headers.update(PAGE_HEADERS)
            return response
        return _page("login")

    def plain_page(name: str) -> None:
        async def open_page(request: Request) -> Response:
            return await guarded(request, name)

        app.add_api_route(f"/console/{name}", open_page, methods=["GET"], include_in_schema=False)

    for name in PLAIN_PAGES:
        plain_page(name)

    @app.get("/console/orders/{order_id}", include_in_schema=False)
    async def order_page(order_id: str, request: Request) -> Response:
        return await guarded(request, "order", order_id)

    @app.get("/console/stations/{station_id}", include_in_schema=False)
    async def station_page(station_id: str, request: Request) -> Response:
        return await guarded(request, "station", station_id=station_id)

    @app.get("/console/static/{name}", include_in_schema=False)
    async def asset(name: str) -> Response:
        path = assets.get(name)
        if path is None:
            return JSONResponse({"error": "not_found", "detail": f"no file {name[:80]!r}"}, status_code=404)
        return FileResponse(path, media_type=ASSET_TYPES[path.suffix],
                            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})

    @app.get("/console/api/labels", include_in_schema=False)
    async def label_names(request: Request) -> JSONResponse:
        def work(session: Any) -> dict[str, Any]:
            authenticated(session, request, clock(), change=False)
            return labels(session)

        return JSONResponse(await in_transaction(state, work))
