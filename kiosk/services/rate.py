"""Use case: the holder of a served ticket rates its service (好差评), once.

The kiosk has asked its server (or its own store) that the ticket is served and that ``holder``
proves the rater holds it before the resident chooses a level; the rating carries that proof, so
the station and the district can check it again. The rating is returned only after its row and
outbox op are committed. Refusals are typed: RatingInvalid (its ``code`` names the rule; a rating
without its ticket or holder is ``ticket_required`` or ``holder_invalid``) and AlreadyRated (一次一评).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Protocol

from kiosk.domain.ratings import (AlreadyRated, Rating, RatingInvalid, normalize_phone, validate,
                                  validate_rated_ticket)

__all__ = ["AlreadyRated", "RatingInvalid", "RatingRequest", "RatingStore", "rate_ticket"]


class RatingStore(Protocol):
    def rate(self, **fields) -> Rating: ...


@dataclass(frozen=True)
class RatingRequest:
    """What the rating screen collected. ``ticket_id`` and ``service_code`` come from the ticket
    checked; ``holder`` is how its holder proved it ({"by": "code", "code": …} or {"by": "card", …})."""

    station_id: str
    level: int
    ticket_id: str | None = None
    number: str | None = None
    service_code: str | None = None
    reasons: tuple[str, ...] = ()
    comment: str | None = None
    contact_phone: str | None = None
    holder: dict | None = None


def rate_ticket(store: RatingStore, request: RatingRequest, clock: Callable[[], datetime], *,
                known_reasons: Iterable[str] | None = None) -> Rating:
    phone = normalize_phone(request.contact_phone)
    comment = (request.comment or "").strip() or None
    validate_rated_ticket(request.ticket_id, request.holder)
    validate(request.level, request.reasons, comment, phone, known_reasons)
    return store.rate(station_id=request.station_id, ticket_id=request.ticket_id, holder=request.holder,
                      service_code=request.service_code, level=int(request.level),
                      reasons=tuple(request.reasons), comment=comment, contact_phone=phone,
                      now=clock(), known_reasons=known_reasons)
