"""A rating given on the phone page (channel ``phone``, the 二维码 channel of 好差评).

The same rule as every other rating (sync.protocol.ratings): the ticket is done and not yet rated
(一次一评, across every channel: ``ratings.ticket_id`` is unique), within its window, and the rater
holds the ticket: here the ticket's public_token, from its QR code. It is stored like a kiosk's
rating under the sender ``phone:<station_id>`` (seq 0; there is no op), and a level of 1 or 2 opens
its 差评 work order in the same transaction (the district's hooks)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.protocol import POOR_LEVEL
from sync.protocol.ratings import ALREADY_RATED, NOT_HOLDER, refusal
from sync.server.catalogue import reason_codes
from sync.server.figures.record import record_fields
from sync.server.models import Rating, Ticket
from sync.server.payloads import CHECKS, PayloadError
from sync.server.phone.snapshots import phone_sender

CHANNEL = "phone"
MOBILE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE = re.compile(r"0[0-9]{2,3}[0-9]{7,8}")
SEPARATORS = re.compile(r"[\s\-()（）]")


class PhoneRatingRefused(Exception):
    """``code``: level, reasons, phone (the form), or a code of the rating rule."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_form(fields: dict[str, list[str]], known: frozenset[str]) -> tuple[int, list[str], str | None]:
    """(level, reasons, phone) from the form's fields, or PhoneRatingRefused naming the field."""
    level_text = (fields.get("level") or [""])[0]
    if level_text not in ("1", "2", "3", "4", "5"):
        raise PhoneRatingRefused("level")
    level = int(level_text)
    reasons = list(dict.fromkeys(r for r in fields.get("reason", []) if r in known)) if level <= POOR_LEVEL else []
    if level <= POOR_LEVEL and not reasons:
        raise PhoneRatingRefused("reasons")
    phone = SEPARATORS.sub("", (fields.get("phone") or [""])[0])[:32] or None
    if phone is not None and level > POOR_LEVEL:
        phone = None  # asked only for 不满意 and 非常不满意; a number typed before changing the level is dropped
    if phone is not None and not (MOBILE.fullmatch(phone) or LANDLINE.fullmatch(phone)):
        raise PhoneRatingRefused("phone")
    return level, reasons, phone


def _local_now(updated_at: str | None, now: float) -> datetime:
    try:
        tz = datetime.fromisoformat(updated_at or "").tzinfo
    except ValueError:
        tz = None
    return datetime.fromtimestamp(now, tz or timezone(timedelta(hours=8)))


def rate(session: Session, hooks: Any, key: str, token: str, fields: dict[str, list[str]], now: float) -> dict:
    """Record the phone's rating of the ticket whose token hashes to ``key``; returns the stored row."""
    ticket = session.execute(select(Ticket).where(Ticket.public_token_sha256 == key)).scalars().one_or_none()
    if ticket is None:
        raise PhoneRatingRefused(NOT_HOLDER)
    level, reasons, phone = parse_form(fields, reason_codes(session))
    payload = {"rating_id": str(uuid.uuid4()), "station_id": ticket.station_id, "ticket_id": ticket.ticket_id,
               "service_code": ticket.service_code, "level": level, "reasons": reasons, "comment": None,
               "contact_phone": phone, "channel": CHANNEL,
               "rated_at": _local_now(ticket.updated_at, now).isoformat(timespec="seconds"),
               "holder": {"by": "token", "token": token}}
    try:
        CHECKS["rating"](payload, reason_codes(session))
    except PayloadError:
        raise PhoneRatingRefused("level") from None
    facts = hooks.ticket_facts(session, [ticket.ticket_id]).get(ticket.ticket_id)
    refused = refusal(facts, payload, station_id=ticket.station_id, window_days=hooks.rating_window_days)
    if refused:
        raise PhoneRatingRefused(refused[0])
    stored = {**payload, "holder": {"by": "token"}}  # the token itself is not kept with the rating
    row = {"rating_id": payload["rating_id"], "ticket_id": ticket.ticket_id, "kiosk_id": phone_sender(ticket.station_id),
           "seq": 0, "station_id": ticket.station_id, "service_code": ticket.service_code, "level": level,
           "contact_phone": phone, "rated_at": payload["rated_at"], "data": stored, "channel": CHANNEL,
           "counter_id": None, **record_fields(session, stored)}  # the 好差评 figures' fields, as for any rating
    try:
        with session.begin_nested():
            session.add(Rating(**row))
            session.flush()
    except IntegrityError:  # a kiosk's or another phone's rating came first
        raise PhoneRatingRefused(ALREADY_RATED) from None
    hooks.ratings_stored(session, [row], now)
    return row
