"""The FastAPI application: routes of sync protocol v1 (docs/sync-protocol.md), in the protocol's fault order."""

from __future__ import annotations

import gc
import hashlib
import os
import threading
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from email.utils import formatdate
from typing import Any, AsyncIterator, Callable

from anyio import to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import insert, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.server import changes, enrolment, history, reconcile
from sync.protocol import canonical_json
from sync.server.body import (GZIP_OVERHEAD, ClientGone, RawBody, check_content_encoding, check_content_type, decode_body,
                              parse_json, read_raw_body, too_large)
from sync.server.catalogue import reason_codes
from sync.server.console.pages import add_console_pages
from sync.server.console.routes import add_console_routes
from sync.server.fleet.routes import add_fleet_routes
from sync.server.overview.routes import add_overview_routes
from sync.server.phone.routes import add_phone_routes
from sync.server.publishing.routes import add_publishing_routes
from sync.server.db import lock_kiosk, make_engine, reader_sessions, transaction
from sync.server.envelope import Envelope, parse_envelope
from sync.server.errors import ApiError, error_response, invalid_envelope
from sync.server.hooks import ServerHooks
from sync.server.models import Batch, Kiosk
from sync.server.ops import BatchApplier
from sync.server.station_routes import add_station_routes, may_relay
from sync.server.schemas import (ChangesPage, EnrolRequest, EnrolResponse, Health, OpsHistory, OpsRequest,
                                 OpsResponse, ReconcileRequest, StationNumbering, ReconcileResponse, Snapshot, body_doc, error_docs,
                                 merge_body_defs)
from sync.server.settings import ServerSettings
from sync.server.signing import authenticate, check_signed_headers
from sync.server.workorders.hooks import DistrictHooks

SIGNED_ERRORS = (401, 403)
BODY_ERRORS = (400, 401, 403, 413, 415, 422)


class DateHeaderMiddleware:
    """Every response carries a Date header (the kiosk estimates its clock offset from it)."""

    def __init__(self, app: Any, clock: Any):
        self.app = app
        self.clock = clock

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_date(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                headers.append((b"date", formatdate(self.clock(), usegmt=True).encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_date)


class ServerState:
    def __init__(self, db_url: str, settings: ServerSettings, hooks: ServerHooks | None = None):
        self.settings = settings
        self.hooks = hooks or DistrictHooks()
        self.engine = make_engine(db_url, pool_size=20)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.readers = reader_sessions(self.engine)
        self._in_flight: set[tuple[str, str]] = set()
        self._in_flight_lock = threading.Lock()

    def claim_batch(self, key: tuple[str, str]) -> None:
        with self._in_flight_lock:
            if key in self._in_flight:
                raise ApiError(409, "batch_in_flight", "this batch is being applied; retry later",
                               {"Retry-After": "1"})
            self._in_flight.add(key)

    def release_batch(self, key: tuple[str, str]) -> None:
        with self._in_flight_lock:
            self._in_flight.discard(key)


def _path_with_query(request: Request) -> str:
    raw_path = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
    query = request.scope.get("query_string", b"")
    return (raw_path + (b"?" + query if query else b"")).decode("latin-1")


async def _signed(state: ServerState, request: Request, kiosk_id: str, *, json_body: bool,
                  then: Callable[[Any], Any] | None = None, relay: bool = False) -> Any:
    """401, 403, 415, 413, 400 in that order; returns the parsed JSON body (or None), or what `then`
    makes of it. All of it, `then` included, runs in one worker thread: one hop off the event loop.
    With `relay`, a station may use the path of one of its own kiosks."""
    raw = await read_raw_body(request, state.settings.max_body_bytes + GZIP_OVERHEAD)

    def run() -> Any:
        value = _verified_body(state, request, raw, kiosk_id, json_body, relay)
        return value if then is None else then(value)

    return await run_in_threadpool(run)


def _verified_body(state: ServerState, request: Request, raw: RawBody, kiosk_id: str, json_body: bool,
                   relay: bool = False) -> Any:
    if raw.unread:  # too large to read: judged on its headers (401, 403, 415), then 413
        check_signed_headers(state.readers, state.settings, request.headers)
        caller = request.headers["x-kiosk-id"]
    else:
        caller = authenticate(
            state.sessions, state.settings, readers=state.readers, method=request.method,
            path_with_query=_path_with_query(request), headers=request.headers, body_sha256_hex=raw.sha256_hex,
        )
    if caller != kiosk_id and not (relay and may_relay(state.readers, caller, kiosk_id)):
        raise ApiError(403, "forbidden", f"kiosk {caller!r} may not use the paths of kiosk {kiosk_id!r}")
    if raw.unread and not json_body:
        raise too_large(state.settings.max_body_bytes)
    return _json_body(state, request, raw) if json_body else None


def _json_body(state: ServerState, request: Request, raw: RawBody) -> Any:
    check_content_type(request.headers.get("content-type"))
    gzipped = check_content_encoding(request.headers.get("content-encoding"))
    return parse_json(decode_body(raw, gzipped, state.settings.max_body_bytes))


def _push_ops(state: ServerState, kiosk_id: str, value: Any) -> dict[str, Any]:
    envelope = parse_envelope(value, state.settings)
    canonical = canonical_json(value)
    body_hash = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    key = (kiosk_id, envelope.batch_id)
    state.claim_batch(key)
    try:
        with transaction(state.sessions) as session:
            response = _apply_batch(session, state.settings.clock, kiosk_id, envelope, body_hash,
                                    may_hold_nul="\\u0000" in canonical, hooks=state.hooks)
        state.hooks.after_batch(kiosk_id, envelope.ops, response)
        return response
    finally:
        state.release_batch(key)


def _apply_batch(session: Session, clock: Callable[[], float], kiosk_id: str, envelope: Envelope, body_hash: str,
                 may_hold_nul: bool, hooks: ServerHooks) -> dict[str, Any]:
    """Within the caller's transaction: the stored response of a retried batch, or apply and store it."""
    kiosk = lock_kiosk(session, kiosk_id, envelope.batch_id)
    if kiosk is None:
        raise ApiError(401, "unauthorized", "unknown kiosk")
    if kiosk.batch_sha256 is not None:
        if kiosk.batch_sha256 != body_hash:
            raise ApiError(422, "batch_id_reused", "this batch_id was used with a different body")
        return kiosk.batch_response
    now = clock()
    response = BatchApplier(session, kiosk_id, kiosk.high_water, lambda: reason_codes(session), now,
                            may_hold_nul=may_hold_nul, station_id=kiosk.station_id, role=kiosk.role,
                            hooks=hooks).apply(envelope.ops)
    changes: dict[str, Any] = {"high_water": response["high_water"]}
    if envelope.app_version is not None:
        changes["app_version"] = envelope.app_version[:64]
    session.execute(update(Kiosk).where(Kiosk.kiosk_id == kiosk_id).values(changes))
    session.execute(insert(Batch).values(kiosk_id=kiosk_id, batch_id=envelope.batch_id, body_sha256=body_hash,
                                         response=response, created_at=now))
    return response


def _parse_int(value: str | None, name: str, default: int, minimum: int) -> int:
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 18 or int(value) < minimum:
        raise invalid_envelope(f"{name} must be an integer >= {minimum}")
    return int(value)


async def _signed_page(state: ServerState, request: Request, kiosk_id: str, default_limit: int, max_limit: int,
                       read: Callable[[Session, int, int], dict[str, Any]]) -> JSONResponse:
    """A signed GET of one page: `since` and `limit` from the query, `read` in a reader transaction."""
    await _signed(state, request, kiosk_id, json_body=False)
    since = _parse_int(request.query_params.get("since"), "since", 0, 0)
    limit = min(_parse_int(request.query_params.get("limit"), "limit", default_limit, 1), max_limit)

    def run() -> dict[str, Any]:
        with transaction(state.readers) as session:
            return read(session, since, limit)

    return JSONResponse(await run_in_threadpool(run))


def create_app(db_url: str, *, settings: ServerSettings | None = None, hooks: ServerHooks | None = None) -> FastAPI:
    """The district server app. The database must already be migrated (sync.server.migrations).
    A station service passes its ``hooks`` (sync.server.hooks)."""
    settings = settings or ServerSettings()
    state = ServerState(db_url, settings, hooks)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        yield

    app = FastAPI(title="District server (sync protocol v1)", version="1", lifespan=lifespan)
    app.state.server = state
    app.add_middleware(DateHeaderMiddleware, clock=settings.clock)

    @app.exception_handler(ApiError)
    async def on_api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(ClientGone)
    async def on_client_gone(_request: Request, _exc: ClientGone) -> Response:
        return Response(status_code=400)  # nobody reads it; the one log line is body.py's

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", str(exc.errors())[:500])

    @app.exception_handler(DBAPIError)
    async def on_database_error(_request: Request, _exc: DBAPIError) -> JSONResponse:
        return error_response(503, "database_unavailable", "the database is unavailable; retry later",
                              {"Retry-After": "5"})

    @app.get("/v1/health", response_model=Health, responses=error_docs(503))
    def health() -> dict[str, Any]:
        with state.readers() as session:
            session.execute(text("SELECT 1"))
        now = datetime.fromtimestamp(settings.clock(), timezone.utc)
        return {"status": "ok", "time": now.isoformat(timespec="seconds"),
                "schema_versions": list(settings.schema_versions)}

    @app.post("/v1/enrol", status_code=201, response_model=EnrolResponse,
              openapi_extra=body_doc(EnrolRequest), responses=error_docs(400, 401, 413, 415, 422))
    async def enrol(request: Request) -> JSONResponse:
        raw = await read_raw_body(request, settings.max_body_bytes + GZIP_OVERHEAD)
        body = _json_body(state, request, raw)
        token, kiosk_id, app_version, numbering = enrolment.parse_request(body)

        def run() -> dict[str, str]:
            relayed = state.hooks.enrol(body)
            if relayed is not None:
                status, answer = relayed
                if status != 201:
                    raise ApiError(status, answer.get("error", "enrolment_failed"), answer.get("detail", ""),
                                   extra={k: v for k, v in answer.items() if k not in ("error", "detail")})
                with transaction(state.sessions) as session:
                    enrolment.store_relayed(session, answer, app_version, numbering, settings.clock())
                return answer
            with transaction(state.sessions) as session:
                return enrolment.enrol(session, token, kiosk_id, app_version, settings.clock(), numbering)

        return JSONResponse(await run_in_threadpool(run), status_code=201)

    @app.post("/v1/enrol/numbering", response_model=StationNumbering, openapi_extra=body_doc(EnrolRequest),
              responses=error_docs(400, 401, 413, 415, 422))
    async def enrol_numbering(request: Request) -> JSONResponse:
        """The station's numbering blocks and letters, and a free one, for a valid token (not used)."""
        raw = await read_raw_body(request, settings.max_body_bytes + GZIP_OVERHEAD)
        token, kiosk_id, _app_version, numbering = enrolment.parse_request(_json_body(state, request, raw))

        def run() -> dict[str, Any]:
            with transaction(state.readers) as session:
                return enrolment.station_numbering(session, token, kiosk_id, settings.clock(), numbering)

        return JSONResponse(await run_in_threadpool(run))

    @app.post("/v1/kiosks/{kiosk_id}/ops", response_model=OpsResponse, openapi_extra=body_doc(OpsRequest),
              responses=error_docs(*BODY_ERRORS, 409, 426))
    async def push_ops(kiosk_id: str, request: Request) -> JSONResponse:
        return JSONResponse(await _signed(state, request, kiosk_id, json_body=True, relay=True,
                                          then=lambda value: _push_ops(state, kiosk_id, value)))

    @app.get("/v1/kiosks/{kiosk_id}/changes", response_model=ChangesPage,
             responses=error_docs(*SIGNED_ERRORS, 410, 422))
    async def get_changes(kiosk_id: str, request: Request,
                          since: str | None = Query(None, description="cursor, 0 for everything",
                                                    json_schema_extra={"pattern": "^[0-9]+$"}),
                          limit: str | None = Query(None, description="page size (at most 1000)",
                                                    json_schema_extra={"pattern": "^[0-9]+$"})) -> JSONResponse:
        return await _signed_page(state, request, kiosk_id, settings.changes_default_limit, settings.changes_max_limit,
                                  lambda session, since, limit: changes.read_page(session, since, limit))

    @app.get("/v1/kiosks/{kiosk_id}/ops", response_model=OpsHistory, responses=error_docs(*SIGNED_ERRORS, 422))
    async def get_own_ops(kiosk_id: str, request: Request,
                          since: str | None = Query(None, description="seq, 0 for everything",
                                                    json_schema_extra={"pattern": "^[0-9]+$"}),
                          limit: str | None = Query(None, description="page size (at most 1000)",
                                                    json_schema_extra={"pattern": "^[0-9]+$"})) -> JSONResponse:
        """This kiosk's ops as stored, for rebuilding a lost store (docs/sync-protocol.md, "Recovery")."""
        return await _signed_page(state, request, kiosk_id, history.MAX_LIMIT, history.MAX_LIMIT,
                                  lambda session, since, limit: history.read_page(session, kiosk_id, since, limit))

    @app.get("/v1/kiosks/{kiosk_id}/snapshot", response_model=Snapshot, responses=error_docs(*SIGNED_ERRORS))
    async def get_snapshot(kiosk_id: str, request: Request) -> JSONResponse:
        await _signed(state, request, kiosk_id, json_body=False)

        def run() -> dict[str, Any]:
            with transaction(state.readers) as session:
                return changes.read_snapshot(session)

        return JSONResponse(await run_in_threadpool(run))

    @app.post("/v1/kiosks/{kiosk_id}/reconcile", response_model=ReconcileResponse,
              openapi_extra=body_doc(ReconcileRequest), responses=error_docs(*BODY_ERRORS))
    async def post_reconcile(kiosk_id: str, request: Request) -> JSONResponse:
        days = reconcile.parse_request(await _signed(state, request, kiosk_id, json_body=True))

        def run() -> dict[str, Any]:
            with transaction(state.readers) as session:
                return {"mismatched": reconcile.mismatched_days(session, kiosk_id, days)}

        return JSONResponse(await run_in_threadpool(run))

    add_station_routes(app, state, _signed)
    add_fleet_routes(app, state, _signed, console=hooks is None)  # a station keeps its kiosks' heartbeats
    if hooks is None:  # the district itself; a station service embeds the sync routes alone
        add_console_routes(app, state)
        app.state.phone = add_phone_routes(app, state, _signed)
        add_overview_routes(app, state)
        add_publishing_routes(app, state)
        add_console_pages(app, state)
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = merge_body_defs(default_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def app_from_environment() -> FastAPI:
    """Factory for multi-worker uvicorn (`serve --workers N`): settings come from the environment."""
    settings = ServerSettings(change_retention_s=float(os.environ.get("DISTRICT_SERVER_RETENTION_S", 90 * 86400)))
    app = create_app(os.environ["DISTRICT_SERVER_DB"], settings=settings)
    tune_gc_for_serving()
    return app


def tune_gc_for_serving() -> None:
    """Call once a serving process has built its app. A server holds many parsed batches at once
    (about 2,000 dicts and lists each), so with the default thresholds the cyclic collector walks
    them all again and again: a tenth of the CPU time under load. Objects built at start-up are
    frozen out of collection, and young collections run after 50,000 allocations instead of 700."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
