"""A station service and one of its kiosks speaking to the district app, as the phone tests need them."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from district_kiosk_client import HOLDER_CODE, enrol, make_op, new_id, ticket_payload

STATION = "yt-xiaozhai"
CST = timezone(timedelta(hours=8))


def token() -> str:
    return secrets.token_urlsafe(24)


def local(now: float) -> str:
    return datetime.fromtimestamp(now, CST).isoformat(timespec="seconds")


class PhoneSite:
    """The district app with a station service (role station) and a kiosk of its station."""

    def __init__(self, http: Any, db_url: str, clock: Any):
        self.http, self.clock = http, clock
        self.station = enrol(http, db_url, kiosk_id="YT-XZ-ST", station=STATION, clock=clock, role="station")
        self.kiosk = enrol(http, db_url, kiosk_id="YT-XZ-01", station=STATION, clock=clock)
        self.station_seq = 0
        self.kiosk_seq = 0

    def issue(self, number: str = "A017", public_token: str | None = None, **changes: Any) -> dict:
        stamp = local(self.clock())
        payload = ticket_payload(number=number, issued_at=stamp, updated_at=stamp, business_date=stamp[:10],
                                 holder_code=HOLDER_CODE, public_token=public_token or token(), **changes)
        self.kiosk_seq += 1
        answer = self.kiosk.push([make_op(self.kiosk_seq, "ticket", payload, created_at=stamp)])
        assert answer.status_code == 200, answer.text
        payload["result"] = answer.json()["results"][0]
        return payload

    def set_status(self, ticket: dict, status: str) -> None:
        """The station's op on the ticket (a counter's call, serving, done)."""
        stamp = local(self.clock())
        payload = {k: v for k, v in ticket.items() if k != "result"} | {"status": status, "updated_at": stamp,
                                                                        "kiosk_id": "YT-XZ-01"}
        self.station_seq += 1
        answer = self.station.push([make_op(self.station_seq, "ticket", payload, created_at=stamp)])
        assert answer.json()["results"][0]["status"] == "applied", answer.text

    def snapshot(self, tickets: list[dict], sender: Any = None, at: float | None = None) -> Any:
        stamp = local(self.clock() if at is None else at)
        body = {"station_id": STATION, "at": stamp, "business_date": stamp[:10], "tickets": tickets}
        client = sender or self.station
        return client.request("POST", f"/v1/kiosks/{client.kiosk_id}/queue-snapshot", json_body=body)

    def kiosk_rating(self, ticket: dict, level: int = 5) -> dict:
        stamp = local(self.clock())
        rating = {"rating_id": new_id(), "station_id": STATION, "ticket_id": ticket["ticket_id"],
                  "service_code": ticket["service_code"], "level": level, "reasons": [], "comment": None,
                  "contact_phone": None, "channel": "kiosk", "rated_at": stamp,
                  "holder": {"by": "code", "code": HOLDER_CODE}}
        self.kiosk_seq += 1
        return self.kiosk.push([make_op(self.kiosk_seq, "rating", rating, created_at=stamp)]).json()["results"][0]
