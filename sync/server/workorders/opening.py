"""Opening work orders: every accepted rating of level <= 2, in the transaction that stores it
(sync.server.ops calls the hook; sync.server.workorders.hooks is the district's)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sync.protocol import POOR_LEVEL
from sync.server.models import CatalogueItem, Event, Kiosk, Op, Ticket, WorkOrder
from sync.server.workorders.states import PENDING

CALLED_EVENT = "ticket_called"


def department(session: Session, service_code: str | None) -> str | None:
    """The responsible unit by default: the service's department in the catalogue, if any."""
    if not service_code:
        return None
    item = session.get(CatalogueItem, ("service", service_code))
    value = item.data.get("department") if item is not None and isinstance(item.data, dict) else None
    return value.strip()[:128] or None if isinstance(value, str) else None


def counter_of_ticket(session: Session, ticket_id: str | None, station_id: str) -> str | None:
    """The counter that last called the ticket, from the station's ``ticket_called`` events of its
    business day (and the next, a day running past midnight)."""
    if not ticket_id:
        return None
    day = session.scalar(select(Ticket.business_date).where(Ticket.ticket_id == ticket_id))
    if not day:
        return None
    try:
        until = (date.fromisoformat(day) + timedelta(days=2)).isoformat()
    except ValueError:
        return None
    rows = session.execute(
        select(Event.at, Op.payload)
        .join(Op, (Op.kiosk_id == Event.kiosk_id) & (Op.seq == Event.seq))
        .join(Kiosk, Kiosk.kiosk_id == Event.kiosk_id)
        .where(Kiosk.station_id == station_id, Event.type == CALLED_EVENT, Event.at >= day, Event.at < until)
    ).all()
    calls = [(at, payload["detail"].get("counter_id")) for at, payload in rows
             if isinstance(payload, dict) and isinstance(payload.get("detail"), dict)
             and payload["detail"].get("ticket_id") == ticket_id]
    calls = [(at, counter) for at, counter in calls if isinstance(counter, str) and counter]
    return max(calls)[1][:64] if calls else None


def open_for_ratings(session: Session, ratings: list[dict[str, Any]], now: float) -> int:
    """One pending (待转派) work order for each poor rating among the rows just stored."""
    rows = []
    for rating in ratings:
        if rating["level"] > POOR_LEVEL:
            continue
        payload = rating.get("data") or {}
        counter = rating.get("counter_id") or counter_of_ticket(session, rating.get("ticket_id"), rating["station_id"])
        rows.append({
            "order_id": str(uuid.uuid4()), "rating_id": rating["rating_id"], "ticket_id": rating.get("ticket_id"),
            "station_id": rating["station_id"], "service_code": rating.get("service_code"), "counter_id": counter,
            "unit": department(session, rating.get("service_code")), "level": rating["level"],
            "reasons": list(payload.get("reasons") or []), "rated_at": rating["rated_at"], "opened_at": now,
            "state": PENDING, "appealed_from": None, "facts": {}, "updated_at": now, "closed_at": None,
            "purged_at": None,
        })
    if rows:
        session.execute(insert(WorkOrder), rows)
    return len(rows)
