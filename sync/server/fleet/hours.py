"""Opening hours as the fleet counts silence: only the time a station is open counts, so a kiosk
switched off overnight is not "silent" at 09:05 (Asia/Shanghai, the station catalogue's hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
MAX_DAYS = 31  # silence is counted back at most this far (longer is as silent as it gets)


@dataclass(frozen=True)
class Hours:
    """Open periods by ISO weekday (1 Monday .. 7 Sunday); `always`: open around the clock (a
    station whose self-service area is open 24 h, or one whose hours are unknown)."""

    periods: tuple[tuple[frozenset[int], time, time], ...] = ()
    always: bool = True

    @classmethod
    def of_station(cls, data: Any) -> "Hours":
        if not isinstance(data, dict) or data.get("self_service_24h") is True:
            return cls()
        periods = []
        for spec in data.get("hours") or []:
            try:
                first, _, last = str(spec["days"]).partition("-")
                days = frozenset(range(int(first), int(last or first) + 1))
                periods.append((days, time.fromisoformat(spec["open"]), time.fromisoformat(spec["close"])))
            except (KeyError, TypeError, ValueError):
                continue  # a malformed period is left out; the others still count
        return cls(tuple(periods), always=not periods)

    def is_open(self, at: float) -> bool:
        if self.always:
            return True
        moment = datetime.fromtimestamp(at, ZONE)
        return any(moment.isoweekday() in days and opens <= moment.time() < closes
                   for days, opens, closes in self.periods)

    def open_seconds(self, start: float, end: float) -> float:
        """How many seconds of [start, end) the station was open."""
        if end <= start:
            return 0.0
        start = max(start, end - MAX_DAYS * 86400.0)
        if self.always:
            return end - start
        total = 0.0
        day = datetime.fromtimestamp(start, ZONE).date()
        last = datetime.fromtimestamp(end, ZONE).date()
        while day <= last:
            for days, opens, closes in self.periods:
                if day.isoweekday() not in days:
                    continue
                lo = datetime.combine(day, opens, ZONE).timestamp()
                hi = datetime.combine(day, closes, ZONE).timestamp()
                total += max(0.0, min(hi, end) - max(lo, start))
            day += timedelta(days=1)
        return total
