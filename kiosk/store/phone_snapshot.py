"""What the station tells the district for its tickets' phone pages (docs/phone-page.md): each
waiting ticket's place in its service's queue and its estimated wait, and the counter of each called
ticket; and, back from the district, the tickets rated on the phone, whose rating closes here.

Nothing personal goes up: ticket ids, statuses, counts, minutes and the counters' display names."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, datetime

from kiosk.domain import calling
from kiosk.store import events, queue_statistics, queue_views
from kiosk.store.calls import CALLED_EVENT
from kiosk.store.ticket_records import AT_COUNTER, SELECT_TICKET, TicketRow, status_values
from kiosk.store.transaction import write_transaction


def snapshot(db: sqlite3.Connection, station_id: str, day: date, now: datetime) -> dict:
    """The body of ``POST /v1/kiosks/{station}/queue-snapshot`` for business day ``day``."""
    tickets = []
    waiting = queue_views.waiting(db, day, now)
    if waiting:
        first = queue_statistics.first_calls(db, day)
        overall = queue_statistics.service_seconds(db, day, first=first)
        seconds: dict[str, list[float]] = {}
        counters: dict[str, int] = {}
        ahead: dict[str, int] = defaultdict(int)
        for item in waiting:
            code = item.ticket.service_code
            if code not in seconds:
                seconds[code] = queue_statistics.service_seconds(db, day, code, first=first) or overall
                counters[code] = queue_statistics.open_counters(db, code)
            n = ahead[code]
            ahead[code] += 1
            estimate = calling.estimate_minutes(n, seconds[code], counters[code]) if seconds[code] else None
            tickets.append({"ticket_id": item.ticket.ticket_id, "status": "waiting", "ahead": n,
                            "estimate_minutes": estimate})
    held = status_values(AT_COUNTER)
    rows = db.execute(SELECT_TICKET + f" WHERE business_date = ? AND status IN ({', '.join('?' * len(held))})",
                      (day.isoformat(), *held))
    at_counter = [TicketRow.from_row(row) for row in rows]
    if at_counter:
        names: dict[str, str] = {}
        for call in events.of_day(db, CALLED_EVENT, day):  # newest first: the latest call names the counter
            names.setdefault(call.get("ticket_id"), str(call.get("counter_name") or call.get("counter_id") or "")[:32])
        for ticket in at_counter:
            tickets.append({"ticket_id": ticket.ticket_id, "status": ticket.status.value,
                            "counter": names.get(ticket.ticket_id) or None})
    return {"station_id": station_id, "at": now.isoformat(timespec="seconds"), "business_date": day.isoformat(),
            "tickets": tickets}


def mark_rated_on_phone(db: sqlite3.Connection, ticket_ids: list[str], now: datetime) -> int:
    """Close the rating of these tickets (rated on the phone, the district says); returns how many were new."""
    ids = [t for t in ticket_ids if isinstance(t, str) and len(t) <= 36]
    marks = ", ".join("?" * len(ids))
    if not ids or len(ids) == db.execute(f"SELECT count(*) FROM rated_on_phone WHERE ticket_id IN ({marks})",
                                         ids).fetchone()[0]:
        return 0  # nothing new: no write transaction
    with write_transaction(db):
        known = {t for (t,) in db.execute(f"SELECT ticket_id FROM tickets WHERE ticket_id IN ({marks})", ids)}
        stamp = now.isoformat(timespec="seconds")
        return sum(db.execute("INSERT OR IGNORE INTO rated_on_phone (ticket_id, noted_at) VALUES (?, ?)",
                              (t, stamp)).rowcount for t in sorted(known))
