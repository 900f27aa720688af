"""Reading request bodies ourselves: size limits, gzip, JSON, in the protocol's fault order
(docs/sync-protocol.md, "Errors"). Canonical JSON is sync.protocol.canonical_json."""

from __future__ import annotations

import hashlib
import logging
import zlib
from dataclasses import dataclass
from typing import Any

from starlette.requests import ClientDisconnect, Request

from sync.protocol import NotJSON
from sync.protocol import parse_json as protocol_json
from sync.server.errors import ApiError

GZIP_OVERHEAD = 64 * 1024


log = logging.getLogger(__name__)


@dataclass
class RawBody:
    data: bytes
    sha256_hex: str
    length: int
    unread: bool = False  # larger than could be kept: refused (413) without reading the rest

    @property
    def truncated(self) -> bool:
        return self.length > len(self.data)


class ClientGone(Exception):
    """The client closed the connection in the middle of its request body: nobody to answer."""


def declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


async def read_raw_body(request: Request, keep_bytes: int) -> RawBody:
    """The body and its sha256 (the signature covers it). A body declared (Content-Length) or
    found larger than ``keep_bytes`` is not read on: ``unread``, and the caller answers 413 once
    the faults that come first (401, 403, 415) are ruled out."""
    declared = declared_length(request)
    if declared is not None and declared > keep_bytes:
        return RawBody(b"", "", declared, unread=True)
    hasher = hashlib.sha256()
    kept = bytearray()
    length = 0
    try:
        async for chunk in request.stream():
            length += len(chunk)
            if length > keep_bytes:
                return RawBody(bytes(kept), "", length, unread=True)
            hasher.update(chunk)
            kept.extend(chunk)
    except ClientDisconnect:
        client = request.client.host if request.client else "?"
        log.warning("client %s closed the connection during the body of %s %s (%d bytes read)",
                    client, request.method, request.url.path[:120], length)
        raise ClientGone() from None
    return RawBody(bytes(kept), hasher.hexdigest(), length)


def check_content_type(content_type: str | None) -> None:
    if not content_type:
        raise ApiError(415, "unsupported_media_type", "Content-Type must be application/json")
    media, _, params = content_type.partition(";")
    if media.strip().lower() != "application/json":
        raise ApiError(415, "unsupported_media_type", f"Content-Type {media.strip()!r} is not application/json")
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ApiError(415, "unsupported_media_type", "the only charset accepted is utf-8")


def check_content_encoding(content_encoding: str | None) -> bool:
    """True when the body is gzip-compressed."""
    value = (content_encoding or "identity").strip().lower()
    if value in ("", "identity"):
        return False
    if value in ("gzip", "x-gzip"):
        return True
    raise ApiError(415, "unsupported_media_type", f"Content-Encoding {value!r} is not supported (gzip only)")


def too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", f"request body is larger than {limit} bytes uncompressed")


def gunzip_limited(data: bytes, limit: int) -> bytes:
    out = bytearray()
    rest = data
    while True:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out.extend(decompressor.decompress(rest, limit + 1 - len(out)))
        except zlib.error as exc:
            raise ApiError(400, "bad_gzip", f"body is not valid gzip: {exc}") from None
        if len(out) > limit:
            raise too_large(limit)
        if not decompressor.eof:
            raise ApiError(400, "bad_gzip", "gzip stream is truncated")
        rest = decompressor.unused_data
        if not rest:
            return bytes(out)


def decode_body(raw: RawBody, gzipped: bool, limit: int) -> bytes:
    """413 before 400: size limits first, then gzip validity."""
    if raw.truncated or raw.length > limit + (GZIP_OVERHEAD if gzipped else 0):
        raise too_large(limit)
    return gunzip_limited(raw.data, limit) if gzipped else raw.data


def parse_json(data: bytes) -> Any:
    """The protocol's strict JSON reading (sync.protocol.parse_json); 400 bad_json for anything else."""
    try:
        return protocol_json(data)
    except NotJSON as exc:
        raise ApiError(400, "bad_json", f"body is not JSON: {exc}") from None
