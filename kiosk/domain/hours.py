"""Station opening hours: whether a station issues numbers at a given moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from kiosk.domain.errors import Kind, KioskError


class StationClosed(KioskError):
    """The station does not issue numbers now."""

    kind = Kind.STATION_CLOSED

    def __init__(self, station_name: str, hours_text: str):
        super().__init__(f"{station_name} is closed now (hours: {hours_text})")
        self.station_name = station_name
        self.hours_text = hours_text


@dataclass(frozen=True)
class OpeningPeriod:
    weekdays: frozenset[int]  # 1 = Monday .. 7 = Sunday
    opens: time
    closes: time

    @classmethod
    def parse(cls, spec: dict) -> "OpeningPeriod":
        first, _, last = str(spec["days"]).partition("-")
        days = range(int(first), int(last or first) + 1)
        return cls(frozenset(days), time.fromisoformat(spec["open"]), time.fromisoformat(spec["close"]))

    def contains(self, now: datetime) -> bool:
        return now.isoweekday() in self.weekdays and self.opens <= now.time() < self.closes


def is_open(periods: list[OpeningPeriod], now: datetime) -> bool:
    return any(period.contains(now) for period in periods)
