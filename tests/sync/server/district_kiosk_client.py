"""A kiosk speaking sync protocol v1, written from shared/protocols/sync-v1.md (not from the server).

Signing, enrolment and op/payload builders used by the district server tests.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import secrets
import time
import uuid
from typing import Any

from sqlalchemy.orm import sessionmaker

from sync.server.catalogue import ensure_station
from sync.server.db import make_engine, transaction
from sync.server.enrolment import create_token


def issue_token(db_url: str, station: str, kiosk: str, now: float | None = None, role: str = "kiosk") -> str:
    engine = make_engine(db_url)
    now = time.time() if now is None else now
    try:
        with transaction(sessionmaker(engine)) as session:
            ensure_station(session, station, now)
            return create_token(session, station, kiosk, now, 24 * 3600, role=role)
    finally:
        engine.dispose()


def sign(secret_b64: str, method: str, target: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The page's rule: HMAC-SHA256 over METHOD, PATH_WITH_QUERY, TIMESTAMP, NONCE, hex(sha256(BODY))."""
    message = "\n".join([method, target, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(base64.b64decode(secret_b64), message.encode(), hashlib.sha256).hexdigest()


class KioskClient:
    """A kiosk speaking the protocol through any client with .request(method, url, content=, headers=)."""

    def __init__(self, http: Any, kiosk_id: str, secret: str, clock: Any = time.time):
        self.http = http
        self.kiosk_id = kiosk_id
        self.secret = secret
        self.clock = clock
        self.next_seq = 1

    def signed_headers(self, method: str, target: str, body: bytes, **overrides: str | None) -> dict[str, str]:
        timestamp = overrides.pop("timestamp", None) or str(int(self.clock()))
        nonce = overrides.pop("nonce", None) or secrets.token_hex(16)
        headers = {
            "X-Kiosk-Id": self.kiosk_id, "X-Timestamp": timestamp, "X-Nonce": nonce,
            "X-Signature": sign(self.secret, method, target, timestamp, nonce, body),
        }
        for name, value in overrides.items():
            header = {"kiosk_id": "X-Kiosk-Id", "signature": "X-Signature"}.get(name, name)
            if value is None:
                headers.pop(header, None)
            else:
                headers[header] = value
        return headers

    def request(self, method: str, target: str, *, json_body: Any = None, body: bytes | None = None,
                compress: bool = False, content_type: str | None = "application/json; charset=utf-8",
                extra_headers: dict[str, str] | None = None, **overrides: str | None) -> Any:
        if body is None:
            body = b"" if json_body is None else json.dumps(json_body).encode()
        headers: dict[str, str] = {}
        if compress:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if method != "GET" and content_type:
            headers["Content-Type"] = content_type
        headers.update(self.signed_headers(method, target, body, **overrides))
        headers.update(extra_headers or {})
        return self.http.request(method, target, content=body, headers=headers)

    def push(self, ops: list[dict[str, Any]], batch_id: str | None = None, for_kiosk: str | None = None,
             **kwargs: Any) -> Any:
        """Post a batch to this kiosk's ops path, or (a station relaying) to ``for_kiosk``'s, signed as this one."""
        envelope = {"batch_id": batch_id or str(uuid.uuid4()), "schema_version": 1, "app_version": "1.0.0",
                    "ops": ops}
        return self.request("POST", f"/v1/kiosks/{for_kiosk or self.kiosk_id}/ops", json_body=envelope, **kwargs)

    def changes(self, since: int = 0, limit: int | None = None) -> Any:
        query = f"since={since}" + (f"&limit={limit}" if limit is not None else "")
        return self.request("GET", f"/v1/kiosks/{self.kiosk_id}/changes?{query}")

    def take_seq(self) -> int:
        seq, self.next_seq = self.next_seq, self.next_seq + 1
        return seq


def enrol(http: Any, db_url: str, kiosk_id: str = "YT-XZ-01", station: str = "yt-xiaozhai",
          clock: Any = time.time, role: str = "kiosk") -> KioskClient:
    """Enrol a kiosk, or (``role="station"``) a station service, with a fresh token."""
    token = issue_token(db_url, station, kiosk_id, clock(), role=role)
    response = http.post("/v1/enrol", json={"token": token, "kiosk_id": kiosk_id, "app_version": "1.0.0"})
    assert response.status_code == 201, response.text
    return KioskClient(http, kiosk_id, response.json()["secret"], clock)


def new_id() -> str:
    return str(uuid.uuid4())


def ticket_payload(ticket_id: str | None = None, **changes: Any) -> dict[str, Any]:
    payload = {
        "ticket_id": ticket_id or new_id(), "station_id": "yt-xiaozhai", "service_code": "A-shebao",
        "number": "A017", "issued_at": "2026-11-21T09:30:00+08:00", "business_date": "2026-11-21",
        "priority": "normal", "assistance": False, "bundle_code": None, "id_digest": None,
        "id_masked": "610113********123X", "status": "waiting", "updated_at": "2026-11-21T09:30:00+08:00",
    }
    payload.update(changes)
    return payload


def rating_payload(rating_id: str | None = None, **changes: Any) -> dict[str, Any]:
    payload = {
        "rating_id": rating_id or new_id(), "station_id": "yt-xiaozhai", "ticket_id": new_id(),
        "service_code": "A-shebao", "level": 5, "reasons": [], "comment": None, "contact_phone": None,
        "channel": "kiosk", "rated_at": "2026-11-21T10:00:00+08:00",
    }
    payload.update(changes)
    return payload


HOLDER_CODE = "246810"


def served_rating(ticket_changes: dict[str, Any] | None = None, code: str = HOLDER_CODE,
                  **rating_changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A done ticket carrying a holder code, and a rating of it by its holder (``holder`` by code).

    The ticket is of the rating's station and service, on the rating's day (the first 10 characters
    of ``rated_at``), so the district's rating rule accepts the rating once the ticket is pushed
    first, in the same batch or an earlier one, by a kiosk of that station. ``rating_changes`` and
    ``ticket_changes`` override fields of either payload (a ticket_id or holder given in
    ``rating_changes`` is kept)."""
    rating = rating_payload(**rating_changes)
    ticket = ticket_payload(**{"status": "done", "holder_code": code, "station_id": rating["station_id"],
                               "service_code": rating["service_code"] or "A-shebao",
                               "business_date": str(rating["rated_at"])[:10], **(ticket_changes or {})})
    rating.setdefault("holder", {"by": "code", "code": code})
    if "ticket_id" not in rating_changes:
        rating["ticket_id"] = ticket["ticket_id"]
    return ticket, rating


def event_payload(event_id: str | None = None, **changes: Any) -> dict[str, Any]:
    payload = {"event_id": event_id or new_id(), "type": "paper_low", "at": "2026-11-21T10:00:00+08:00",
               "detail": {"printer": "sim"}}
    payload.update(changes)
    return payload


ID_FIELDS = {"ticket": "ticket_id", "rating": "rating_id", "event": "event_id"}


def make_op(seq: int, entity: str, payload: dict[str, Any], *, op_id: str | None = None,
            created_at: str = "2026-11-21T09:30:00+08:00", **changes: Any) -> dict[str, Any]:
    op = {"seq": seq, "op_id": op_id or new_id(), "entity": entity,
          "entity_id": payload.get(ID_FIELDS.get(entity, "id"), new_id()), "kind": "upsert",
          "created_at": created_at, "payload": payload}
    op.update(changes)
    return op
