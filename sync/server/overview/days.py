"""The business day of the overview: it turns at 04:00 in the district's time zone (China, UTC+8),
as the stations' numbering does; and the days and months the API and the exports are asked for."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sync.server.figures.month import DISTRICT_TZ, BadMonth, Month

ROLLOVER_HOUR = 4
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadDay(ValueError):
    pass


def business_date(moment: float) -> date:
    """The business day Unix time ``moment`` belongs to (before 04:00 it is still yesterday)."""
    return (datetime.fromtimestamp(moment, DISTRICT_TZ) - timedelta(hours=ROLLOVER_HOUR)).date()


def day_bounds(day: date) -> tuple[float, float]:
    """[04:00 of ``day``, 04:00 of the next day) in Unix seconds."""
    start = datetime(day.year, day.month, day.day, ROLLOVER_HOUR, tzinfo=DISTRICT_TZ)
    return start.timestamp(), (start + timedelta(days=1)).timestamp()


def parse_day(text: str | None, default: date) -> date:
    """``YYYY-MM-DD`` (2000-01-01 to 2099-12-31), ``default`` when absent, else BadDay."""
    if text is None:
        return default
    if not isinstance(text, str) or not text.isascii() or not DATE_RE.fullmatch(text):
        raise BadDay("date must be YYYY-MM-DD, for example 2026-11-27")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadDay(f"{text} is not a calendar date") from None
    if not 2000 <= day.year <= 2099:
        raise BadDay("date must be between 2000-01-01 and 2099-12-31")
    return day


def parse_month(text: str | None) -> Month:
    try:
        return Month.parse(text)
    except BadMonth as exc:
        raise BadDay(str(exc)) from None


def month_days(month: Month) -> list[date]:
    first = date(month.year, month.month, 1)
    following = month.next()
    last = date(following.year, following.month, 1)
    return [first + timedelta(days=n) for n in range((last - first).days)]


def days_before(day: date, count: int) -> list[date]:
    """``count`` days ending with ``day``, oldest first."""
    return [day - timedelta(days=n) for n in range(count - 1, -1, -1)]
