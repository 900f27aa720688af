"""The business month of the figures: a calendar month in the district's time zone (China, UTC+8,
no daylight saving), as the half-open range of Unix seconds that ``ratings.rated_ts`` is compared with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

DISTRICT_TZ = timezone(timedelta(hours=8))
MONTH_RE = re.compile(r"(\d{4})-(\d{2})")


class BadMonth(ValueError):
    pass


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> "Month":
        """``YYYY-MM`` (2000-01 to 2099-12), else BadMonth."""
        found = MONTH_RE.fullmatch(text or "") if isinstance(text, str) and text.isascii() else None
        if found is None or not 2000 <= int(found[1]) <= 2099 or not 1 <= int(found[2]) <= 12:
            raise BadMonth("month must be YYYY-MM, for example 2026-11")
        return cls(int(found[1]), int(found[2]))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=DISTRICT_TZ)

    def bounds(self) -> tuple[float, float]:
        """[first instant, first instant of the next month) in Unix seconds."""
        return self.start().timestamp(), self.next().start().timestamp()
