"""The bytes both sides must agree on: JSON texts, the string to sign, the day digest, limits.

See docs/sync-protocol.md ("Envelope", "Signing", "Reconciliation"). Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from typing import Any, Iterable

SCHEMA_VERSION = 1
JSON_TYPE = "application/json; charset=utf-8"

KIOSK_ID_HEADER = "X-Kiosk-Id"
TIMESTAMP_HEADER = "X-Timestamp"
NONCE_HEADER = "X-Nonce"
SIGNATURE_HEADER = "X-Signature"
SIGNED_HEADERS = (KIOSK_ID_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER)
NONCE_PATTERN = r"[A-Za-z0-9_-]{16,64}"

MAX_BATCH_OPS = 500
MAX_BODY_BYTES = 1024 * 1024  # uncompressed
TIMESTAMP_WINDOW_S = 300
NONCE_TTL_S = 600


# -- JSON ----------------------------------------------------------------------------------------

def compact_json(value: Any) -> str:
    """JSON text without spaces, non-ASCII characters kept, keys in the order given."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def canonical_json(value: Any) -> str:
    """One text per JSON value: compact, keys sorted at every level, non-ASCII characters kept
    (NUL and other control characters as \\u escapes). Equal values give equal texts; NaN and the
    infinities are refused (ValueError), as they are not JSON."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_sha256(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


class NotJSON(ValueError):
    """Bytes or text that are not JSON as the protocol reads it."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: Python reads infinity, which JSON (and PostgreSQL) cannot hold
        raise ValueError(f"number {text} is out of range")
    return value


def _lone_surrogate(value: Any) -> bool:
    """True when a string in ``value`` holds half of a UTF-16 pair (a "\\ud800" escape): not Unicode text."""
    if isinstance(value, str):
        return any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, dict):
        return any(_lone_surrogate(key) or _lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(item) for item in value)
    return False


def parse_json(data: bytes | str) -> Any:
    """Read JSON strictly: UTF-8, no NaN or Infinity, no number beyond a double, no lone surrogate
    escape. Raises NotJSON (its message says why) for anything else."""
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise NotJSON(str(exc)) from None
    if ("\\ud" in text or "\\uD" in text) and _lone_surrogate(value):  # only texts with such an escape pay
        raise NotJSON("a string holds a lone UTF-16 surrogate escape")
    return value


# -- signing -------------------------------------------------------------------------------------

def body_sha256(body: bytes) -> str:
    """Lowercase hex sha256 of the body bytes exactly as sent (compressed, if compressed)."""
    return hashlib.sha256(body).hexdigest()


def string_to_sign(method: str, path_with_query: str, timestamp: str, nonce: str, body_sha256_hex: str) -> bytes:
    """METHOD, request-target (as on the request line), timestamp, nonce and body hash, joined by \\n."""
    return "\n".join((method.upper(), path_with_query, timestamp, nonce, body_sha256_hex)).encode("utf-8")


def signature(secret: bytes, message: bytes) -> str:
    """Lowercase hex HMAC-SHA256 of the string to sign under the decoded 32-byte kiosk secret."""
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


# -- reconciliation ------------------------------------------------------------------------------

def op_day(created_at: str) -> str:
    """An op's day: the date part of created_at exactly as the kiosk wrote it (no time-zone conversion)."""
    return created_at[:10]


def day_digest(op_ids: Iterable[str]) -> str:
    """Reconciliation digest of one day: hex sha256 of the op_ids sorted by their UTF-8 bytes and
    joined by \\n with no trailing newline (an empty day is the sha256 of the empty string)."""
    return hashlib.sha256(b"\n".join(sorted(op_id.encode("utf-8") for op_id in op_ids))).hexdigest()
