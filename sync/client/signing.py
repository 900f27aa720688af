"""Request signing of sync-v1: HMAC-SHA256 over method, request-target, timestamp, nonce, body hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def decode_secret(secret_b64: str) -> bytes:
    return base64.b64decode(secret_b64, validate=True)


def string_to_sign(method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join((method.upper(), path_with_query, timestamp, nonce,
                      hashlib.sha256(body).hexdigest())).encode("utf-8")


def signature(secret: bytes, method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes) -> str:
    """Lowercase hex HMAC-SHA256 of the string to sign under the decoded 32-byte secret."""
    return hmac.new(secret, string_to_sign(method, path_with_query, timestamp, nonce, body),
                    hashlib.sha256).hexdigest()


def new_nonce() -> str:
    """32 characters of [A-Za-z0-9_-] from 24 random bytes: never reused in practice."""
    return secrets.token_urlsafe(24)


def signed_headers(secret: bytes, kiosk_id: str, method: str, path_with_query: str, timestamp: int,
                   body: bytes, nonce: str | None = None) -> dict[str, str]:
    nonce = nonce or new_nonce()
    stamp = str(int(timestamp))
    return {
        "X-Kiosk-Id": kiosk_id,
        "X-Timestamp": stamp,
        "X-Nonce": nonce,
        "X-Signature": signature(secret, method, path_with_query, stamp, nonce, body),
    }
