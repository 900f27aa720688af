"""/console/api/overview, /console/api/map, /console/api/stations/{id} and the exports
(docs/console-overview.md), and the charting library the pages draw with, from this package
(/console/static/vendor/echarts.min.js, put there by packaging/install-echarts; nothing from elsewhere).

Who sees what: the district administrator the whole district or any station; a station head their
own station only (no `station` means theirs, another is 403); units and callers nothing (403).
Errors: 401 without a session, 403, 404 for a station the catalogue does not know, 422
`invalid_request` for a bad date or month, in that order."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sync.server.console.figures_routes import station_in_scope
from sync.server.console.http import authenticated, in_transaction
from sync.server.db import transaction
from sync.server.errors import ApiError, error_response
from sync.server.models import CatalogueItem
from sync.server.overview.days import BadDay, business_date, month_days, parse_day, parse_month
from sync.server.overview.exports import export
from sync.server.overview.places import map_answer, station_answer
from sync.server.overview.summary import day_overview
from sync.server.overview.tickets import PastDays
from sync.server.schemas import error_docs

VENDOR = Path(__file__).resolve().parent / "vendor"
VENDOR_FILES = {"echarts.min.js": "text/javascript; charset=utf-8"}
API = "/console/api"


def _checked(session: Session, station_id: str | None) -> None:
    """404 for a station the catalogue does not know (an id no catalogue item can have is not looked up)."""
    if station_id is None:
        return
    if len(station_id) > 128 or any(ord(ch) < 32 for ch in station_id) \
            or session.get(CatalogueItem, ("station", station_id)) is None:
        raise ApiError(404, "not_found", f"no station {station_id[:80]!r}")


def _day(request: Request, now: float) -> Any:
    try:
        return parse_day(request.query_params.get("date"), business_date(now))
    except BadDay as exc:
        raise ApiError(422, "invalid_request", str(exc)) from None


def _period(request: Request, now: float) -> tuple[list[Any], str]:
    """The days of an export (``date`` or ``month``, not both; today's business day by default) and its label."""
    params = request.query_params
    if "date" in params and "month" in params:
        raise ApiError(422, "invalid_request", "give date (YYYY-MM-DD) or month (YYYY-MM), not both")
    try:
        if "month" in params:
            month = parse_month(params.get("month"))
            return month_days(month), str(month)
        day = parse_day(params.get("date"), business_date(now))
    except BadDay as exc:
        raise ApiError(422, "invalid_request", str(exc)) from None
    return [day], day.isoformat()


def add_overview_routes(app: FastAPI, state: Any) -> None:
    """Register the overview's, the map's and the station page's API, the exports and the vendored chart library."""
    clock = state.settings.clock
    past = PastDays()

    async def read(request: Request, station_id: str | None, work: Callable[[Session, str | None, float], Any]) -> Any:
        """The session checked (and kept alive) in a short transaction, then ``work`` in a read-only one."""
        actor, _token = await in_transaction(state, lambda session: authenticated(session, request, clock(),
                                                                                  change=False))
        station = station_in_scope(actor, station_id)

        def run() -> Any:
            with transaction(state.readers) as session:
                _checked(session, station)
                return work(session, station, clock())

        return await run_in_threadpool(run)

    @app.get(f"{API}/overview", responses=error_docs(401, 403, 404, 422))
    async def overview(request: Request) -> JSONResponse:
        """The business day's overview of the district or one station (`date`, `station`)."""
        return JSONResponse(await read(request, request.query_params.get("station"),
                                       lambda s, station, now: day_overview(s, _day(request, now), station, now, past)))

    @app.get(f"{API}/map", responses=error_docs(401, 403, 404, 422))
    async def service_map(request: Request) -> JSONResponse:
        """Every station where it is, with its kiosks, health and one-hour share (`date`, `station`)."""
        return JSONResponse(await read(request, request.query_params.get("station"),
                                       lambda s, station, now: map_answer(s, _day(request, now), station, now, past)))

    @app.get(f"{API}/stations/{{station_id}}", responses=error_docs(401, 403, 404, 422))
    async def station(station_id: str, request: Request) -> JSONResponse:
        """One station: its kiosks, counters, hours and the day's figures (`date`)."""
        return JSONResponse(await read(request, station_id,
                                       lambda s, station, now: station_answer(s, station, _day(request, now), now, past)))

    async def exported(request: Request, kind: str) -> Response:
        def work(session: Session, station: str | None, now: float) -> tuple[bytes, str, str]:
            days, label = _period(request, now)
            return export(session, days, label, station, kind, business_date(now), past)

        content, media_type, disposition = await read(request, request.query_params.get("station"), work)
        return Response(content, media_type=media_type, headers={"Content-Disposition": disposition,
                                                                 "Cache-Control": "private, no-store"})

    @app.get(f"{API}/overview/export.csv", responses=error_docs(401, 403, 404, 422))
    async def export_csv(request: Request) -> Response:
        """The figures per station of a day (`date`) or of each day of a month (`month`), as CSV."""
        return await exported(request, "csv")

    @app.get(f"{API}/overview/export.xlsx", responses=error_docs(401, 403, 404, 422))
    async def export_xlsx(request: Request) -> Response:
        """The same as an XLSX workbook."""
        return await exported(request, "xlsx")

    @app.get("/console/static/vendor/{name}", include_in_schema=False)
    async def vendor(name: str) -> Response:
        path = VENDOR / name if name in VENDOR_FILES else None
        if path is None or not path.is_file():
            detail = ("the console's chart library is not installed: run packaging/install-echarts"
                      if name in VENDOR_FILES else f"no file {name[:80]!r}")
            return error_response(404, "not_found", detail)
        return FileResponse(path, media_type=VENDOR_FILES[name],
                            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})
