"""Deadlines in Chinese working days: the official holidays and make-up working days (调休) of the
State Council's yearly notice, from the kept library chinese-calendar (import chinese_calendar).
A year the installed library does not cover yet falls back to Monday-to-Friday, and says so: the
``official`` flag of a deadline is then False (the API and `district-server followups` show it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

try:
    import chinese_calendar
except ImportError:  # pragma: no cover - the server extra installs it
    chinese_calendar = None


@dataclass(frozen=True)
class Deadline:
    due: datetime
    official: bool  # every day counted is in the official calendar (else weekends only)


def working_day(day: date) -> tuple[bool, bool]:
    """(is a working day, the official calendar knew the year)."""
    if chinese_calendar is not None:
        try:
            return bool(chinese_calendar.is_workday(day)), True
        except NotImplementedError:
            pass
    return day.weekday() < 5, False


def add_working_days(start: datetime, days: int) -> Deadline:
    """Move forward ``days`` working days after the day of ``start``, keeping its time of day and
    offset: a rating on Friday 10:00 with 5 days is due the fifth working day after, at 10:00."""
    ahead, official = _days_ahead(start.date(), days, chinese_calendar)
    return Deadline(start + timedelta(days=ahead), official)


@lru_cache(maxsize=4096)
def _days_ahead(start: date, days: int, calendar: object) -> tuple[int, bool]:
    """Calendar days from ``start`` to its ``days``-th working day after, and whether the official
    calendar knew every day counted. Cached: a console listing thousands of orders rated on a few
    hundred days asks the same question again and again (``calendar`` is in the key: the library
    installed, or None)."""
    current, remaining, official = start, days, True
    while remaining > 0:
        current += timedelta(days=1)
        works, known = working_day(current)
        official = official and known
        if works:
            remaining -= 1
    return (current - start).days, official


def calendar_years() -> tuple[int, int] | None:
    """The first and last year the installed calendar covers (None without it)."""
    if chinese_calendar is None:
        return None
    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]
