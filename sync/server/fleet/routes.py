"""The heartbeat endpoint and the console's fleet API (docs/fleet-health.md).

- ``POST /v1/kiosks/{kiosk_id}/heartbeat`` (signed; a station may post its kiosks'): at the
  district, kept as the latest and in the history, alerts refreshed; at a station service, kept as
  the latest, for the station's link to relay (kiosk.station.heartbeats);
- ``GET /console/api/fleet[?station=ID]``: every device, most urgent first, the alerts of the last
  day and the thresholds; the district administrator's and the station heads' (their own station).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sync.server.console.figures_routes import station_in_scope
from sync.server.console.http import authenticated, in_transaction
from sync.server.db import transaction
from sync.server.errors import ApiError
from sync.server.fleet import alerts
from sync.server.fleet.heartbeat import parse_heartbeat, store_heartbeat
from sync.server.fleet.rules import station_hours, thresholds
from sync.server.fleet.status import device_states
from sync.server.models import CatalogueItem
from sync.server.schemas import error_docs

SUMMARY_KEYS = ("alert", "warning", "ok")


def fleet_view(session: Any, now: float, station_id: str | None) -> dict[str, Any]:
    """The console's fleet page: refreshes every device's alerts first (silence is seen here)."""
    if station_id is not None and session.get(CatalogueItem, ("station", station_id)) is None:
        raise ApiError(404, "not_found", f"no station {station_id[:80]!r}")
    limits = thresholds(session)
    alerts.refresh(session, now, limits, station_hours(session))
    devices = device_states(session, now, station_id)
    counts = {key: sum(1 for d in devices if d["health"] == key) for key in SUMMARY_KEYS}
    return {"now": now, "station_id": station_id, "counts": counts, "thresholds": limits.as_json(),
            "devices": devices, "alerts": alerts.recent_alerts(session, now, station_id)}


def add_fleet_routes(app: FastAPI, state: Any, signed: Any, *, console: bool = True) -> None:
    """Register POST /v1/kiosks/{kiosk_id}/heartbeat (signed with `signed`) and, with ``console``
    (the district), /console/api/fleet."""
    clock = state.settings.clock

    @app.post("/v1/kiosks/{kiosk_id}/heartbeat", responses=error_docs(400, 401, 403, 413, 415, 422))
    async def heartbeat(kiosk_id: str, request: Request) -> JSONResponse:
        def keep(value: Any) -> dict[str, Any]:
            body = parse_heartbeat(value)
            with transaction(state.sessions) as session:
                return store_heartbeat(session, kiosk_id, body, clock(), history=console, with_alerts=console)

        answer = await signed(state, request, kiosk_id, json_body=True, relay=True, then=keep)
        kept = getattr(state.hooks, "heartbeat_kept", None)  # a station sends it up at once
        if kept is not None:
            kept(kiosk_id)
        return JSONResponse(answer)

    if not console:
        return

    @app.get("/console/api/fleet", responses=error_docs(401, 403, 404, 422))
    async def fleet(request: Request) -> JSONResponse:
        """Every kiosk and station service, most urgent first, with the alerts of the last day."""
        actor, _token = await in_transaction(state, lambda session: authenticated(session, request, clock(),
                                                                                  change=False))
        wanted = request.query_params.get("station")
        if wanted is not None and not 1 <= len(wanted) <= 64:
            raise ApiError(422, "invalid_request", "station must be a station id (1..64 characters)")
        station_id = station_in_scope(actor, wanted)

        def run() -> dict[str, Any]:
            with transaction(state.sessions) as session:
                return fleet_view(session, clock(), station_id)

        return JSONResponse(await run_in_threadpool(run), headers={"Cache-Control": "no-store"})
