"""What went wrong, as a typed kind: the base of the kiosk's own exceptions.

Workers and commands read `exc.kind` instead of matching class names; the UI words each kind for
residents, the commands turn it into an exit code. Driver and sync errors carry a plain-string
`kind` of their own (those packages do not import the kiosk); `kind_of` reads either.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    UNKNOWN_SERVICE = "unknown_service"
    STATION_CLOSED = "station_closed"
    NUMBERS_EXHAUSTED = "numbers_exhausted"
    STORE_UNAVAILABLE = "store_unavailable"
    STORE_LOST = "store_lost"
    BAD_CONFIGURATION = "bad_configuration"
    ALREADY_RATED = "already_rated"
    INVALID_RATING = "invalid_rating"
    CALL_REFUSED = "call_refused"
    INTERNAL_ERROR = "internal_error"


class KioskError(Exception):
    """Base of the kiosk's own exceptions; each subclass names its kind."""

    kind: Kind = Kind.INTERNAL_ERROR


def kind_of(exc: BaseException, default: str = Kind.INTERNAL_ERROR) -> str:
    """The kind an exception carries (a Kind, or a driver's or the sync client's string), else `default`."""
    kind = getattr(exc, "kind", None)
    return str(kind) if isinstance(kind, str) and kind else str(default)
