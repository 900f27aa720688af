"""Request signing (docs/sync-protocol.md, "Signing"): the headers of a signed request.

The string to sign and its HMAC are sync.protocol's, the very functions the server verifies with.
"""

from __future__ import annotations

import base64
import secrets

from sync.protocol import (KIOSK_ID_HEADER, NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, body_sha256,
                           signature, string_to_sign)


def decode_secret(secret_b64: str) -> bytes:
    return base64.b64decode(secret_b64, validate=True)


def new_nonce() -> str:
    """32 characters of [A-Za-z0-9_-] from 24 random bytes: never reused in practice."""
    return secrets.token_urlsafe(24)


def signed_headers(secret: bytes, kiosk_id: str, method: str, path_with_query: str, timestamp: int,
                   body: bytes, nonce: str | None = None) -> dict[str, str]:
    """`body` is the bytes exactly as sent (compressed, if compressed)."""
    nonce = nonce or new_nonce()
    stamp = str(int(timestamp))
    message = string_to_sign(method, path_with_query, stamp, nonce, body_sha256(body))
    return {
        KIOSK_ID_HEADER: kiosk_id,
        TIMESTAMP_HEADER: stamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: signature(secret, message),
    }
