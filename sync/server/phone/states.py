"""What a ticket's phone page shows: the ticket (number, service, station), and its live state from
the ticket's status (the ops), its station's latest queue snapshot and its rating. Nothing personal:
no ID, no name, no phone, no holder code.

A station pushes a snapshot within seconds of every change and at least every 15 s while its link
to the district is up; one older than ``STALE_S`` makes the page say so."""

from __future__ import annotations

import time as _time
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol.ratings import CLOSES_NEXT_MORNING
from sync.server.bulk import in_values
from sync.server.models import CatalogueItem, Rating, StationQueue, Ticket

STALE_S = 60.0
LIVE = ("waiting", "called", "serving")


@dataclass(frozen=True)
class TicketInfo:
    """What does not change on a ticket's page."""

    ticket_id: str
    station_id: str
    business_date: str
    number: str
    service: dict[str, str]  # lang -> name
    station: dict[str, str]


def _names(session: Session, entity: str, item_id: str) -> dict[str, str]:
    item = session.get(CatalogueItem, (entity, item_id))
    data = item.data if item is not None and isinstance(item.data, dict) else {}
    zh = data.get("name") if isinstance(data.get("name"), str) else item_id
    en = data.get("name_en") if isinstance(data.get("name_en"), str) else zh
    return {"zh": zh, "en": en}


def find_ticket(session: Session, key: str) -> TicketInfo | None:
    """The ticket whose public_token hashes to ``key`` (one lookup by a unique index)."""
    row = session.execute(select(Ticket.ticket_id, Ticket.station_id, Ticket.business_date, Ticket.number,
                                 Ticket.service_code).where(Ticket.public_token_sha256 == key)).one_or_none()
    if row is None:
        return None
    return TicketInfo(row.ticket_id, row.station_id, row.business_date, row.number,
                      _names(session, "service", row.service_code), _names(session, "station", row.station_id))


def _parse(stamp: str | None) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(stamp or "")
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def rating_open(business_date: str, now_local: datetime, window_days: int = 0) -> bool:
    """Whether a rating given now would still be in the ticket's window (sync.protocol.ratings)."""
    try:
        last = date.fromisoformat(business_date) + timedelta(days=window_days)
    except ValueError:
        return False
    return now_local.replace(tzinfo=None) < datetime.combine(last + timedelta(days=1), time(CLOSES_NEXT_MORNING))


class Snapshot:
    """A station's latest snapshot as read from the database."""

    def __init__(self, row: Any | None):
        self.received_at = row.received_at if row is not None else None
        self.at = _parse(row.at) if row is not None else None
        self.at_text = row.at if row is not None else None
        self.tickets: dict[str, dict] = (row.data or {}) if row is not None else {}


def read_snapshot(session: Session, station_id: str, known: Snapshot | None = None) -> Snapshot:
    """The station's snapshot; ``known`` again when it has not changed (its data is not read twice)."""
    received = session.scalar(select(StationQueue.received_at).where(StationQueue.station_id == station_id))
    if known is not None and received == known.received_at:
        return known
    row = session.execute(select(StationQueue).where(StationQueue.station_id == station_id)).scalars().one_or_none()
    return Snapshot(row)


def ticket_states(session: Session, station_id: str, ticket_ids: Iterable[str], snapshot: Snapshot,
                  now: float | None = None) -> dict[str, dict[str, Any]]:
    """ticket_id -> its live state, for tickets of ``station_id``."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return {}
    now = _time.time() if now is None else now
    rated = set(session.scalars(select(Rating.ticket_id).where(in_values(session, Rating.ticket_id, ids))))
    rows = session.execute(select(Ticket.ticket_id, Ticket.status, Ticket.updated_at, Ticket.business_date)
                           .where(in_values(session, Ticket.ticket_id, ids), Ticket.station_id == station_id)).all()
    silent = None if snapshot.received_at is None else max(0.0, now - snapshot.received_at)
    states = {}
    for row in rows:
        states[row.ticket_id] = state_of(row, snapshot, row.ticket_id in rated, silent, now)
    return states


def state_of(row: Any, snapshot: Snapshot, rated: bool, silent: float | None, now: float) -> dict[str, Any]:
    """The station is the authority on a ticket in its hall: its snapshot says where the ticket is,
    unless the station's own op on the ticket is newer (a call, done, a no-show: its ops go up
    before its snapshot). A snapshot newer than a finished status that lists the ticket again (a
    missed number called back) wins."""
    updated = _parse(row.updated_at)
    entry = snapshot.tickets.get(row.ticket_id)
    status, shown_at = row.status, updated
    ahead = estimate = counter = None
    live = isinstance(entry, dict) and entry.get("status") in LIVE
    newer = snapshot.at is not None and updated is not None and (
        snapshot.at >= updated if row.status in LIVE else snapshot.at > updated)  # both the station's clock
    # a waiting row is the kiosk's own (its clock may differ from the station's): the station knows better
    if live and (row.status == "waiting" or updated is None or newer):
        status = entry["status"]
        ahead, estimate, counter = entry.get("ahead"), entry.get("estimate_minutes"), entry.get("counter")
    if snapshot.at is not None and (status in LIVE or updated is None or snapshot.at > updated):
        shown_at = snapshot.at  # the station's last report
    tz = (shown_at or updated).tzinfo if (shown_at or updated) else timezone(timedelta(hours=8))
    now_local = datetime.fromtimestamp(now, tz)
    is_open = status == "done" and not rated and rating_open(row.business_date, now_local)
    return {
        "status": status, "ahead": ahead, "estimate_minutes": estimate, "counter": counter,
        "rated": rated, "rating_open": is_open, "rating_closed": status == "done" and not rated and not is_open,
        "stale": silent is None or silent > STALE_S,
        "silent_minutes": None if silent is None else int(silent // 60),
        "updated": shown_at.strftime("%H:%M") if shown_at else "",
    }
