"""Rating rows: a 好差评 rating and its outbox op in one transaction, one rating per ticket, by its
holder; and what the kiosk's own store knows to check a rating when its server cannot be asked."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import Iterable

from sync.protocol.ratings import TicketFacts, refusal

from kiosk.domain.ids import uuid7
from kiosk.domain.ratings import AlreadyRated, Rating, normalize_phone, validate, validate_rated_ticket
from kiosk.domain.tickets import TicketStatus
from kiosk.store.outbox import enqueue
from kiosk.store.sync_store import station_queue_view
from kiosk.store.transaction import write_transaction

__all__ = ["AlreadyRated", "rate", "find_ticket", "tickets_of_resident", "rating_of_ticket", "check_locally"]

INSERT_RATING = (
    "INSERT INTO ratings (rating_id, ticket_id, station_id, service_code, level, reasons, comment, "
    "contact_phone, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def rate(db: sqlite3.Connection, *, station_id: str, level: int, now: datetime, ticket_id: str | None,
         holder: dict | None, service_code: str | None = None, reasons: Iterable[str] = (),
         comment: str | None = None, contact_phone: str | None = None,
         known_reasons: Iterable[str] | None = None, rating_id: str | None = None) -> Rating:
    """Validate, then commit the rating with its outbox op (entity "rating", channel kiosk, with
    the holder's proof, so the station and the district accept it).

    Raises RatingInvalid before touching the database (also for a rating without its ticket or
    holder), and AlreadyRated (nothing written) when the ticket has a rating already. The write
    transaction takes the lock before the check, so two processes cannot both rate one ticket.
    """
    reasons = tuple(reasons)
    contact_phone = normalize_phone(contact_phone)
    comment = (comment.strip() or None) if comment is not None else None
    validate_rated_ticket(ticket_id, holder)
    validate(level, reasons, comment, contact_phone, known_reasons)
    rating = Rating(rating_id=rating_id or uuid7(), station_id=station_id, ticket_id=ticket_id,
                    service_code=service_code, level=int(level), reasons=reasons, comment=comment,
                    contact_phone=contact_phone, rated_at=now, holder=dict(holder))
    stamp = now.isoformat(timespec="seconds")
    with write_transaction(db):
        if rating_of_ticket(db, ticket_id) is not None:
            raise AlreadyRated(ticket_id)
        try:
            db.execute(INSERT_RATING, (rating.rating_id, ticket_id, station_id, service_code, rating.level,
                                       json.dumps(list(reasons)), comment, contact_phone, stamp))
        except sqlite3.IntegrityError:
            if rating_of_ticket(db, ticket_id) is not None:
                raise AlreadyRated(ticket_id) from None
            raise
        enqueue(db, entity="rating", entity_id=rating.rating_id, payload=rating.sync_payload(), created_at=stamp)
    return rating


def rating_of_ticket(db: sqlite3.Connection, ticket_id: str) -> str | None:
    """The rating id of this ticket, or None when it has not been rated."""
    row = db.execute("SELECT rating_id FROM ratings WHERE ticket_id = ?", (ticket_id,)).fetchone()
    return row[0] if row else None


RATED_JOIN = ("LEFT JOIN ratings r ON r.ticket_id = t.ticket_id "
              "LEFT JOIN rated_on_phone p ON p.ticket_id = t.ticket_id ")  # rated here or on the phone
SUMMARY = ("SELECT t.ticket_id, t.number, t.station_id, t.service_code, t.business_date, t.issued_at, "
           "t.status, coalesce(r.rating_id, p.ticket_id) FROM tickets t " + RATED_JOIN)
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


FACTS = ("SELECT t.ticket_id, t.number, t.station_id, t.service_code, t.business_date, t.issued_at, t.status, "
         "coalesce(r.rating_id, p.ticket_id), t.holder_code, t.id_digest FROM tickets t " + RATED_JOIN +
         "WHERE t.number = ? AND t.business_date = ? AND t.station_id = ? ORDER BY t.issued_at DESC LIMIT 1")


def _served_at_station(db: sqlite3.Connection, number: str, business_date: str) -> dict | None:
    """The ticket with this number in the station's queue view as served, whatever the view's age
    (a ticket served stays served): its id and service."""
    view = station_queue_view(db) or {}
    if view.get("business_date") != business_date:
        return None
    return next((s for s in view.get("served") or [] if isinstance(s, dict) and s.get("number") == number), None)


def check_locally(db: sqlite3.Connection, number: str, business_date: date | str, station_id: str,
                  holder: dict, now: datetime) -> dict:
    """The rating rule (sync/protocol/ratings.py) as far as this store knows the ticket, for when
    the kiosk's server cannot be asked.

    ``known``: the store knows the ticket is served (a counter service shares this store, or the
    station's queue view listed it as served) or rated already; then ``refusal`` is the rule's
    (code, detail), or None when the holder may rate it. Otherwise nothing can be said here: a
    kiosk behind a station keeps its tickets waiting, and another kiosk's are not in it.
    ``ticket`` is what is known of the ticket (its summary), or None.
    """
    day = _day_text(business_date)
    number = "".join(number.split()).upper()
    row = db.execute(FACTS, (number, day, station_id)).fetchone()
    served = _served_at_station(db, number, day)
    if row is None:
        ticket = None if served is None else {
            "ticket_id": served.get("ticket_id"), "number": number, "station_id": station_id,
            "service_code": served.get("service_code"), "business_date": day, "rated": False}
        return {"known": False, "refusal": None, "ticket": ticket}
    ticket = _summary(row)
    status = TicketStatus.DONE.value if served and served.get("ticket_id") == ticket["ticket_id"] else ticket["status"]
    if status != TicketStatus.DONE.value and not ticket["rated"]:
        return {"known": False, "refusal": None, "ticket": ticket}
    facts = TicketFacts(ticket["ticket_id"], ticket["station_id"], status, day, row[8], row[9], ticket["rated"])
    probe = {"station_id": station_id, "holder": holder, "channel": "kiosk",
             "rated_at": now.isoformat(timespec="seconds")}
    refused = refusal(facts, probe, station_id=station_id)
    return {"known": True, "refusal": list(refused) if refused else None, "ticket": ticket}
