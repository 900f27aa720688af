"""What the counters, the hall display and the kiosk look at: the waiting list, the latest calls,
帮办代办, and the tickets just served (to invite their rating)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.domain import calling
from kiosk.domain.tickets import TicketStatus
from kiosk.store import events
from kiosk.store import station_settings as settings
from kiosk.store.calls import CALLED_EVENT
from kiosk.store.ticket_records import NOT_FINISHED, QUEUE_ORDER, SELECT_TICKET, TicketRow, status_values

WAITING_KEYS = ("ticket_id", "number", "service_code", "issued_at", "priority", "assistance", "status")
ASSISTANCE_KEYS = ("ticket_id", "number", "service_code", "issued_at", "status")


@dataclass(frozen=True)
class WaitingTicket:
    """A waiting ticket with how long it has waited and where it was sent, if anywhere."""

    ticket: TicketRow
    wait_minutes: int
    level: str  # "ok" | "amber" | "red" (kiosk.domain.calling.wait_level)
    priority_call: bool
    transferred_to: str | None

    def as_dict(self) -> dict:
        return self.ticket.as_dict(WAITING_KEYS) | {
            "wait_minutes": self.wait_minutes, "level": self.level, "priority_call": self.priority_call,
            "transferred_to": self.transferred_to}


def waiting(db: sqlite3.Connection, day: date, now: datetime) -> list[WaitingTicket]:
    """Today's waiting tickets in arrival order, with minutes waited and the one-hour level."""
    transfers = settings.transfers(db)
    rows = db.execute(SELECT_TICKET + " WHERE business_date = ? AND status = ?" + QUEUE_ORDER,
                      (day.isoformat(), TicketStatus.WAITING.value))
    result = []
    for ticket in map(TicketRow.from_row, rows):
        minutes = max(0.0, (now - ticket.issued()).total_seconds() / 60)
        result.append(WaitingTicket(ticket, int(minutes), calling.wait_level(minutes),
                                    calling.is_priority(ticket.priority.value), transfers.get(ticket.ticket_id)))
    return result


def last_calls(db: sqlite3.Connection, day: date, limit: int = 8) -> list[dict]:
    """The latest calls of the day for the hall display, newest first."""
    return events.of_day(db, CALLED_EVENT, day, limit)


def assistance(db: sqlite3.Connection, day: date) -> dict:
    """帮办代办: today's unfinished tickets that asked for assistance, and today's assistance requests."""
    statuses = status_values(NOT_FINISHED)
    rows = db.execute(SELECT_TICKET + f" WHERE business_date = ? AND assistance = 1 AND status IN "
                      f"({', '.join('?' * len(statuses))}) ORDER BY issued_at", (day.isoformat(), *statuses))
    tickets = [ticket.as_dict(ASSISTANCE_KEYS) for ticket in map(TicketRow.from_row, rows)]
    requests = [{"event_id": e, "at": a, "detail": json.loads(d)} for e, a, d in db.execute(
        "SELECT event_id, at, detail FROM events WHERE type = 'assistance_request' AND at >= ? ORDER BY at DESC",
        (day.isoformat(),))]
    return {"tickets": tickets, "requests": requests}


def recently_served(db: sqlite3.Connection, since: str | datetime) -> list[dict]:
    """Tickets marked done at or after ``since`` (ISO time), oldest first: the kiosk invites their
    rating. Times are to the second, so callers pass the last ``served_at`` seen and skip ticket ids
    they already handled."""
    stamp = since if isinstance(since, str) else since.isoformat(timespec="seconds")
    rows = db.execute("SELECT ticket_id, number, service_code, business_date, updated_at FROM tickets "
                      "WHERE status = ? AND updated_at >= ? ORDER BY updated_at, ticket_id",
                      (TicketStatus.DONE.value, stamp))
    return [{"ticket_id": t, "number": n, "service_code": s, "business_date": d, "served_at": u}
            for t, n, s, d, u in rows]
