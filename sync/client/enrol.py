"""First-boot enrolment: a single-use token from the district becomes the kiosk's secret."""

from __future__ import annotations

import json

import requests

from sync.client.port import Enrolment
from sync.client.transport import CONNECT_TIMEOUT_S, READ_TIMEOUT_S, JSON_TYPE, Refused, Unauthorized, Unreachable


def enrol(server_url: str, token: str, kiosk_id: str, app_version: str,
          session: requests.Session | None = None) -> Enrolment:
    """POST /v1/enrol (unsigned). Raises Unauthorized for a used, expired or foreign token."""
    own = session is None
    session = session or requests.Session()
    base = server_url.rstrip("/")
    body = json.dumps({"token": token, "kiosk_id": kiosk_id, "app_version": app_version}).encode("utf-8")
    try:
        try:
            response = session.post(base + "/v1/enrol", data=body, headers={"Content-Type": JSON_TYPE},
                                    timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S))
            content = response.content
        except requests.RequestException as exc:
            raise Unreachable(f"{base}: {type(exc).__name__}: {exc}") from None
    finally:
        if own:
            session.close()
    try:
        value = json.loads(content)
    except ValueError:
        value = {}
    if response.status_code == 201 and isinstance(value, dict) and value.get("secret"):
        return Enrolment(server_url=base, kiosk_id=value["kiosk_id"], station_id=value["station_id"],
                         secret=value["secret"])
    detail = value.get("detail", "") if isinstance(value, dict) else ""
    text = f"enrolment refused: {response.status_code} {detail}".strip()
    if response.status_code == 401:
        raise Unauthorized(text + " (the token is used, expired or made for another kiosk)", status=401)
    raise Refused(text, status=response.status_code, code=value.get("error") if isinstance(value, dict) else None)
