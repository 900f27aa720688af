"""Ticket rows: issuing a number and its outbox op in one transaction, and listing a day."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from kiosk.domain.ids import uuid7
from kiosk.domain.numbering import NumberingScheme
from kiosk.domain.tickets import Priority, Ticket, TicketStatus
from kiosk.store.outbox import enqueue

QUEUE_STATE = (
    "SELECT max(CASE WHEN seq BETWEEN ? AND ? THEN seq END), "
    "       count(CASE WHEN status = 'waiting' THEN 1 END) "
    "FROM tickets WHERE business_date = ? AND prefix = ? AND station_id = ?")
INSERT_TICKET = (
    "INSERT INTO tickets (ticket_id, station_id, service_code, prefix, seq, number, business_date, "
    "issued_at, updated_at, priority, assistance, bundle_code, id_digest, id_masked, status) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def issue(db: sqlite3.Connection, *, scheme: NumberingScheme, station_id: str, service_code: str,
          prefix: str, now: datetime, day: date, priority: Priority = Priority.NORMAL,
          assistance: bool = False, bundle_code: str | None = None, id_digest: str | None = None,
          id_masked: str | None = None) -> Ticket:
    """Take the next number of this kiosk's block and commit the ticket with its outbox op.

    BEGIN IMMEDIATE takes the write lock before reading the last number, so two processes on one
    store never read the same one. Returns only after the commit (synchronous=FULL).
    """
    queue = prefix + (scheme.letter if scheme.mode == "letter" else "")
    day_text = day.isoformat()
    stamp = now.isoformat(timespec="seconds")
    db.execute("BEGIN IMMEDIATE")
    try:
        last, ahead = db.execute(QUEUE_STATE, (scheme.first, scheme.last, day_text, queue, station_id)).fetchone()
        seq = scheme.next_seq(queue, last)
        ticket = Ticket(ticket_id=uuid7(), station_id=station_id, service_code=service_code,
                        number=scheme.format(prefix, seq), seq=seq, issued_at=now, business_date=day,
                        priority=priority, assistance=assistance, bundle_code=bundle_code,
                        id_digest=id_digest, id_masked=id_masked, waiting_ahead=ahead)
        db.execute(INSERT_TICKET, (ticket.ticket_id, station_id, service_code, queue, seq, ticket.number,
                                   day_text, stamp, stamp, priority.value, assistance, bundle_code,
                                   id_digest, id_masked, TicketStatus.WAITING.value))
        enqueue(db, entity="ticket", entity_id=ticket.ticket_id, payload=ticket.sync_payload(), created_at=stamp)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return ticket


def list_day(db: sqlite3.Connection, day: date) -> list[dict]:
    """The tickets of one business day, in the order they were issued."""
    rows = db.execute(
        "SELECT ticket_id, number, service_code, business_date, issued_at, status, priority, assistance "
        "FROM tickets WHERE business_date = ? ORDER BY issued_at, prefix, seq", (day.isoformat(),))
    keys = ("ticket_id", "number", "service_code", "business_date", "issued_at", "status", "priority", "assistance")
    return [dict(zip(keys, row), assistance=bool(row[7])) for row in rows]


def waiting_counts(db: sqlite3.Connection, station_id: str, day: date) -> dict[str, int]:
    """Waiting tickets per service code today."""
    rows = db.execute("SELECT service_code, count(*) FROM tickets WHERE station_id = ? AND business_date = ? "
                      "AND status = 'waiting' GROUP BY service_code", (station_id, day.isoformat()))
    return dict(rows.fetchall())
