"""/console/api/figures: the 好差评 figures of a month as JSON, and the monthly export as XLSX
(docs/district.md "Figures"). The district administrator sees every station; a station head their
own station only; units and callers none."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sync.protocol import REASONS_CONFIG_KEY
from sync.server.catalogue import config_value
from sync.server.console.http import authenticated, in_transaction
from sync.server.db import transaction
from sync.server.errors import ApiError
from sync.server.figures.month import BadMonth, Month
from sync.server.figures.report import MonthFigures, month_figures
from sync.server.models import CatalogueItem
from sync.server.schemas import error_docs
from sync.server.workorders.access import Actor
from sync.server.workorders.states import DISTRICT_ADMIN, STATION_HEAD

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def station_in_scope(actor: Actor, wanted: str | None) -> str | None:
    """The station whose figures ``actor`` asked for (None: the whole district), or 403."""
    if actor.role == DISTRICT_ADMIN:
        return wanted
    if actor.role == STATION_HEAD and actor.station_id:
        if wanted is not None and wanted != actor.station_id:
            raise ApiError(403, "forbidden", f"{actor.name} sees the figures of station {actor.station_id} only")
        return actor.station_id
    raise ApiError(403, "forbidden", "the figures are the district administrator's and the station heads'")


def _month(text: str | None) -> Month:
    try:
        return Month.parse(text)
    except BadMonth as exc:
        raise ApiError(422, "invalid_request", str(exc)) from None


def _checked_station(session: Session, station_id: str | None) -> None:
    if station_id is not None and session.get(CatalogueItem, ("station", station_id)) is None:
        raise ApiError(404, "not_found", f"no station {station_id!r}")


def reason_labels(session: Session) -> dict[str, str]:
    value = config_value(session, REASONS_CONFIG_KEY)
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items() if isinstance(v, str)}
    if isinstance(value, list):
        return {str(e["code"]): e["label"] for e in value
                if isinstance(e, dict) and "code" in e and isinstance(e.get("label"), str)}
    return {}


def content_disposition(month: Month, station_id: str | None) -> str:
    """attachment with an RFC 5987 UTF-8 name (好差评-2026-11.xlsx) and an ASCII fallback."""
    suffix = f"-{station_id}" if station_id else ""
    ascii_suffix = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in suffix)
    name = f"好差评-{month}{suffix}.xlsx"
    return f"attachment; filename=\"haochaping-{month}{ascii_suffix}.xlsx\"; filename*=UTF-8''{quote(name, safe='')}"


async def _read(state: Any, work: Any) -> Any:
    """``work(session)`` in a read-only transaction (on SQLite it never holds the kiosks' write lock)."""
    def run() -> Any:
        with transaction(state.readers) as session:
            return work(session)

    return await run_in_threadpool(run)


def add_figures_routes(router: APIRouter, state: Any) -> None:
    clock = state.settings.clock

    async def figures_of(request: Request) -> tuple[MonthFigures, dict[str, str]]:
        """The session is checked (and kept alive) in a short write transaction; the figures are read apart."""
        actor, _token = await in_transaction(state, lambda session: authenticated(session, request, clock(),
                                                                                  change=False))
        station_id = station_in_scope(actor, request.query_params.get("station"))
        month = _month(request.query_params.get("month"))

        def work(session: Session) -> tuple[MonthFigures, dict[str, str]]:
            _checked_station(session, station_id)
            return month_figures(session, month, station_id, clock()), reason_labels(session)

        return await _read(state, work)

    @router.get("/figures", responses=error_docs(401, 403, 404, 422))
    async def figures(request: Request) -> JSONResponse:
        """The 好差评 figures of a month: the whole, by station, service, counter and channel."""
        result, _labels = await figures_of(request)
        return JSONResponse(result.as_json())

    @router.get("/figures/export.xlsx", responses=error_docs(401, 403, 404, 422))
    async def figures_export(request: Request) -> Response:
        """The monthly export (XLSX) of the same figures and the month's 差评 work orders."""
        from sync.server.figures.workbook import build_workbook  # openpyxl: loaded by the first export only

        result, labels = await figures_of(request)
        content = await run_in_threadpool(build_workbook, result, labels)
        return Response(content, media_type=XLSX, headers={
            "Content-Disposition": content_disposition(result.month, result.station_id),
            "Cache-Control": "private, no-store"})
