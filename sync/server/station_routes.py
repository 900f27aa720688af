"""Routes for stations and the kiosks behind them (docs/sync-protocol.md, "Stations", "Ratings").

- a station may post the ops of its own kiosks (``may_relay``);
- ``POST /v1/kiosks/{kiosk_id}/rating-check``: may the holder of this ticket rate it now? The
  kiosk asks before it shows the five levels, so a refusal is said in words at once;
- ``GET /v1/kiosks/{kiosk_id}/queue``: the station's queue as its kiosks show it (waiting counts,
  estimates, tickets just served); 404 at the district, which keeps no queue.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from sync.protocol.ratings import WORDS, check_holder, refusal
from sync.server.db import transaction
from sync.server.errors import ApiError, invalid_envelope
from sync.server.models import Kiosk
from sync.server.schemas import error_docs


def may_relay(readers: sessionmaker[Session], caller: str, kiosk_id: str) -> bool:
    """Whether ``caller`` is the station service of the station ``kiosk_id`` belongs to."""
    with readers() as session:
        rows = {row.kiosk_id: row for row in session.execute(
            select(Kiosk.kiosk_id, Kiosk.station_id, Kiosk.role).where(Kiosk.kiosk_id.in_([caller, kiosk_id])))}
    station, kiosk = rows.get(caller), rows.get(kiosk_id)
    return (station is not None and kiosk is not None and station.role == "station" and kiosk.role == "kiosk"
            and station.station_id == kiosk.station_id)


def parse_check(value: Any) -> tuple[str, str, dict]:
    """(number, business_date, holder) of a rating-check body, or 422."""
    if not isinstance(value, dict) or set(value) - {"number", "business_date", "holder"}:
        raise invalid_envelope("body must be an object with number, business_date and holder")
    number, day, holder = value.get("number"), value.get("business_date"), value.get("holder")
    if not isinstance(number, str) or not 1 <= len(number) <= 16:
        raise invalid_envelope("number must be the ticket's number, such as A017")
    try:
        date.fromisoformat(day if isinstance(day, str) and len(day) == 10 else "")
    except ValueError:
        raise invalid_envelope("business_date must be YYYY-MM-DD") from None
    problem = check_holder(holder)
    if problem or holder.get("by") == "counter":
        raise invalid_envelope(problem or "a kiosk proves the holder by code or card")
    return number.upper(), day, holder


WRONG_CODES_ALLOWED = 5
WRONG_CODES_PAUSE_S = 15 * 60
TOO_MANY = {"ok": False, "code": "too_many_tries", "detail": "too many wrong codes for this ticket; wait 15 minutes",
            "words": "评价码多次不对，请15分钟后再试，或到办理窗口的评价器评价"}


class WrongCodes:
    """Wrong 评价码 per ticket number: after five in a quarter of an hour, that number is not
    checked for a quarter of an hour (six digits are not guessed at a kiosk)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._seen: dict[tuple[str, str, str], list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str, str]) -> list[float]:
        now = self.clock()
        times = [t for t in self._seen.get(key, []) if now - t < WRONG_CODES_PAUSE_S]
        if times:
            self._seen[key] = times
        else:
            self._seen.pop(key, None)
        return times

    def paused(self, key: tuple[str, str, str]) -> bool:
        with self._lock:
            return len(self._recent(key)) >= WRONG_CODES_ALLOWED

    def wrong(self, key: tuple[str, str, str]) -> None:
        with self._lock:
            self._seen.setdefault(key, []).append(self.clock())
            if len(self._seen) > 10_000:  # a flood of made-up numbers does not grow it without end
                self._seen.pop(next(iter(self._seen)))


def add_station_routes(app: FastAPI, state: Any, signed: Callable) -> None:
    hooks = state.hooks
    wrong_codes = WrongCodes()

    def station_of(session: Session, kiosk_id: str) -> str:
        return session.scalar(select(Kiosk.station_id).where(Kiosk.kiosk_id == kiosk_id)) or ""

    @app.post("/v1/kiosks/{kiosk_id}/rating-check", responses=error_docs(400, 401, 403, 413, 415, 422))
    async def rating_check(kiosk_id: str, request: Request) -> JSONResponse:
        number, day, holder = parse_check(await signed(state, request, kiosk_id, json_body=True))

        def run() -> dict[str, Any]:
            with transaction(state.readers) as session:
                station_id = station_of(session, kiosk_id)
                ticket_id = hooks.find_ticket(session, station_id, number, day)
                facts = hooks.ticket_facts(session, [ticket_id] if ticket_id else []).get(ticket_id or "")
            key = (station_id, number, day)
            if wrong_codes.paused(key):
                return TOO_MANY
            probe = {"station_id": station_id, "holder": holder, "channel": "kiosk", "rated_at": day}
            refused = refusal(facts, probe, station_id=station_id, window_days=hooks.rating_window_days)
            if refused:
                if refused[0] == "not_holder":
                    wrong_codes.wrong(key)
                return {"ok": False, "code": refused[0], "detail": refused[1], "words": WORDS[refused[0]]}
            assert facts is not None
            return {"ok": True, "ticket_id": facts.ticket_id, "number": number, "business_date": day}

        return JSONResponse(await run_in_threadpool(run))

    @app.get("/v1/kiosks/{kiosk_id}/queue", responses=error_docs(401, 403, 404))
    async def queue(kiosk_id: str, request: Request) -> JSONResponse:
        await signed(state, request, kiosk_id, json_body=False)

        def run() -> dict[str, Any] | None:
            with transaction(state.readers) as session:
                station_id = station_of(session, kiosk_id)
            return hooks.queue_view(kiosk_id, station_id)

        view = await run_in_threadpool(run)
        if view is None:
            raise ApiError(404, "not_found", "no station queue is kept here; kiosks of a station ask its station service")
        return JSONResponse(view)
