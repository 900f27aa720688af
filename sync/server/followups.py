"""Follow-up calls for poor ratings (level <= 2 with a contact phone) and their deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.catalogue import config_value
from sync.server.models import Rating

DEFAULT_WORKING_DAYS = 5


def add_working_days(start: datetime, days: int) -> datetime:
    """Move forward `days` Monday-to-Friday days, keeping the time of day and offset."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def working_days(session: Session) -> int:
    value = config_value(session, "followup_working_days", DEFAULT_WORKING_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return DEFAULT_WORKING_DAYS
    return value


def list_followups(session: Session) -> list[dict[str, Any]]:
    days = working_days(session)
    rows = session.scalars(
        select(Rating).where(Rating.level <= 2, Rating.contact_phone.is_not(None))
    ).all()
    items = []
    for rating in rows:
        rated_at = datetime.fromisoformat(rating.rated_at)
        items.append((rated_at, rating.rating_id, {
            "rating_id": rating.rating_id, "rated_at": rating.rated_at,
            "deadline": add_working_days(rated_at, days).isoformat(),
            "level": rating.level, "contact_phone": rating.contact_phone,
            "station_id": rating.station_id, "service_code": rating.service_code,
            "ticket_id": rating.ticket_id, "kiosk_id": rating.kiosk_id,
            "reasons": rating.data.get("reasons", []), "comment": rating.data.get("comment"),
        }))
    items.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in items]
