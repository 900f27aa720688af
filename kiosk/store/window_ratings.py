"""The window rating pad (窗口评价器), one of the 好差评 channels: at the counter, the resident rates
the ticket that counter has just marked done.

A pad is logged in as its counter (kiosk.counter). It offers the counter's last done ticket
(``calls.last_done``) of today while it is unrated, for ``OFFER_MINUTES`` after 办结, and until the
counter starts serving its next ticket. A rating is one write transaction: the sync-v1 rule
(sync.protocol.ratings.refusal, the holder being the counter, which the station may speak for),
then this station's own rule (the ticket must be the counter's most recently done one of the
business day), then the row (channel ``window_pad``, ``counter_id``) and its outbox op. One rating
per ticket on every channel: the kiosk's and a relayed kiosk's ratings share the ``ratings`` table.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from typing import Iterable

from sync.protocol.ratings import ALREADY_RATED, NO_TICKET, WORDS, TicketFacts, refusal

from kiosk.domain.ids import uuid7
from kiosk.domain.ratings import DEFAULT_REASON_CODES, Rating, reason_choices, validate
from kiosk.domain.tickets import TicketStatus
from kiosk.store.calls import CallRefused, current_ticket, last_done
from kiosk.store.outbox import enqueue
from kiosk.store.ticket_records import SELECT_TICKET, TicketRow, ticket_row
from kiosk.store.transaction import write_transaction

CHANNEL = "window_pad"
OFFER_MINUTES = 5
NOTHING_DONE, NOT_LAST_DONE = "nothing_done", "not_last_done"
PAD_WORDS = {
    NOTHING_DONE: "本窗口还没有刚办结的业务，办结后才能在这里评价",
    NOT_LAST_DONE: "这张号票不是本窗口刚办结的，请到为您办理的窗口评价",
}
INSERT = ("INSERT INTO ratings (rating_id, ticket_id, station_id, service_code, level, reasons, comment, "
          "contact_phone, rated_at, channel, counter_id, kiosk_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")


class RatingRefused(CallRefused):
    """The pad may not record this rating; ``code`` is sync-v1's or the pad's, the message the
    words for the resident (sync.protocol.ratings.WORDS, PAD_WORDS)."""


def reason_codes(db: sqlite3.Connection) -> tuple[str, ...]:
    """The station's reason codes: the district's ``rating_reasons`` when it sent some, else the defaults."""
    row = db.execute("SELECT value FROM settings WHERE key = 'district_config'").fetchone()
    try:
        reasons = json.loads(row[0]).get("rating_reasons") if row else None
    except (ValueError, AttributeError):
        reasons = None
    if isinstance(reasons, list) and reasons and all(isinstance(code, str) for code in reasons):
        return tuple(reasons)
    return DEFAULT_REASON_CODES


def reasons(db: sqlite3.Connection) -> list[dict]:
    """[{"code", "label"}] in the station's order, labelled in Chinese."""
    return [{"code": code, "label": label} for code, label in reason_choices(reason_codes(db))]


def _ticket(db: sqlite3.Connection, ticket_id: str | None) -> TicketRow | None:
    if not ticket_id:
        return None
    return ticket_row(db.execute(SELECT_TICKET + " WHERE ticket_id = ?", (ticket_id,)).fetchone())


def _rated(db: sqlite3.Connection, ticket_id: str) -> bool:
    return db.execute("SELECT 1 FROM ratings WHERE ticket_id = ? UNION ALL SELECT 1 FROM rated_on_phone "
                      "WHERE ticket_id = ?", (ticket_id, ticket_id)).fetchone() is not None


def _last_done_today(db: sqlite3.Connection, counter_id: str, day: date) -> tuple[TicketRow | None, str | None]:
    """The counter's most recently done ticket, if it is of business day ``day``, and when it was done."""
    done = last_done(db, counter_id)
    ticket = _ticket(db, done["ticket_id"]) if done else None
    if ticket is None or ticket.business_date != day.isoformat():
        return None, None
    return ticket, done.get("at")


def offered(db: sqlite3.Connection, counter_id: str, *, now: datetime, day: date) -> TicketRow | None:
    """The ticket the counter's pad asks the resident to rate now, or None (the pad waits)."""
    ticket, done_at = _last_done_today(db, counter_id, day)
    if ticket is None or ticket.status != TicketStatus.DONE or _rated(db, ticket.ticket_id):
        return None
    try:
        if now - datetime.fromisoformat(done_at or ticket.updated_at) > timedelta(minutes=OFFER_MINUTES):
            return None
    except (TypeError, ValueError):
        return None
    following = current_ticket(db, counter_id)
    if following is not None and following.status == TicketStatus.SERVING:
        return None  # the next resident sits at the counter
    return ticket


def rate(db: sqlite3.Connection, counter: dict, *, level: int, reasons: Iterable[str], now: datetime, day: date,
         ticket_id: str | None = None) -> dict:
    """Record the pad's rating of ``ticket_id`` (default: the counter's last done ticket of ``day``).

    Raises RatingInvalid (level, reasons) before touching the database, RatingRefused when a rule
    refuses it (nothing written). Returns {"rating_id", "ticket_id", "number", "level", "channel",
    "counter_id", "rated_at"}."""
    chosen = tuple(reasons)
    validate(level, chosen, known_reasons=reason_codes(db))
    stamp = now.isoformat(timespec="seconds")
    with write_transaction(db):
        done, _at = _last_done_today(db, counter["id"], day)
        wanted = ticket_id or (done.ticket_id if done else None)
        if wanted is None:
            raise RatingRefused(NOTHING_DONE, PAD_WORDS[NOTHING_DONE])
        ticket = done if done is not None and done.ticket_id == wanted else _ticket(db, wanted)
        facts = None if ticket is None else TicketFacts(
            ticket.ticket_id, ticket.station_id, ticket.status.value, ticket.business_date, ticket.holder_code,
            ticket.id_digest, _rated(db, ticket.ticket_id))
        rating = Rating(rating_id=uuid7(), station_id=ticket.station_id if ticket else "", ticket_id=wanted,
                        service_code=ticket.service_code if ticket else None, level=int(level), reasons=chosen,
                        comment=None, contact_phone=None, rated_at=now)
        payload = rating.sync_payload() | {"channel": CHANNEL, "holder": {"by": "counter", "counter_id": counter["id"]},
                                           "counter_id": counter["id"]}
        refused = refusal(facts, payload, station_id=rating.station_id, may_speak_for_counter=True)
        if refused is not None:
            code = refused[0]
            raise RatingRefused(code, WORDS.get(code, WORDS[NO_TICKET]))
        if done is None or done.ticket_id != wanted:
            raise RatingRefused(NOT_LAST_DONE, PAD_WORDS[NOT_LAST_DONE])
        try:
            db.execute(INSERT, (rating.rating_id, wanted, rating.station_id, rating.service_code, rating.level,
                                json.dumps(list(chosen)), None, None, stamp, CHANNEL, counter["id"]))
        except sqlite3.IntegrityError:  # another writer rated it between the check and here
            raise RatingRefused(ALREADY_RATED, WORDS[ALREADY_RATED]) from None
        enqueue(db, entity="rating", entity_id=rating.rating_id, payload=payload, created_at=stamp)
    return {"rating_id": rating.rating_id, "ticket_id": wanted, "number": ticket.number, "level": rating.level,
            "channel": CHANNEL, "counter_id": counter["id"], "rated_at": stamp}
