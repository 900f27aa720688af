"""The technician PIN: a salted PBKDF2 hash in the configuration, and a lock after wrong tries."""

from __future__ import annotations

import hashlib
import hmac
import os
import re

ITERATIONS = 100_000  # 23 ms a check here: it runs on the UI thread (budget 100 ms)
MAX_TRIES = 5
LOCK_SECONDS = 300
PIN_HASH = re.compile(r"^pbkdf2_sha256\$(\d+)\$([0-9a-f]{16,64})\$([0-9a-f]{64})$")


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    if not re.fullmatch(r"\d{4,12}", pin):
        raise ValueError("a technician PIN is 4 to 12 digits")
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    match = PIN_HASH.match(stored)
    if match is None:
        return False
    iterations, salt, expected = int(match[1]), bytes.fromhex(match[2]), match[3]
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return hmac.compare_digest(digest.hex(), expected)


class PinGuard:
    """Checks PINs; after MAX_TRIES wrong ones in a row it refuses every PIN for LOCK_SECONDS."""

    def __init__(self, stored_hash: str, clock):
        self._stored = stored_hash
        self._clock = clock  # monotonic seconds
        self._wrong = 0
        self._locked_until = 0.0

    def locked_for(self) -> float:
        """Seconds until PINs are accepted again (0 when not locked)."""
        return max(0.0, self._locked_until - self._clock())

    def check(self, pin: str) -> str:
        """"ok", "wrong" (tries left: `tries_left`), "locked", or "unset" (no PIN configured)."""
        if self.locked_for() > 0:
            return "locked"
        if not self._stored:
            return "unset"
        if pin_matches(pin, self._stored):
            self._wrong = 0
            return "ok"
        self._wrong += 1
        if self._wrong >= MAX_TRIES:
            self._wrong = 0
            self._locked_until = self._clock() + LOCK_SECONDS
            return "locked"
        return "wrong"

    @property
    def tries_left(self) -> int:
        return MAX_TRIES - self._wrong
