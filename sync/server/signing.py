"""HMAC-SHA256 request signing (verification side) and nonce replay protection.

The string to sign and its HMAC are sync.protocol's (docs/sync-protocol.md, "Signing").
"""

from __future__ import annotations

import base64
import hmac
import re
from typing import Mapping

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from sync.protocol import NONCE_PATTERN, SIGNED_HEADERS as PROTOCOL_SIGNED_HEADERS, signature, string_to_sign
from sync.server.db import is_postgres, transaction
from sync.server.errors import ApiError, unauthorized
from sync.server.models import Kiosk, Nonce
from sync.server.secretbox import SecretKeyError, unseal_for
from sync.server.settings import ServerSettings

NONCE_RE = re.compile(NONCE_PATTERN)
TIMESTAMP_RE = re.compile(r"-?[0-9]{1,15}")
SIGNATURE_RE = re.compile(r"[0-9a-f]{64}")
SIGNED_HEADERS = tuple(name.lower() for name in PROTOCOL_SIGNED_HEADERS)  # as ASGI hands them over


def authenticate(
    factory: sessionmaker[Session],
    settings: ServerSettings,
    *,
    readers: sessionmaker[Session] | None = None,
    method: str,
    path_with_query: str,
    headers: Mapping[str, str],
    body_sha256_hex: str,
) -> str:
    """Return the authenticated kiosk id, or raise a 401 ApiError. Records the nonce last."""
    missing = [name for name in SIGNED_HEADERS if not headers.get(name)]
    if missing:
        raise unauthorized(f"missing header(s): {', '.join(missing)}")
    kiosk_id = headers["x-kiosk-id"]
    timestamp = headers["x-timestamp"].strip()
    nonce = headers["x-nonce"].strip()
    given = headers["x-signature"].strip()
    now = settings.clock()
    secret_b64 = check_signed_headers(readers or factory, settings, headers)
    expected = signature(
        base64.b64decode(secret_b64),
        string_to_sign(method, path_with_query, timestamp, nonce, body_sha256_hex),
    )
    if not hmac.compare_digest(expected, given):
        raise unauthorized("bad signature")
    _record_nonce(factory, settings, kiosk_id, nonce, now)
    return kiosk_id


def check_signed_headers(readers: sessionmaker[Session], settings: ServerSettings, headers: Mapping[str, str]) -> str:
    """Everything of the signature that does not need the body: the headers' presence and form,
    the timestamp window and a known kiosk. Returns the kiosk's secret (base64), or raises 401.
    Also what a body too large to be read is judged by (401 before 413)."""
    missing = [name for name in SIGNED_HEADERS if not headers.get(name)]
    if missing:
        raise unauthorized(f"missing header(s): {', '.join(missing)}")
    kiosk_id = headers["x-kiosk-id"]
    timestamp = headers["x-timestamp"].strip()
    if not TIMESTAMP_RE.fullmatch(timestamp):
        raise unauthorized("X-Timestamp must be integer Unix seconds")
    if abs(settings.clock() - int(timestamp)) > settings.timestamp_window_s:
        raise unauthorized(
            f"X-Timestamp is more than {settings.timestamp_window_s} s from server time; "
            "correct it with the Date header"
        )
    if not NONCE_RE.fullmatch(headers["x-nonce"].strip()):
        raise unauthorized("X-Nonce must be 16 to 64 characters of [A-Za-z0-9_-]")
    if not SIGNATURE_RE.fullmatch(headers["x-signature"].strip()):
        raise unauthorized("X-Signature must be 64 lowercase hex digits")
    with readers() as session:
        stored = session.scalar(select(Kiosk.secret).where(Kiosk.kiosk_id == kiosk_id))
        if stored is None:
            raise unauthorized("unknown kiosk")
        try:
            return unseal_for(session, stored, kiosk_id)
        except SecretKeyError as exc:
            raise ApiError(503, "secret_key_unavailable", str(exc), {"Retry-After": "60"}) from None


def _record_nonce(factory: sessionmaker[Session], settings: ServerSettings, kiosk_id: str, nonce: str, now: float) -> None:
    """Forget the kiosk's expired nonces, then record this one; a nonce already there is a replay."""
    with transaction(factory) as session:
        session.execute(delete(Nonce).where(Nonce.kiosk_id == kiosk_id, Nonce.seen_at < now - settings.nonce_ttl_s))
        insert = postgresql.insert if is_postgres(session) else sqlite.insert
        recorded = session.execute(
            insert(Nonce).values(kiosk_id=kiosk_id, nonce=nonce, seen_at=now).on_conflict_do_nothing()
            .returning(Nonce.nonce)
        ).first()
    if recorded is None:
        raise unauthorized("nonce already used")
