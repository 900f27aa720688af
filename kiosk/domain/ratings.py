"""政务服务"好差评": the five levels, the reason codes of sync-v1 and what makes a rating valid.

One rating per served ticket, by its holder (一次一评, GB/T 39734): a rating names its ticket and
carries its ``holder``, the proof that the rater holds it: the 6-digit code printed on the ticket
(``{"by": "code", "code": "482913"}``) or the keyed digest of the ID card that took it
(``{"by": "card", "id_digest": "…"}``). Whether the ticket is served, not yet rated and still
open is the station's and the district's rule (sync/protocol/ratings.py); the kiosk asks before it
shows the five levels. A low rating (不满意, 非常不满意) needs at least one reason and may leave a
phone number for the follow-up call; nothing else may carry a phone number.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from kiosk.domain.errors import Kind, KioskError


class Level(enum.IntEnum):
    VERY_DISSATISFIED = 1
    DISSATISFIED = 2
    BASICALLY_SATISFIED = 3
    SATISFIED = 4
    VERY_SATISFIED = 5

    @property
    def label(self) -> str:
        return LEVEL_NAMES[self]

    @property
    def is_low(self) -> bool:
        return self <= LOW_LEVEL_MAX


LEVEL_NAMES = {
    Level.VERY_SATISFIED: "非常满意",
    Level.SATISFIED: "满意",
    Level.BASICALLY_SATISFIED: "基本满意",
    Level.DISSATISFIED: "不满意",
    Level.VERY_DISSATISFIED: "非常不满意",
}
LEVELS_BEST_FIRST = tuple(sorted(Level, reverse=True))
LOW_LEVEL_MAX = 2
# A ticket served no longer ago than this is invited to rate on the kiosk's home screen.
SERVED_INVITE_WINDOW = timedelta(minutes=30)
COMMENT_MAX = 200
HOLDER_CODE_LENGTH = 6  # the 评价码 printed on each ticket
HOLDER_CODE = re.compile(r"[0-9]{6}")
HOLDER_FIELD = {"code": "code", "card": "id_digest"}  # how a kiosk proves the holder: the one more field

DEFAULT_REASONS = {
    "attitude": "服务态度差",
    "wait_too_long": "等候时间长",
    "unclear_guidance": "告知不清、材料要求不明",
    "slow_handling": "办理效率低",
    "repeat_visits": "多次跑腿",
    "facilities": "环境设施差",
    "other": "其他",
}
DEFAULT_REASON_CODES = tuple(DEFAULT_REASONS)

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")
PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")


class AlreadyRated(KioskError):
    """This ticket has been rated before: one rating per ticket."""

    kind = Kind.ALREADY_RATED

    def __init__(self, ticket_id: str):
        super().__init__(f"ticket {ticket_id} has already been rated")
        self.ticket_id = ticket_id


class RatingInvalid(KioskError, ValueError):
    """A rating breaks a rule of sync-v1; ``code`` names which one."""

    kind = Kind.INVALID_RATING

    CODES = ("level_out_of_range", "reasons_required", "unknown_reason", "comment_too_long",
             "phone_not_allowed", "phone_invalid", "ticket_required", "holder_invalid")

    def __init__(self, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.code = code


def holder_by_code(code: str) -> dict:
    """The holder proof of a typed 评价码."""
    return {"by": "code", "code": code}


def holder_by_card(id_digest: str) -> dict:
    """The holder proof of the ID card laid on the reader (its keyed digest, as tickets carry it)."""
    return {"by": "card", "id_digest": id_digest}


def holder_problem(holder: object) -> str | None:
    """Why ``holder`` does not prove a kiosk's rater holds the ticket (by code or by card), or None."""
    if not isinstance(holder, dict) or holder.get("by") not in HOLDER_FIELD:
        return "holder must be an object with by = code or card"
    field = HOLDER_FIELD[holder["by"]]
    value = holder.get(field)
    if set(holder) != {"by", field} or not isinstance(value, str) or not value or len(value) > 128:
        return f"holder by {holder['by']} needs exactly one more field, {field}, a short string"
    if holder["by"] == "code" and not HOLDER_CODE.fullmatch(value):
        return f"the holder code must be {HOLDER_CODE_LENGTH} digits"
    return None


def reason_choices(codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs for the configured codes (the default list when none are configured).

    A district code without a known label shows the code itself rather than being hidden.
    """
    return [(code, DEFAULT_REASONS.get(code, code)) for code in (codes or DEFAULT_REASON_CODES)]


def normalize_phone(text: str | None) -> str | None:
    """Digits only (spaces, dashes and brackets dropped); None when nothing was typed."""
    if text is None:
        return None
    digits = PHONE_SEPARATORS.sub("", text)
    return digits or None


def looks_like_phone(text: str) -> bool:
    """A mainland mobile (11 digits starting 13-19) or a landline with its area code (029…)."""
    digits = normalize_phone(text) or ""
    return bool(MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits))


def validate_rated_ticket(ticket_id: str | None, holder: object) -> None:
    """A kiosk's rating names its ticket and proves its holder; raise RatingInvalid when it does not."""
    if not ticket_id:
        raise RatingInvalid("ticket_required", "a rating names the ticket it rates")
    problem = holder_problem(holder)
    if problem:
        raise RatingInvalid("holder_invalid", problem)


def validate(level: int, reasons: Iterable[str] = (), comment: str | None = None,
             contact_phone: str | None = None, known_reasons: Iterable[str] | None = None) -> None:
    """Raise RatingInvalid naming the first broken rule; return None for a valid rating."""
    reasons = list(reasons)
    known = set(known_reasons or DEFAULT_REASON_CODES)
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
        raise RatingInvalid("level_out_of_range", f"level must be 1..5, got {level!r}")
    unknown = [code for code in reasons if code not in known]
    if unknown:
        raise RatingInvalid("unknown_reason", f"unknown reason codes {unknown}; known: {sorted(known)}")
    if level <= LOW_LEVEL_MAX and not reasons:
        raise RatingInvalid("reasons_required", f"level {level} needs at least one reason")
    if comment is not None and len(comment) > COMMENT_MAX:
        raise RatingInvalid("comment_too_long", f"comment has {len(comment)} characters, at most {COMMENT_MAX}")
    if contact_phone is not None:
        if level > LOW_LEVEL_MAX:
            raise RatingInvalid("phone_not_allowed", f"a contact phone is asked only for levels 1-2, not {level}")
        if not looks_like_phone(contact_phone):
            raise RatingInvalid("phone_invalid", "contact phone must be a mobile (1xxxxxxxxxx) or 0-area landline")


@dataclass(frozen=True)
class Rating:
    rating_id: str
    station_id: str
    ticket_id: str | None
    service_code: str | None
    level: int
    reasons: tuple[str, ...]
    comment: str | None
    contact_phone: str | None
    rated_at: datetime
    holder: dict | None = None  # how the rater proved holding the ticket (code or card)

    def sync_payload(self) -> dict:
        """The `rating` entity of sync-v1, from the kiosk channel, with the holder's proof."""
        return {
            "rating_id": self.rating_id,
            "station_id": self.station_id,
            "ticket_id": self.ticket_id,
            "service_code": self.service_code,
            "level": int(self.level),
            "reasons": list(self.reasons),
            "comment": self.comment,
            "contact_phone": self.contact_phone,
            "channel": "kiosk",
            "rated_at": self.rated_at.isoformat(timespec="seconds"),
        } | ({"holder": dict(self.holder)} if self.holder else {})
