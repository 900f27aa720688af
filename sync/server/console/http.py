"""What every console route shares: the strict JSON body, the session behind the cookie, the
Origin and CSRF checks of state changes, and the errors of the protocol's shape."""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from sync.server.body import check_content_encoding, check_content_type, decode_body, parse_json, read_raw_body
from sync.server.console import sessions
from sync.server.console.accounts import actor_of
from sync.server.db import transaction
from sync.server.errors import ApiError
from sync.server.workorders.access import Actor, Forbidden
from sync.server.workorders.states import IllegalTransition
from sync.server.workorders.store import InvalidBody, NotFound

MAX_CONSOLE_BODY = 64 * 1024


async def json_body(request: Request) -> Any:
    """415, 413, 400 in the protocol's order; an empty body is an empty object."""
    raw = await read_raw_body(request, MAX_CONSOLE_BODY)
    if raw.length == 0:
        return {}
    check_content_type(request.headers.get("content-type"))
    if check_content_encoding(request.headers.get("content-encoding")):
        raise ApiError(415, "unsupported_media_type", "the console sends plain JSON")
    return parse_json(decode_body(raw, False, MAX_CONSOLE_BODY))


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def authenticated(session: Session, request: Request, now: float, *, change: bool) -> tuple[Actor, str]:
    """The actor behind the session cookie (401 without one); for a state change, the Origin and
    the CSRF token too (403)."""
    if change:
        sessions.check_origin(request)
    token = sessions.cookie_token(request)
    user = sessions.user_of(session, token, now)
    if user is None or token is None:
        raise ApiError(401, "unauthorized", "not logged in, or the session has ended")
    if change:
        sessions.check_csrf(request, token)
    return actor_of(user, client_of(request)), token


def translated(work: Callable[[], Any]) -> Any:
    """Run ``work``, turning the work-order errors into the protocol's error bodies."""
    try:
        return work()
    except Forbidden as exc:
        raise ApiError(403, "forbidden", str(exc)) from None
    except NotFound as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    except InvalidBody as exc:
        raise ApiError(422, "invalid_request", str(exc)) from None
    except IllegalTransition as exc:
        raise ApiError(409, "illegal_transition", str(exc)) from None


async def in_transaction(state: Any, work: Callable[[Session], Any]) -> Any:
    """``work(session)`` in one transaction, in a worker thread."""
    def run() -> Any:
        with transaction(state.sessions) as session:
            return translated(lambda: work(session))

    return await run_in_threadpool(run)
