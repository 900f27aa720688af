"""Payload checks of schema_version 1 (ticket, rating, event): a check raises PayloadError naming
the field. The shapes and allowed values are sync.protocol's (docs/sync-protocol.md, "Payloads")."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable

from sync.protocol import (ENTITY_ID_FIELD, EVENT, ID_MASKED_PATTERN, MAX_TEXT, POOR_LEVEL, PRIORITIES, RATING,
                           RATING_CHANNELS, RATING_LEVELS, TICKET, TICKET_STATUSES, UUID_PATTERN)
from sync.protocol.ratings import HOLDER_CODE_RE, PUBLIC_TOKEN_RE, check_holder

__all__ = ["CHECKS", "ENTITY_ID_FIELD", "PayloadError", "check_date", "contains_nul", "is_canonical_uuid",
           "parse_timestamp"]

UUID_RE = re.compile(UUID_PATTERN)
ID_MASKED_RE = re.compile(ID_MASKED_PATTERN)
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ID_DIGEST_RE = re.compile(r"[0-9a-f]{64}")


class PayloadError(ValueError):
    pass


def contains_nul(value: Any) -> bool:
    """NUL cannot be stored in a PostgreSQL text column; such a record is refused, not stored."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


def is_canonical_uuid(value: Any) -> bool:
    return isinstance(value, str) and UUID_RE.fullmatch(value) is not None


@lru_cache(maxsize=4096)
def _timestamp(value: str) -> datetime | None:
    """The parsed time, None when it is not one (remembered: an op's created_at, issued_at and
    updated_at are mostly the same instant, and so are many ops of a batch)."""
    if len(value) < 19 or value[10] not in "Tt ":
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_timestamp(value: Any, name: str) -> datetime:
    """RFC 3339 / ISO 8601 with an offset."""
    if not isinstance(value, str):
        parsed = None
    elif len(value) <= 40:  # a time with microseconds and offset has 32: only short texts are remembered
        parsed = _timestamp(value)
    else:
        parsed = _timestamp.__wrapped__(value)
    if parsed is None:
        raise PayloadError(f"{name} must be an RFC 3339 time with offset")
    if parsed.tzinfo is None:
        raise PayloadError(f"{name} must carry a UTC offset")
    return parsed


@lru_cache(maxsize=1024)
def _date_fault(value: str) -> str | None:
    """What is wrong with a YYYY-MM-DD text, or None (remembered: a batch's ops share a few days)."""
    if not DATE_RE.fullmatch(value):
        return "must be YYYY-MM-DD"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "is not a calendar date"
    return None


def check_date(value: Any, name: str) -> None:
    fault = _date_fault(value) if isinstance(value, str) and len(value) == 10 else "must be YYYY-MM-DD"
    if fault:
        raise PayloadError(f"{name} {fault}")


def _text(payload: dict[str, Any], name: str, *, nullable: bool = False, max_len: int = MAX_TEXT) -> None:
    if name not in payload:
        raise PayloadError(f"{name} is required")
    value = payload[name]
    if value is None and nullable:
        return
    if not isinstance(value, str) or not value or len(value) > max_len:
        kind = "a string or null" if nullable else "a non-empty string"
        raise PayloadError(f"{name} must be {kind} of at most {max_len} characters")


def _one_of(payload: dict[str, Any], name: str, allowed: frozenset[str]) -> None:
    value = payload.get(name)
    if not isinstance(value, str) or value not in allowed:
        raise PayloadError(f"{name} must be one of {', '.join(sorted(allowed))}")


def check_ticket(payload: dict[str, Any], _reasons: frozenset[str]) -> None:
    for name in ("station_id", "service_code", "number"):
        value = payload.get(name)
        if not (isinstance(value, str) and 0 < len(value) <= MAX_TEXT):  # the common case in one test
            _text(payload, name)
    parse_timestamp(payload.get("issued_at"), "issued_at")
    parse_timestamp(payload.get("updated_at"), "updated_at")
    check_date(payload.get("business_date"), "business_date")
    _one_of(payload, "priority", PRIORITIES)
    _one_of(payload, "status", TICKET_STATUSES)
    if not isinstance(payload.get("assistance"), bool):
        raise PayloadError("assistance must be true or false")
    _text(payload, "bundle_code", nullable=True)
    digest = payload.get("id_digest", "missing")
    if digest is not None and (not isinstance(digest, str) or not ID_DIGEST_RE.fullmatch(digest)):
        raise PayloadError("id_digest must be 64 lowercase hex characters (HMAC-SHA256) or null")
    if "id_masked" not in payload:
        raise PayloadError("id_masked is required (null when no ID card was read)")
    masked = payload["id_masked"]
    if masked is not None and (not isinstance(masked, str) or not ID_MASKED_RE.fullmatch(masked)):
        raise PayloadError("id_masked must keep only the first 6 and last 4 characters, the rest '*'")
    code = payload.get("holder_code")
    if code is not None and (not isinstance(code, str) or not HOLDER_CODE_RE.fullmatch(code)):
        raise PayloadError("holder_code must be 6 digits")
    token = payload.get("public_token")
    if token is not None and (not isinstance(token, str) or not PUBLIC_TOKEN_RE.fullmatch(token)):
        raise PayloadError("public_token must be 32 characters of A-Z a-z 0-9 _ - (24 random bytes, base64url)")
    if "kiosk_id" in payload:
        _text(payload, "kiosk_id", max_len=64)


def check_rating(payload: dict[str, Any], reasons: frozenset[str]) -> None:
    _text(payload, "station_id")
    _text(payload, "ticket_id", nullable=True)
    _text(payload, "service_code", nullable=True)
    level = payload.get("level")
    if isinstance(level, bool) or not isinstance(level, int) or level not in RATING_LEVELS:
        raise PayloadError("level must be 1..5")
    given = payload.get("reasons")
    if not isinstance(given, list) or not all(isinstance(code, str) for code in given):
        raise PayloadError("reasons must be a list of reason codes")
    if level <= POOR_LEVEL and not given:
        raise PayloadError("reasons must not be empty when level <= 2")
    unknown = sorted(set(given) - reasons)
    if unknown:
        raise PayloadError(f"unknown reason code(s): {', '.join(unknown)}")
    _text(payload, "comment", nullable=True, max_len=MAX_TEXT)
    _text(payload, "contact_phone", nullable=True, max_len=32)
    if payload["contact_phone"] is not None and level > POOR_LEVEL:
        raise PayloadError("contact_phone is asked only for level <= 2")
    if payload.get("channel") not in RATING_CHANNELS:
        raise PayloadError(f"channel must be one of {', '.join(RATING_CHANNELS)}")
    parse_timestamp(payload.get("rated_at"), "rated_at")
    if "holder" in payload:
        problem = check_holder(payload["holder"])
        if problem:
            raise PayloadError(problem)
    if "counter_id" in payload:
        _text(payload, "counter_id", nullable=True, max_len=64)


def check_event(payload: dict[str, Any], _reasons: frozenset[str]) -> None:
    _text(payload, "type", max_len=64)
    parse_timestamp(payload.get("at"), "at")
    if not isinstance(payload.get("detail"), dict):
        raise PayloadError("detail must be an object")


CHECKS: dict[str, Callable[[dict[str, Any], frozenset[str]], None]] = {
    TICKET: check_ticket,
    RATING: check_rating,
    EVENT: check_event,
}
