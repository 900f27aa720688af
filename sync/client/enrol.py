"""First-boot enrolment: a single-use token from the district becomes the kiosk's secret."""

from __future__ import annotations

import json

import requests

from sync.client.port import Enrolment
from sync.client.transport import (CONNECT_TIMEOUT_S, READ_TIMEOUT_S, JSON_TYPE, Refused, Unauthorized, Unreachable,
                                   why_unreachable)


class NumberingOverlap(Refused):
    """The kiosk's numbering block or letter is another kiosk's at the station; `proposal` is a free one."""

    kind = "numbering_overlap"

    def __init__(self, detail: str, proposal: dict | None):
        super().__init__(detail, status=409, code="numbering_overlap")
        self.proposal = proposal


def _post(server_url: str, path: str, body: dict, session: requests.Session | None,
          ca_file: str = "") -> tuple[int, dict]:
    own = session is None
    session = session or requests.Session()
    base = server_url.rstrip("/")
    try:
        try:
            response = session.post(base + path, data=json.dumps(body).encode("utf-8"),
                                    headers={"Content-Type": JSON_TYPE}, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
                                    **({"verify": ca_file} if ca_file else {}))  # beats $REQUESTS_CA_BUNDLE
            content = response.content
        except requests.RequestException as exc:
            raise Unreachable(f"{base}: {why_unreachable(exc)}") from None
    finally:
        if own:
            session.close()
    try:
        value = json.loads(content)
    except ValueError:
        value = {}
    return response.status_code, value if isinstance(value, dict) else {}


def station_numbering(server_url: str, token: str, kiosk_id: str, numbering: dict | None = None,
                      session: requests.Session | None = None, ca_file: str = "") -> dict:
    """POST /v1/enrol/numbering: the station's taken blocks and letters and a free one (token not used)."""
    body = {"token": token, "kiosk_id": kiosk_id, **({"numbering": numbering} if numbering else {})}
    status, value = _post(server_url, "/v1/enrol/numbering", body, session, ca_file)
    if status == 200 and "proposal" in value:
        return value
    _refuse(status, value)


def _refuse(status: int, value: dict):
    text = f"enrolment refused: {status} {value.get('detail', '')}".strip()
    if status == 401:
        raise Unauthorized(text + " (the token is used, expired or made for another kiosk)", status=401)
    if value.get("error") == "numbering_overlap":
        raise NumberingOverlap(str(value.get("detail", text)), value.get("proposal"))
    raise Refused(text, status=status, code=value.get("error"))


def enrol(server_url: str, token: str, kiosk_id: str, app_version: str,
          session: requests.Session | None = None, numbering: dict | None = None, ca_file: str = "") -> Enrolment:
    """POST /v1/enrol (unsigned), with the kiosk's numbering block or letter when given. Raises
    Unauthorized for a used, expired or foreign token, NumberingOverlap for a block in use."""
    base = server_url.rstrip("/")
    body = {"token": token, "kiosk_id": kiosk_id, "app_version": app_version,
            **({"numbering": numbering} if numbering else {})}
    status, value = _post(base, "/v1/enrol", body, session, ca_file)
    if status == 201 and value.get("secret"):
        return Enrolment(server_url=base, kiosk_id=value["kiosk_id"], station_id=value["station_id"],
                         secret=value["secret"])
    _refuse(status, value)


def relay_enrol(server_url: str, path: str, body: dict) -> tuple[int, dict]:
    """A station service passes a kiosk's enrolment request on to the district: (status, answer)."""
    return _post(server_url, path, body, None)
