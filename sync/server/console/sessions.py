"""Console sessions: a random token in a cookie (HttpOnly, SameSite=Strict, Secure and __Host-
over https), kept in the database only as its sha256; a CSRF token derived from it, sent back in
the X-CSRF-Token header on every state change; the Origin of every state change checked."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from sync.server.errors import ApiError
from sync.server.models import ConsoleSession, StaffUser

COOKIE = "district-console"
SECURE_COOKIE = "__Host-district-console"
CSRF_HEADER = "x-csrf-token"
IDLE_S = 30 * 60  # a session unused for half an hour ends
ABSOLUTE_S = 12 * 3600  # and any session after a working day
TOUCH_EVERY_S = 60


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_of(token: str) -> str:
    """The CSRF token of a session: readable by the page from /me, never from another site."""
    return hashlib.sha256(b"csrf\x00" + token.encode("utf-8")).hexdigest()


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_token(request: Request) -> str | None:
    return request.cookies.get(SECURE_COOKIE if is_https(request) else COOKIE)


def open_session(session: Session, user_name: str, now: float) -> str:
    token = secrets.token_urlsafe(32)
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    session.add(ConsoleSession(token_hash=_digest(token), user_name=user_name, created_at=now, seen_at=now,
                               expires_at=now + ABSOLUTE_S))
    return token


def close_session(session: Session, token: str) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))


def user_of(session: Session, token: str | None, now: float) -> StaffUser | None:
    """The account of a live session (its idle clock restarted), or None."""
    if not token or len(token) > 128:
        return None
    row = session.scalars(select(ConsoleSession).where(ConsoleSession.token_hash == _digest(token))).one_or_none()
    if row is None or row.expires_at < now or row.seen_at + IDLE_S < now:
        return None
    if now - row.seen_at > TOUCH_EVERY_S:
        session.execute(update(ConsoleSession).where(ConsoleSession.token_hash == row.token_hash).values(seen_at=now))
    return session.get(StaffUser, row.user_name)


def set_cookie(response: Response, request: Request, token: str) -> None:
    secure = is_https(request)
    response.set_cookie(SECURE_COOKIE if secure else COOKIE, token, max_age=ABSOLUTE_S, path="/", secure=secure,
                        httponly=True, samesite="strict")


def clear_cookie(response: Response, request: Request) -> None:
    secure = is_https(request)
    response.delete_cookie(SECURE_COOKIE if secure else COOKIE, path="/", secure=secure, httponly=True,
                           samesite="strict")


def check_origin(request: Request) -> None:
    """A state change comes from the console's own pages: its Origin (when the browser sends one)
    is this server's, and a browser that says the request is cross-site is refused."""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if origin is not None and origin != own:
        raise ApiError(403, "bad_origin", f"requests from {origin[:80]!r} are not accepted here")
    if origin is None and request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise ApiError(403, "bad_origin", "cross-site requests are not accepted here")


def check_csrf(request: Request, token: str) -> None:
    given = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), csrf_of(token).encode("ascii")):
        raise ApiError(403, "csrf_failed", "the X-CSRF-Token header is missing or wrong (GET /console/api/me gives it)")
