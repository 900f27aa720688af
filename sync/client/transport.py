"""HTTP for sync protocol v1 (docs/sync-protocol.md): signed requests, gzip above 1 KiB, time-outs,
and the server's clock.

Every response's Date header updates the estimate of (server clock - kiosk clock); X-Timestamp is
the kiosk clock corrected by it, so a kiosk whose clock is a day off still signs acceptable times.
"""

from __future__ import annotations

import gzip
import json
import time
from email.utils import parsedate_to_datetime
from typing import Any, Callable

import requests

from sync.client.backoff import parse_retry_after
from sync.client.signing import decode_secret, signed_headers
from sync.protocol import JSON_TYPE, compact_json

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
GZIP_ABOVE_BYTES = 1024
RETRYABLE_STATUS = (409, 429, 500, 502, 503, 504)
OFFSET_RETRY_S = 30.0


class TransportError(Exception):
    """Base of the failures a sync run reports; `kind` names it for the UI and the logs."""

    kind = "transport"

    def __init__(self, detail: str, *, status: int | None = None, code: str | None = None,
                 retry_after: float | None = None):
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.code = code
        self.retry_after = retry_after


class Unreachable(TransportError):
    """No complete answer: connection refused or reset, time-out, truncated body."""

    kind = "offline"


class ServerBusy(TransportError):
    """409 / 429 / 5xx: try again later (after Retry-After when given)."""

    kind = "server_busy"


class Refused(TransportError):
    """A 4xx other than 409/410/429: the request itself is not acceptable."""

    kind = "refused"


class Unauthorized(Refused):
    kind = "unauthorized"


class CursorGone(TransportError):
    kind = "cursor_gone"


TRANSIENT = (Unreachable, ServerBusy)


def why_unreachable(exc: requests.RequestException) -> str:
    """What a technician should read of a failed request: one line, no urllib3 internals."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS failed (certificate or protocol)"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"no answer to the connection within {CONNECT_TIMEOUT_S:g} s"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return f"connected, but no answer within {READ_TIMEOUT_S:g} s"
    for needle, reason in (("Connection refused", "connection refused (is the server running on that port?)"),
                           ("Name or service not known", "host name not found"),
                           ("Temporary failure in name resolution", "host name not found (DNS)"),
                           ("Network is unreachable", "network unreachable"),
                           ("No route to host", "no route to host"),
                           ("Connection reset", "connection reset"),
                           ("RemoteDisconnected", "the server closed the connection without answering")):
        if needle in text:
            return reason
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return "not a valid URL"
    return type(exc).__name__


class ClockOffset:
    """Server time minus local time, from Date headers (1 s resolution: the midpoint is used)."""

    def __init__(self) -> None:
        self.seconds: float | None = None

    def observe(self, date_header: str | None, sent_at: float, received_at: float) -> None:
        if not date_header:
            return
        try:
            server = parsedate_to_datetime(date_header).timestamp() + 0.5
        except (TypeError, ValueError, IndexError, OverflowError):
            return
        self.seconds = server - (sent_at + received_at) / 2


class Transport:
    def __init__(self, base_url: str, kiosk_id: str, secret_b64: str, *, clock: Callable[[], float] = time.time,
                 session: requests.Session | None = None, connect_timeout: float = CONNECT_TIMEOUT_S,
                 read_timeout: float = READ_TIMEOUT_S, gzip_above: int = GZIP_ABOVE_BYTES, ca_file: str = ""):
        """``ca_file``: the certificate a station service on the LAN presents (self-signed), trusted
        for this server only; empty for the system's trust store."""
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.secret = decode_secret(secret_b64)
        self.clock = clock
        self.session = session or requests.Session()
        if ca_file:
            self.session.verify = ca_file
        self.timeout = (connect_timeout, read_timeout)
        self.gzip_above = gzip_above
        self.offset = ClockOffset()
        self.requests_sent = 0
        self.bytes_sent = 0

    def close(self) -> None:
        self.session.close()

    def server_time(self) -> float:
        return self.clock() + (self.offset.seconds or 0.0)

    def health(self) -> dict[str, Any]:
        return self._exchange("GET", "/v1/health", b"", {}, signed=False)

    def get(self, path: str) -> dict[str, Any]:
        return self.request("GET", path)

    def post(self, path: str, value: Any = None, *, body: bytes | None = None) -> dict[str, Any]:
        if body is None:
            body = compact_json(value).encode("utf-8")
        return self.request("POST", path, body)

    def request(self, method: str, path: str, body: bytes = b"") -> dict[str, Any]:
        """A signed request; returns the JSON answer of a 2xx or raises a TransportError."""
        headers: dict[str, str] = {}
        if method != "GET":
            headers["Content-Type"] = JSON_TYPE
            if len(body) > self.gzip_above:
                body = gzip.compress(body, compresslevel=1, mtime=0)
                headers["Content-Encoding"] = "gzip"
        if self.offset.seconds is None:
            self.health()
        used = self.offset.seconds
        try:
            return self._exchange(method, path, body, headers)
        except Unauthorized:
            # The Date of the 401 itself may show the clock estimate was off (clock stepped): once more.
            if self.offset.seconds is None or (used is not None and abs(self.offset.seconds - used) < OFFSET_RETRY_S):
                raise
            return self._exchange(method, path, body, headers)

    def _exchange(self, method: str, path: str, body: bytes, headers: dict[str, str], *,
                  signed: bool = True) -> dict[str, Any]:
        prepared = self.session.prepare_request(
            requests.Request(method, self.base_url + path, data=body or None, headers=headers))
        if signed:
            timestamp = round(self.server_time())
            prepared.headers.update(
                signed_headers(self.secret, self.kiosk_id, method, prepared.path_url, timestamp, body))
        sent_at = self.clock()
        self.requests_sent += 1
        self.bytes_sent += len(body)
        try:
            response = self.session.send(prepared, timeout=self.timeout)
            content = response.content
        except requests.RequestException as exc:
            raise Unreachable(f"{self.base_url}{path}: {why_unreachable(exc)}") from None
        self.offset.observe(response.headers.get("Date"), sent_at, self.clock())
        return self._answer(method, path, response.status_code, response.headers, content)

    def _answer(self, method: str, path: str, status: int, headers: Any, content: bytes) -> dict[str, Any]:
        try:
            value = json.loads(content) if content else {}
        except ValueError:
            if 200 <= status < 300:
                raise Unreachable(f"{method} {path}: {status} with a body that is not JSON") from None
            value = {}
        if 200 <= status < 300:
            return value
        code = value.get("error") if isinstance(value, dict) else None
        detail = value.get("detail") if isinstance(value, dict) else None
        text = f"{method} {path}: {status} {code or ''}: {detail or content[:200]!r}"
        retry_after = parse_retry_after(headers.get("Retry-After"), self.server_time())
        if status in RETRYABLE_STATUS or status >= 500:
            raise ServerBusy(text, status=status, code=code, retry_after=retry_after)
        if status == 410:
            raise CursorGone(text, status=status, code=code)
        if status == 401:
            raise Unauthorized(text, status=status, code=code)
        raise Refused(text, status=status, code=code)
