"""Identifiers: time-ordered UUIDv7, as the sync protocol prefers."""

from __future__ import annotations

import os
import time
import uuid


def uuid7() -> str:
    """A UUIDv7 (RFC 9562) in canonical lower-case form."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def holder_code() -> str:
    """The 6-digit code printed on a ticket: its holder types it to rate the service."""
    import secrets

    return f"{secrets.randbelow(1_000_000):06d}"


def public_token() -> str:
    """The key of a ticket's phone page (its QR code): 24 random bytes (192 bits), base64url, 32
    characters. Never the number or anything personal (docs/phone-page.md)."""
    import secrets

    return secrets.token_urlsafe(24)
