"""/console/api/: login, logout, me, the work orders and the audit log (docs/district.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sync.server import audit
from sync.server.console import sessions, throttle
from sync.server.console.figures_routes import add_figures_routes
from sync.server.console.accounts import find_user
from sync.server.console.http import authenticated, client_of, in_transaction, json_body
from sync.server.console.passwords import verify_password
from sync.server.db import transaction
from sync.server.errors import ApiError
from sync.server.schemas import error_docs
from sync.server.workorders.access import Actor
from sync.server.workorders.contact import contact_of
from sync.server.workorders.states import ACTIONS, DISTRICT_ADMIN, ROLE_LABELS, STATES
from sync.server.workorders.store import transition
from sync.server.workorders.views import order_detail, list_orders, order_view, periods

PREFIX = "/console/api"


def _me(actor: Actor, token: str) -> dict[str, Any]:
    return {"name": actor.name, "role": actor.role, "role_label": ROLE_LABELS.get(actor.role, actor.role),
            "station_id": actor.station_id, "unit": actor.unit, "csrf": sessions.csrf_of(token)}


def _int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise ApiError(422, "invalid_request", f"{name} must be an integer {low}..{high}")
    return int(value)


def add_console_routes(app: FastAPI, state: Any) -> None:
    router = APIRouter(prefix=PREFIX)
    clock = state.settings.clock

    @router.post("/login", responses=error_docs(400, 401, 403, 413, 415, 422, 429))
    async def login(request: Request) -> JSONResponse:
        sessions.check_origin(request)
        body = await json_body(request)
        name, password = body.get("name") if isinstance(body, dict) else None, body.get("password") if isinstance(body, dict) else None
        if not isinstance(name, str) or not isinstance(password, str) or not name or len(name) > 64:
            raise ApiError(422, "invalid_request", "body must be {\"name\": ..., \"password\": ...}")
        client = client_of(request)

        def run() -> tuple[Actor, str] | float:
            now = clock()
            with transaction(state.sessions) as session:
                wait = throttle.wait_s(session, client, name, now)
                if wait > 0:
                    return wait
                user = find_user(session, name)
                stored = user.password_hash if user is not None else None
            if not verify_password(stored, password) or user is None:  # the hash outside any transaction
                with transaction(state.sessions) as session:
                    throttle.failed(session, client, name, clock())
                raise ApiError(401, "unauthorized", "wrong name or password")
            with transaction(state.sessions) as session:
                throttle.succeeded(session, client, name)
                token = sessions.open_session(session, user.name, clock())
            return Actor(user.name, user.role, user.station_id, user.unit, client), token

        outcome = await run_in_threadpool(run)
        if isinstance(outcome, float):
            seconds = max(1, int(outcome + 0.999))
            raise ApiError(429, "too_many_attempts", f"too many failed logins from this address for this name; "
                           f"try again in {seconds} s", {"Retry-After": str(seconds)})
        actor, token = outcome
        response = JSONResponse(_me(actor, token))
        sessions.set_cookie(response, request, token)
        return response

    @router.post("/logout", responses=error_docs(401, 403))
    async def logout(request: Request) -> JSONResponse:
        def work(session: Any) -> None:
            _actor, token = authenticated(session, request, clock(), change=True)
            sessions.close_session(session, token)

        await in_transaction(state, work)
        response = JSONResponse({"ok": True})
        sessions.clear_cookie(response, request)
        return response

    @router.get("/me", responses=error_docs(401))
    async def me(request: Request) -> JSONResponse:
        def work(session: Any) -> dict[str, Any]:
            actor, token = authenticated(session, request, clock(), change=False)
            return _me(actor, token)

        return JSONResponse(await in_transaction(state, work))

    @router.get("/work-orders", responses=error_docs(401, 422))
    async def work_orders(request: Request) -> JSONResponse:
        query = request.query_params
        wanted = query.get("state")
        if wanted is not None and wanted not in STATES:
            raise ApiError(422, "invalid_request", f"state must be one of {', '.join(STATES)}")
        overdue = {None: None, "1": True, "true": True, "0": False, "false": False}.get(query.get("overdue"), "bad")
        if overdue == "bad":
            raise ApiError(422, "invalid_request", "overdue must be true or false")
        limit = _int(query.get("limit"), "limit", 200, 1, 1000)
        everything = query.get("all") in ("1", "true")

        def work(session: Any) -> dict[str, Any]:
            actor, _token = authenticated(session, request, clock(), change=False)
            return {"work_orders": list_orders(session, actor, clock(), state=wanted, overdue=overdue, limit=limit,
                                               open_only=wanted is None and not everything)}

        return JSONResponse(await in_transaction(state, work))

    @router.get("/work-orders/{order_id}", responses=error_docs(401, 403, 404))
    async def work_order(order_id: str, request: Request) -> JSONResponse:
        def work(session: Any) -> dict[str, Any]:
            actor, _token = authenticated(session, request, clock(), change=False)
            return order_detail(session, actor, order_id, clock())

        return JSONResponse(await in_transaction(state, work))

    @router.get("/work-orders/{order_id}/contact", responses=error_docs(401, 403, 404))
    async def work_order_contact(order_id: str, request: Request) -> JSONResponse:
        """The resident's phone number and comment: the caller alone, each view audited."""
        def work(session: Any) -> dict[str, Any]:
            actor, _token = authenticated(session, request, clock(), change=False)
            return contact_of(session, actor, order_id, clock())

        response = JSONResponse(await in_transaction(state, work))
        response.headers["Cache-Control"] = "no-store"
        return response

    @router.post("/work-orders/{order_id}/{action}", responses=error_docs(400, 401, 403, 404, 409, 413, 415, 422))
    async def act(order_id: str, action: str, request: Request) -> JSONResponse:
        if action not in ACTIONS:
            raise ApiError(404, "not_found", f"no action {action!r}; actions: {', '.join(ACTIONS)}")
        try:
            body: Any = await json_body(request)
        except ApiError as exc:
            body = exc  # said after the session is checked: 401 and 403 come first

        def work(session: Any) -> dict[str, Any]:
            now = clock()
            actor, _token = authenticated(session, request, now, change=True)
            if isinstance(body, ApiError):
                raise body
            order = transition(session, order_id, action, body, actor, now)
            return order_view(order, now, periods(session))

        return JSONResponse(await in_transaction(state, work))

    @router.get("/audit", responses=error_docs(401, 403, 422))
    async def audit_log(request: Request) -> JSONResponse:
        limit = _int(request.query_params.get("limit"), "limit", 200, 1, 1000)
        before = request.query_params.get("before")
        before_id = None if before is None else _int(before, "before", 0, 1, 2**62)

        def work(session: Any) -> dict[str, Any]:
            actor, _token = authenticated(session, request, clock(), change=False)
            if actor.role != DISTRICT_ADMIN:
                raise ApiError(403, "forbidden", "the audit log is the district administrator's (区管理员)")
            return audit.entries(session, limit=limit, before=before_id)

        return JSONResponse(await in_transaction(state, work))

    add_figures_routes(router, state)  # /figures and the monthly export (docs/district.md "Figures")
    app.include_router(router)
