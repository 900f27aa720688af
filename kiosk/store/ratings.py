"""Rating rows: a 好差评 rating and its outbox op in one transaction, one rating per ticket."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import Iterable

from kiosk.domain.ids import uuid7
from kiosk.domain.ratings import AlreadyRated, Rating, normalize_phone, validate
from kiosk.store.outbox import enqueue
from kiosk.store.transaction import write_transaction

__all__ = ["AlreadyRated", "rate", "find_ticket", "tickets_of_resident", "rating_of_ticket"]

INSERT_RATING = (
    "INSERT INTO ratings (rating_id, ticket_id, station_id, service_code, level, reasons, comment, "
    "contact_phone, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def rate(db: sqlite3.Connection, *, station_id: str, level: int, now: datetime, ticket_id: str | None = None,
         service_code: str | None = None, reasons: Iterable[str] = (), comment: str | None = None,
         contact_phone: str | None = None, known_reasons: Iterable[str] | None = None,
         rating_id: str | None = None) -> Rating:
    """Validate, then commit the rating with its outbox op (entity "rating").

    Raises RatingInvalid before touching the database, and AlreadyRated (nothing written) when the
    ticket has a rating already. The write transaction takes the lock before the check, so two
    processes cannot both rate one ticket.
    """
    reasons = tuple(reasons)
    contact_phone = normalize_phone(contact_phone)
    comment = (comment.strip() or None) if comment is not None else None
    validate(level, reasons, comment, contact_phone, known_reasons)
    rating = Rating(rating_id=rating_id or uuid7(), station_id=station_id, ticket_id=ticket_id,
                    service_code=service_code, level=int(level), reasons=reasons, comment=comment,
                    contact_phone=contact_phone, rated_at=now)
    stamp = now.isoformat(timespec="seconds")
    with write_transaction(db):
        if ticket_id is not None and rating_of_ticket(db, ticket_id) is not None:
            raise AlreadyRated(ticket_id)
        try:
            db.execute(INSERT_RATING, (rating.rating_id, ticket_id, station_id, service_code, rating.level,
                                       json.dumps(list(reasons)), comment, contact_phone, stamp))
        except sqlite3.IntegrityError:
            if ticket_id is not None and rating_of_ticket(db, ticket_id) is not None:
                raise AlreadyRated(ticket_id) from None
            raise
        enqueue(db, entity="rating", entity_id=rating.rating_id, payload=rating.sync_payload(), created_at=stamp)
    return rating


def rating_of_ticket(db: sqlite3.Connection, ticket_id: str) -> str | None:
    """The rating id of this ticket, or None when it has not been rated."""
    row = db.execute("SELECT rating_id FROM ratings WHERE ticket_id = ?", (ticket_id,)).fetchone()
    return row[0] if row else None


SUMMARY = ("SELECT t.ticket_id, t.number, t.station_id, t.service_code, t.business_date, t.issued_at, "
           "t.status, r.rating_id FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.ticket_id ")
SUMMARY_KEYS = ("ticket_id", "number", "station_id", "service_code", "business_date", "issued_at", "status")


def _summary(row) -> dict:
    """A ticket as the rating screen sees it, saying whether it has been rated already."""
    return dict(zip(SUMMARY_KEYS, row[:7]), rated=row[7] is not None)


def _day_text(business_date: date | str) -> str:
    return business_date.isoformat() if isinstance(business_date, date) else business_date


def find_ticket(db: sqlite3.Connection, number: str, business_date: date | str,
                station_id: str | None = None) -> dict | None:
    """The ticket with this number on this business day (of this station, when given), or None."""
    sql = SUMMARY + "WHERE t.number = ? AND t.business_date = ?"
    args: list = ["".join(number.split()).upper(), _day_text(business_date)]
    if station_id is not None:
        sql += " AND t.station_id = ?"
        args.append(station_id)
    row = db.execute(sql + " ORDER BY t.issued_at DESC LIMIT 1", args).fetchone()
    return None if row is None else _summary(row)


def tickets_of_resident(db: sqlite3.Connection, business_date: date | str, *, id_digest: str | None,
                        id_masked: str, station_id: str | None = None) -> list[dict]:
    """The tickets taken with this ID card on this business day, newest first.

    Matched by the keyed digest; a kiosk with no digest key from the district stores none, and
    then the masked number (first 6 and last 4 digits) is what there is to match.
    """
    if id_digest:
        sql, args = SUMMARY + "WHERE t.id_digest = ? AND t.business_date = ?", [id_digest, _day_text(business_date)]
    else:
        sql = SUMMARY + "WHERE t.id_digest IS NULL AND t.id_masked = ? AND t.business_date = ?"
        args = [id_masked, _day_text(business_date)]
    if station_id is not None:
        sql += " AND t.station_id = ?"
        args.append(station_id)
    return [_summary(row) for row in db.execute(sql + " ORDER BY t.issued_at DESC", args)]
