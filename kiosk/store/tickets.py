"""Ticket rows: issuing a number and its outbox op in one transaction, and listing a day."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from kiosk.domain.ids import holder_code, public_token, uuid7
from kiosk.domain.numbering import NumberingScheme
from kiosk.domain.tickets import Priority, Ticket, TicketStatus
from kiosk.store.outbox import enqueue
from kiosk.store.ticket_records import QUEUE_ORDER, SELECT_TICKET, TicketRow
from kiosk.store.transaction import write_transaction

QUEUE_STATE = (
    "SELECT max(CASE WHEN seq BETWEEN ? AND ? THEN seq END), "
    "       count(CASE WHEN status = 'waiting' THEN 1 END) "
    "FROM tickets WHERE business_date = ? AND prefix = ? AND station_id = ?")
INSERT_TICKET = (
    "INSERT INTO tickets (ticket_id, station_id, service_code, prefix, seq, number, business_date, "
    "issued_at, updated_at, priority, assistance, bundle_code, id_digest, id_masked, status, holder_code, "
    "public_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
PAGE_URL_SETTING = "config:ticket_url"  # the district's config item ticket_url, as the kiosk keeps it


def issue(db: sqlite3.Connection, **fields) -> Ticket:
    """Take the next number of this kiosk's block and commit the ticket with its outbox op."""
    return issue_with_op_seq(db, **fields)[0]


def issue_with_op_seq(db: sqlite3.Connection, *, scheme: NumberingScheme, station_id: str, service_code: str,
                      prefix: str, now: datetime, day: date, priority: Priority = Priority.NORMAL,
                      assistance: bool = False, bundle_code: str | None = None, id_digest: str | None = None,
                      id_masked: str | None = None) -> tuple[Ticket, int]:
    """`issue`, returning the ticket and its outbox op's seq (the store writes it to kiosk.issued.log).

    The write transaction takes the lock before reading the last number, so two processes on one
    store never read the same one. Returns only after the commit (synchronous=FULL).
    """
    queue = prefix + (scheme.letter if scheme.mode == "letter" else "")
    day_text = day.isoformat()
    stamp = now.isoformat(timespec="seconds")
    with write_transaction(db):
        last, ahead = db.execute(QUEUE_STATE, (scheme.first, scheme.last, day_text, queue, station_id)).fetchone()
        seq = scheme.next_seq(queue, last)
        ticket = Ticket(ticket_id=uuid7(), station_id=station_id, service_code=service_code,
                        number=scheme.format(prefix, seq), seq=seq, issued_at=now, business_date=day,
                        priority=priority, assistance=assistance, bundle_code=bundle_code,
                        id_digest=id_digest, id_masked=id_masked, waiting_ahead=ahead,
                        holder_code=holder_code(), public_token=public_token(), page_url=district_page_url(db))
        db.execute(INSERT_TICKET, (ticket.ticket_id, station_id, service_code, queue, seq, ticket.number,
                                   day_text, stamp, stamp, priority.value, assistance, bundle_code,
                                   id_digest, id_masked, TicketStatus.WAITING.value, ticket.holder_code,
                                   ticket.public_token))
        op_seq = enqueue(db, entity="ticket", entity_id=ticket.ticket_id, payload=ticket.sync_payload(),
                         created_at=stamp)
    return ticket, op_seq


def district_page_url(db: sqlite3.Connection) -> str | None:
    """The district's URL template of the phone pages (config item ``ticket_url``: an http(s) URL
    with ``{token}``), or None when it sent none or an unusable one."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", (PAGE_URL_SETTING,)).fetchone()
    try:
        value = json.loads(row[0]).get("value") if row else None
    except (ValueError, AttributeError):
        return None
    if isinstance(value, str) and value.startswith(("https://", "http://")) and "{token}" in value and len(value) < 300:
        return value
    return None


def list_day(db: sqlite3.Connection, day: date) -> list[TicketRow]:
    """The tickets of one business day, in the order they were issued."""
    rows = db.execute(SELECT_TICKET + " WHERE business_date = ?" + QUEUE_ORDER, (day.isoformat(),))
    return [TicketRow.from_row(row) for row in rows]
