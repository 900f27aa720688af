"""``POST /v1/kiosks/{station_kiosk_id}/queue-snapshot`` (this project's extension): a station's
queue as its phone pages show it, pushed by the station service within seconds of a change and at
least every 15 s while its district link is up (docs/sync-protocol.md, "Phone page").

The answer lists the station's tickets rated on the phone since the day before the snapshot's
business day, so that the station closes their rating at its kiosks and window pads."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import UUID_PATTERN
from sync.server.errors import ApiError, invalid_envelope
from sync.server.models import Kiosk, Rating, StationQueue
from sync.server.payloads import PayloadError, check_date, parse_timestamp

MAX_TICKETS = 5000
STATUSES = ("waiting", "called", "serving")
UUID_RE = re.compile(UUID_PATTERN)
PHONE_SENDER = "phone:"  # ratings given on the phone are stored under kiosk_id "phone:<station_id>"


def phone_sender(station_id: str) -> str:
    return (PHONE_SENDER + station_id)[:64]


def _small_int(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise invalid_envelope(f"{name} must be an integer 0..100000 or null")
    return value


def parse_snapshot(value: Any) -> tuple[str, str, str, dict[str, dict[str, Any]]]:
    """(station_id, at, business_date, {ticket_id: entry}) of a snapshot body, or 422."""
    if not isinstance(value, dict) or set(value) - {"station_id", "at", "business_date", "tickets"}:
        raise invalid_envelope("body must be an object with station_id, at, business_date and tickets")
    station_id, at, day, tickets = (value.get(k) for k in ("station_id", "at", "business_date", "tickets"))
    if not isinstance(station_id, str) or not 1 <= len(station_id) <= 64:
        raise invalid_envelope("station_id must be the station's id")
    try:
        parse_timestamp(at, "at")
        check_date(day, "business_date")
    except PayloadError as exc:
        raise invalid_envelope(str(exc)) from None
    if not isinstance(tickets, list) or len(tickets) > MAX_TICKETS:
        raise invalid_envelope(f"tickets must be a list of at most {MAX_TICKETS}")
    entries: dict[str, dict[str, Any]] = {}
    for item in tickets:
        if not isinstance(item, dict) or set(item) - {"ticket_id", "status", "ahead", "estimate_minutes", "counter"}:
            raise invalid_envelope("each ticket is {ticket_id, status, ahead?, estimate_minutes?, counter?}")
        ticket_id, status, counter = item.get("ticket_id"), item.get("status"), item.get("counter")
        if not isinstance(ticket_id, str) or not UUID_RE.fullmatch(ticket_id):
            raise invalid_envelope("ticket_id must be a canonical lower-case UUID")
        if status not in STATUSES:
            raise invalid_envelope(f"status must be one of {', '.join(STATUSES)}")
        if counter is not None and (not isinstance(counter, str) or not 1 <= len(counter) <= 32 or "\x00" in counter):
            raise invalid_envelope("counter must be the counter's name (1..32 characters) or null")
        entries[ticket_id] = {"status": status, "ahead": _small_int(item.get("ahead"), "ahead"),
                              "estimate_minutes": _small_int(item.get("estimate_minutes"), "estimate_minutes"),
                              "counter": counter}
    return station_id, at, day, entries


def store_snapshot(session: Session, sender: str, value: Any, now: float) -> tuple[dict[str, Any], str]:
    """Keep the station's snapshot (403 unless the sender is that station's service); returns the
    answer and the station."""
    station_id, at, day, entries = parse_snapshot(value)
    kiosk = session.get(Kiosk, sender)
    if kiosk is None or kiosk.role != "station" or kiosk.station_id != station_id:
        raise ApiError(403, "forbidden", "only the station service of this station may send its queue")
    session.merge(StationQueue(station_id=station_id, sent_by=sender, at=at, business_date=day, received_at=now,
                               data=entries))
    since = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    rated = session.scalars(select(Rating.ticket_id).where(Rating.kiosk_id == phone_sender(station_id),
                                                           Rating.rated_at >= since)).all()
    return {"rated_on_phone": sorted(t for t in rated if t)}, station_id
