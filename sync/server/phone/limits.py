"""Per-client rate limits of the phone pages: a token bucket per client address and purpose, in
memory (each server process keeps its own; behind a reverse proxy the address is the resident's,
from X-Forwarded-For, see docs/district.md)."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Rate:
    burst: float
    per_s: float  # tokens added per second


# A phone opens its page, then follows it (one stream) or polls it every few seconds; a carrier's
# NAT puts many phones behind one address, so the page limit is generous. Ratings are few.
PAGE = Rate(burst=120, per_s=2.0)
RATING = Rate(burst=10, per_s=1 / 30)
MAX_CLIENTS = 50_000


class Buckets:
    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic):
        self.rate, self.clock = rate, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the client may go on now (one token taken), else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(client, (self.rate.burst, now))
            tokens = min(self.rate.burst, tokens + (now - at) * self.rate.per_s)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                self._trim()
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate.per_s

    def _trim(self) -> None:
        """A flood of addresses does not grow the table without end: full buckets are forgotten first."""
        if len(self._buckets) <= MAX_CLIENTS:
            return
        now = self.clock()
        full = [c for c, (t, at) in self._buckets.items() if t + (now - at) * self.rate.per_s >= self.rate.burst]
        for client in full or list(self._buckets)[: len(self._buckets) // 10]:
            self._buckets.pop(client, None)


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
