"""The phone page's routes (docs/phone-page.md) and the stations' queue snapshots.

``GET /t/{token}`` the page · ``GET /t/{token}/state`` its state as JSON · ``GET /t/{token}/events``
server-sent events of it · ``POST /t/{token}/rating`` the rating form · ``GET /t/static/…`` the
page's style and script · ``POST /v1/kiosks/{station}/queue-snapshot`` (signed, stations only).

An unknown token and a malformed one get the same 404, after the same one lookup by a unique index
of the token's sha256."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from sync.protocol import DEFAULT_REASON_CODES, REASONS_CONFIG_KEY
from sync.protocol.ratings import token_sha256
from sync.server.catalogue import config_value
from sync.server.console.http import client_of
from sync.server.db import transaction
from sync.server.phone import limits, rating, snapshots
from sync.server.phone.live import MAX_FOLLOWERS, LiveHub
from sync.server.phone.page import HEADERS, not_found_page, public_state, ticket_page
from sync.server.phone.states import find_ticket, read_snapshot, ticket_states
from sync.server.phone.texts import lang_of
from sync.server.schemas import error_docs

STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"phone.css": "text/css; charset=utf-8", "phone.js": "text/javascript; charset=utf-8"}
MAX_FORM_BYTES = 4096
NOT_FOUND_JSON = {"error": "not_found", "detail": "no such ticket"}


def _key(token: str) -> str:
    """Every token is looked up the same way, well-formed or not (a malformed one never matches)."""
    return token_sha256(token[:128])


def _reasons(session: Any) -> list[str]:
    value = config_value(session, REASONS_CONFIG_KEY)
    if isinstance(value, list) and value:
        return [str(v["code"]) if isinstance(v, dict) and "code" in v else str(v) for v in value]
    if isinstance(value, dict) and value:
        return [str(code) for code in value]
    return list(DEFAULT_REASON_CODES)


def add_phone_routes(app: FastAPI, state: Any, signed: Callable) -> LiveHub:
    clock = state.settings.clock
    hub = LiveHub(state.readers, clock)
    pages = limits.Buckets(limits.PAGE)
    ratings = limits.Buckets(limits.RATING)
    static = {name: (STATIC / name).read_bytes() for name in STATIC_FILES}

    def limited(buckets: limits.Buckets, request: Request, html: bool) -> Response | None:
        wait = buckets.take(client_of(request))
        if not wait:
            return None
        headers = {**HEADERS, "Retry-After": limits.retry_after(wait)}
        if html:
            return HTMLResponse("<!doctype html><title>429</title><p>请稍后再试 · Please wait a moment</p>", 429,
                                headers=headers)
        return JSONResponse({"error": "too_many_requests", "detail": "too many requests from this address"}, 429,
                            headers=headers)

    def look(token: str, with_reasons: bool = False) -> tuple[Any, dict[str, Any] | None, list[str]]:
        with transaction(state.readers) as session:
            info = find_ticket(session, _key(token))
            if info is None:
                return None, None, []
            snapshot = read_snapshot(session, info.station_id)
            found = ticket_states(session, info.station_id, [info.ticket_id], snapshot, clock())
            return info, found.get(info.ticket_id), _reasons(session) if with_reasons else []

    def not_found(html: bool) -> Response:
        if html:
            return HTMLResponse(not_found_page(), 404, headers=HEADERS)
        return JSONResponse(NOT_FOUND_JSON, 404, headers=HEADERS)

    @app.get("/t/static/{name}", include_in_schema=False)
    async def phone_static(name: str) -> Response:
        if name not in static:
            return not_found(False)
        return Response(static[name], media_type=STATIC_FILES[name],
                        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})

    @app.get("/t/{token}", include_in_schema=False)
    async def phone_page(token: str, request: Request) -> Response:
        refused = limited(pages, request, True)
        if refused:
            return refused
        info, found, reasons = await run_in_threadpool(look, token, True)
        if info is None or found is None:
            return not_found(True)
        lang = lang_of(request.query_params.get("lang"), request.headers.get("accept-language"))
        return HTMLResponse(ticket_page(info, found, token, lang, reasons), headers=HEADERS)

    @app.get("/t/{token}/state", include_in_schema=False)
    async def phone_state(token: str, request: Request) -> Response:
        refused = limited(pages, request, False)
        if refused:
            return refused
        info, found, _ = await run_in_threadpool(look, token)
        if info is None or found is None:
            return not_found(False)
        lang = lang_of(request.query_params.get("lang"), request.headers.get("accept-language"))
        return JSONResponse({"number": info.number, **public_state(found, lang)}, headers=HEADERS)

    @app.get("/t/{token}/events", include_in_schema=False)
    async def phone_events(token: str, request: Request) -> Response:
        refused = limited(pages, request, False)
        if refused:
            return refused
        if hub.following >= MAX_FOLLOWERS:
            return JSONResponse({"error": "busy", "detail": "too many phones follow now; the page polls instead"},
                                503, headers={**HEADERS, "Retry-After": "10"})
        info, found, _ = await run_in_threadpool(look, token)
        if info is None or found is None:
            return not_found(False)
        lang = lang_of(request.query_params.get("lang"), request.headers.get("accept-language"))
        return StreamingResponse(hub.follow(info, found, lang, public_state), media_type="text/event-stream",
                                 headers={**HEADERS, "X-Accel-Buffering": "no"})

    @app.post("/t/{token}/rating", include_in_schema=False)
    async def phone_rating(token: str, request: Request) -> Response:
        lang = lang_of(request.query_params.get("lang"), request.headers.get("accept-language"))
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            return JSONResponse({"error": "bad_origin", "detail": "the form must come from this page"}, 403,
                                headers=HEADERS)
        if ratings.take(client_of(request)):
            return await refused_page(token, lang, "busy")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_FORM_BYTES):
            return JSONResponse({"error": "too_large", "detail": f"at most {MAX_FORM_BYTES} bytes"}, 413, headers=HEADERS)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                return JSONResponse({"error": "too_large", "detail": f"at most {MAX_FORM_BYTES} bytes"}, 413,
                                    headers=HEADERS)
        fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)

        def run() -> tuple[str | None, str | None]:
            with transaction(state.sessions) as session:
                try:
                    row = rating.rate(session, state.hooks, _key(token), token, fields, clock())
                except rating.PhoneRatingRefused as exc:
                    return exc.code, None
            return None, row["station_id"]

        outcome, station_id = await run_in_threadpool(run)
        if outcome is None:
            hub.poke(station_id)
            return RedirectResponse(f"/t/{token}?lang={lang}", 303, headers=HEADERS)
        return await refused_page(token, lang, outcome)

    async def refused_page(token: str, lang: str, code: str) -> Response:
        """The page again with what was wrong: 422 the form, 409 the rating rule, 429 too many tries."""
        info, found, reasons = await run_in_threadpool(look, token, True)
        if info is None or found is None or code == "not_holder":  # no such ticket: the page's own 404
            return not_found(True)
        status = 422 if code in ("level", "reasons", "phone") else 429 if code == "busy" else 409
        headers = {**HEADERS, "Retry-After": "30"} if code == "busy" else HEADERS
        return HTMLResponse(ticket_page(info, found, token, lang, reasons, code), status, headers=headers)

    @app.post("/v1/kiosks/{kiosk_id}/queue-snapshot", responses=error_docs(400, 401, 403, 413, 415, 422))
    async def queue_snapshot(kiosk_id: str, request: Request) -> JSONResponse:
        def keep(value: Any) -> tuple[dict[str, Any], str]:
            with transaction(state.sessions) as session:
                return snapshots.store_snapshot(session, kiosk_id, value, clock())

        answer, station_id = await signed(state, request, kiosk_id, json_body=True, then=keep)
        hub.poke(station_id)
        return JSONResponse(answer)

    return hub
