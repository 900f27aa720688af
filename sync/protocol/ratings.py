"""Which rating may be recorded: one per served ticket, by its holder, within the window.

GB/T 39734 asks for one rating per transaction, given voluntarily, with the rater's details
protected. So a rating names its ticket, and is accepted only when
- the ticket is known and belongs to the rating's station,
- the ticket is done (served), and has no rating yet (一次一评),
- the rating comes within the window: by default the ticket's business day (until 06:00 the next
  morning, local time, as a business day runs past midnight); a station may allow
  ``window_days`` more days,
- and its ``holder`` proves the rater holds the ticket: ``{"by": "code", "code": "123456"}`` (the
  code printed on the ticket), ``{"by": "card", "id_digest": "…"}`` (the card that took it), or
  ``{"by": "counter", "counter_id": "C1"}`` (the window rating pad of the counter that served it,
  which only the station itself may send), or ``{"by": "token", "token": "…"}`` (the ticket's
  public_token, from its QR code: the phone page).

The station checks it before it accepts a rating from a kiosk or its window pads, and the
district checks it again for every op it receives (docs/sync-protocol.md, "Ratings"). Standard
library only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sync.protocol.entities import PUBLIC_TOKEN_PATTERN

HOLDER_CODE_PATTERN = r"[0-9]{6}"
# A business day ends at its station's rollover hour the next morning (kiosk.day_rollover_hour,
# 4 by default): ratings of the day are taken until 06:00 the next calendar day, local time.
CLOSES_NEXT_MORNING = 6
HOLDER_CODE_RE = re.compile(HOLDER_CODE_PATTERN)
PUBLIC_TOKEN_RE = re.compile(PUBLIC_TOKEN_PATTERN)
CHANNELS = ("kiosk", "window_pad", "phone")
HOLDER_KINDS = ("code", "card", "counter", "token")

# Rejection codes beyond sync-v1's five (this project's extension; each with its words for residents)
NO_TICKET, NOT_SERVED, NOT_HOLDER, WRONG_STATION, WINDOW_CLOSED = (
    "no_ticket", "not_served", "not_holder", "wrong_station", "rating_closed")
ALREADY_RATED = "already_rated"
RATING_REJECTIONS = (NO_TICKET, NOT_SERVED, NOT_HOLDER, WRONG_STATION, WINDOW_CLOSED)
WORDS = {
    NO_TICKET: "没有找到这张号票，请核对票号",
    NOT_SERVED: "这张号票还没有办结，办结后才能评价",
    NOT_HOLDER: "评价码不对，请核对号票上的6位评价码",
    WRONG_STATION: "这张号票不是本站点的，请到取号的站点评价",
    WINDOW_CLOSED: "这张号票的评价时间已过",
    ALREADY_RATED: "这张号票已经评价过了，每次办事只评价一次",
}


@dataclass(frozen=True)
class TicketFacts:
    """What the rule needs of a ticket, wherever it is kept."""

    ticket_id: str
    station_id: str
    status: str
    business_date: str  # YYYY-MM-DD
    holder_code: str | None = None
    id_digest: str | None = None
    rated: bool = False
    public_token_sha256: str | None = None  # hex sha256 of the ticket's public_token (its phone page)


def token_sha256(token: str) -> str:
    """How a ticket's public_token is kept and looked up: hex sha256 of its text."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_holder(holder: object) -> str | None:
    """Why a rating's ``holder`` field is malformed, or None."""
    if not isinstance(holder, dict) or holder.get("by") not in HOLDER_KINDS:
        return "holder must be an object with by = code, card or counter"
    by = holder["by"]
    key = {"code": "code", "card": "id_digest", "counter": "counter_id", "token": "token"}[by]
    value = holder.get(key)
    if not isinstance(value, str) or not value or len(value) > 128 or set(holder) != {"by", key}:
        return f"holder by {by} needs exactly one more field, {key}, a short string"
    if by == "code" and not HOLDER_CODE_RE.fullmatch(value):
        return "holder code must be 6 digits"
    if by == "token" and not PUBLIC_TOKEN_RE.fullmatch(value):
        return "holder token must be the ticket's public_token (32 characters of A-Z a-z 0-9 _ -)"
    return None


def _same(kept: str | None, given: object) -> bool:
    """A constant-time comparison of a kept secret with what the rater gave (any text, any length)."""
    if not kept or not isinstance(given, str):
        return False
    return hmac.compare_digest(kept.encode("utf-8"), given.encode("utf-8"))


def refusal(ticket: TicketFacts | None, rating: dict, *, station_id: str, window_days: int = 0,
            may_speak_for_counter: bool = False) -> tuple[str, str] | None:
    """(code, detail) when this rating may not be recorded, else None. ``rating`` is the payload,
    already checked for shape; ``station_id`` the station the sender belongs to."""
    if ticket is None:
        return NO_TICKET, "the rating names no ticket this station knows"
    if ticket.station_id != station_id or rating.get("station_id") != ticket.station_id:
        return WRONG_STATION, "the ticket belongs to another station"
    if ticket.rated:
        return ALREADY_RATED, "this ticket has already been rated"
    if ticket.status != "done":
        return NOT_SERVED, f"the ticket is {ticket.status}, not done; only a served ticket is rated"
    holder = rating.get("holder") or {}
    by = holder.get("by")
    if by == "code":
        proved = _same(ticket.holder_code, holder.get("code"))
    elif by == "card":
        proved = _same(ticket.id_digest, holder.get("id_digest"))
    elif by == "token":  # the phone page behind the ticket's QR code (channel phone)
        given = holder.get("token")
        proved = isinstance(given, str) and _same(ticket.public_token_sha256, token_sha256(given))
    else:
        proved = by == "counter" and may_speak_for_counter and rating.get("channel") == "window_pad"
    if not proved:
        return NOT_HOLDER, "the rating does not prove it comes from the ticket's holder"
    try:
        rated = datetime.fromisoformat(str(rating.get("rated_at", ""))[:19])
        last_day = date.fromisoformat(ticket.business_date) + timedelta(days=max(0, window_days))
    except ValueError:
        return WINDOW_CLOSED, "rated_at or business_date is not a date"
    closes = datetime.combine(last_day + timedelta(days=1), time(CLOSES_NEXT_MORNING))
    if rated >= closes:
        return WINDOW_CLOSED, f"ratings of this ticket closed at {closes.isoformat(timespec='minutes')}"
    return None
