"""What the counters, the hall display and the kiosk look at: the waiting list, the latest calls,
帮办代办, and the tickets just served (to invite their rating)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.domain import calling
from kiosk.domain.tickets import TicketStatus
from kiosk.store import events
from kiosk.store import station_settings as settings
from kiosk.store.calls import ASSISTANCE_DONE, ASSISTANCE_RECEIVED, ASSISTANCE_REQUEST, CALLED_EVENT
from kiosk.store.ticket_records import NOT_FINISHED, QUEUE_ORDER, SELECT_TICKET, TicketRow, status_values

WAITING_KEYS = ("ticket_id", "number", "service_code", "issued_at", "priority", "assistance", "status")
ASSISTANCE_KEYS = ("ticket_id", "number", "service_code", "issued_at", "status", "kiosk_id")
# A request whose ticket has left the hall served (or cancelled) needs no one any more.
SETTLED = (TicketStatus.DONE.value, TicketStatus.CANCELLED.value)


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


def ticket_statuses(db: sqlite3.Connection, ticket_ids) -> dict[str, str]:
    """ticket_id -> its status now, for the ids that are tickets of this store."""
    ids = sorted({t for t in ticket_ids if t})
    if not ids:
        return {}
    return dict(db.execute(f"SELECT ticket_id, status FROM tickets WHERE ticket_id IN ({', '.join('?' * len(ids))})",
                           ids))


def last_calls(db: sqlite3.Connection, day: date, limit: int = 8) -> list[dict]:
    """The latest calls of the day for the hall display, newest first, each with its ticket's
    ``status`` now (``no_show``: the resident did not come)."""
    calls = events.of_day(db, CALLED_EVENT, day, limit)
    statuses = ticket_statuses(db, (c.get("ticket_id") for c in calls))
    return [c | {"status": statuses.get(c.get("ticket_id"))} for c in calls]


def assistance(db: sqlite3.Connection, day: date) -> dict:
    """帮办代办: today's open requests and the unfinished tickets that asked for help.

    A request (the event ``assistance_request``, from this machine's kiosk or a kiosk of the
    station: ``kiosk_id``, None for this machine's own) is open until a counter closes it (完成,
    ``assistance_done``) or its ticket is served; ``received`` says which counter took it (接待).
    A ticket is listed on its own only when no request names it."""
    since = day.isoformat()
    steps: dict[str, dict] = {}
    for kind, at, detail in db.execute("SELECT type, at, detail FROM events WHERE type IN (?, ?) AND at >= ? "
                                       "ORDER BY rowid", (ASSISTANCE_RECEIVED, ASSISTANCE_DONE, since)):
        data = json.loads(detail)
        steps.setdefault(str(data.get("request_event_id")), {})[kind] = {
            "counter_id": data.get("counter_id"), "counter_name": data.get("counter_name"), "at": at}
    found = [(e, a, json.loads(d), k) for e, a, d, k in db.execute(
        "SELECT event_id, at, detail, kiosk_id FROM events WHERE type = ? AND at >= ? ORDER BY at DESC, rowid DESC",
        (ASSISTANCE_REQUEST, since))]
    statuses = ticket_statuses(db, (d.get("ticket_id") for _e, _a, d, _k in found))
    requests = []
    for event_id, at, detail, kiosk_id in found:
        step = steps.get(event_id, {})
        status = statuses.get(detail.get("ticket_id"))
        if ASSISTANCE_DONE in step or status in SETTLED:
            continue
        requests.append({"event_id": event_id, "at": at, "kiosk_id": kiosk_id, "detail": detail,
                         "reasons": list(detail.get("reasons") or []), "ticket_id": detail.get("ticket_id"),
                         "number": detail.get("number"), "ticket_status": status,
                         "received": step.get(ASSISTANCE_RECEIVED)})
    named = {d.get("ticket_id") for _e, _a, d, _k in found}
    statuses_open = status_values(NOT_FINISHED)
    rows = db.execute(SELECT_TICKET + f" WHERE business_date = ? AND assistance = 1 AND status IN "
                      f"({', '.join('?' * len(statuses_open))}) ORDER BY issued_at", (since, *statuses_open))
    tickets = [ticket.as_dict(ASSISTANCE_KEYS) for ticket in map(TicketRow.from_row, rows)
               if ticket.ticket_id not in named]
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


def activity_mark(db: sqlite3.Connection) -> str:
    """A short mark that changes whenever something a console or a rating pad shows changes besides
    the calls: a counter's state (its ticket, pause, last done ticket), an event (帮办代办 and its
    steps), a rating. The live stream sends a new state when it changes."""
    states = db.execute("SELECT key, value FROM settings WHERE key LIKE 'counter_state:%' ORDER BY key").fetchall()
    last_event = db.execute("SELECT max(rowid) FROM events").fetchone()[0]
    last_rating = db.execute("SELECT max(rowid) FROM ratings").fetchone()[0]
    text = json.dumps([states, last_event, last_rating])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
