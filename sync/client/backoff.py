"""Retry timing: full jitter (base 1 s, cap 5 min) that honours the server's Retry-After."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime
from typing import Callable, TypeVar

BASE_S = 1.0
CAP_S = 300.0

T = TypeVar("T")


class Backoff:
    """delay(n) is uniform in [0, min(cap, base * 2**n)]; never shorter than a given Retry-After."""

    def __init__(self, base: float = BASE_S, cap: float = CAP_S, rand: Callable[[], float] = random.random):
        self.base = base
        self.cap = cap
        self.rand = rand

    def ceiling(self, attempt: int) -> float:
        return min(self.cap, self.base * 2 ** min(attempt, 62))

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        jitter = self.rand() * self.ceiling(max(attempt, 0))
        if retry_after is not None and retry_after > jitter:
            return float(retry_after)
        return jitter


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Retry-After as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when - now)


class Retrier:
    """Calls `fn` until it succeeds, sleeping a back-off delay after each transient failure.

    Gives up (re-raising the last failure) after `max_attempts` calls or when `should_stop()` says so.
    """

    def __init__(self, backoff: Backoff, *, transient: tuple[type[BaseException], ...],
                 sleep: Callable[[float], None] = time.sleep, max_attempts: int = 8,
                 should_stop: Callable[[], bool] = lambda: False):
        self.backoff = backoff
        self.transient = transient
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.should_stop = should_stop
        self.failures = 0

    def __call__(self, fn: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                return fn()
            except self.transient as exc:
                attempt += 1
                self.failures += 1
                if attempt >= self.max_attempts or self.should_stop():
                    raise
                self.sleep(self.backoff.delay(attempt - 1, getattr(exc, "retry_after", None)))
