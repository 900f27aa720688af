"""Single-use enrolment tokens and kiosk secrets."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from sync.server import numbering as numbering_rules
from sync.server.errors import invalid_envelope, unauthorized
from sync.server.models import EnrolToken, Kiosk
from sync.server.secretbox import seal_for

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def valid_id(value: Any) -> bool:
    return isinstance(value, str) and ID_RE.fullmatch(value) is not None


ROLES = ("kiosk", "station")


def create_token(session: Session, station_id: str, kiosk_id: str, now: float, ttl_s: float,
                 role: str = "kiosk") -> str:
    """A token for a kiosk, or (``role="station"``) for the station service that speaks for the
    station's kiosks."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    # Never starting with '-': a technician types it after `--token`, where argparse would take it for a flag.
    token = "t" + secrets.token_urlsafe(32)
    session.add(EnrolToken(token_hash=_token_hash(token), station_id=station_id, kiosk_id=kiosk_id,
                           created_at=now, expires_at=now + ttl_s, role=role))
    return token


def parse_request(value: Any) -> tuple[str, str, str | None, dict[str, Any] | None]:
    if not isinstance(value, dict):
        raise invalid_envelope("body must be a JSON object")
    token, kiosk_id, app_version = value.get("token"), value.get("kiosk_id"), value.get("app_version")
    if not isinstance(token, str) or not token:
        raise invalid_envelope("token must be a non-empty string")
    if not valid_id(kiosk_id):
        raise invalid_envelope("kiosk_id must be 1 to 64 characters of [A-Za-z0-9_.-]")
    if app_version is not None and (not isinstance(app_version, str) or len(app_version) > 64 or "\x00" in app_version):
        raise invalid_envelope("app_version must be a string of at most 64 characters")
    return token, kiosk_id, app_version, numbering_rules.parse(value.get("numbering"))


def valid_token(session: Session, token: str, kiosk_id: str, now: float) -> EnrolToken:
    row = session.get(EnrolToken, _token_hash(token))
    if row is None or row.used_at is not None or row.expires_at < now or row.kiosk_id != kiosk_id:
        raise unauthorized("enrolment token unknown, used, expired or made for another kiosk")
    return row


def station_numbering(session: Session, token: str, kiosk_id: str, now: float,
                      wanted: dict[str, Any] | None) -> dict[str, Any]:
    """What the wizard offers before enrolling: the blocks and letters the station's other kiosks
    hold, and a free one. The token is checked, not used."""
    row = valid_token(session, token, kiosk_id, now)
    others = numbering_rules.taken(session, row.station_id, kiosk_id)
    return {"station_id": row.station_id,
            "taken": [{"kiosk_id": other_id, "numbering": other} for other_id, other in others],
            "proposal": numbering_rules.proposal([o for _k, o in others], wanted)}


def enrol(session: Session, token: str, kiosk_id: str, app_version: str | None, now: float,
          numbering: dict[str, Any] | None = None) -> dict[str, str]:
    """Consume the token (a conditional update, so two racing uses cannot both win), unless the
    kiosk's numbering overlaps another kiosk's at the station (409, the token stays valid)."""
    row = valid_token(session, token, kiosk_id, now)
    if row.role == "station":
        numbering = None  # a station service issues no numbers; its kiosks do
    numbering_rules.check(session, row.station_id, kiosk_id, numbering)
    consumed = session.execute(
        update(EnrolToken).where(EnrolToken.token_hash == row.token_hash, EnrolToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if consumed != 1:
        raise unauthorized("enrolment token already used")
    secret = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    stored = seal_for(session, secret, kiosk_id)  # encrypted at rest (sync.server.secretbox)
    kiosk = session.get(Kiosk, kiosk_id, with_for_update=True)
    if kiosk is None:
        session.add(Kiosk(kiosk_id=kiosk_id, station_id=row.station_id, secret=stored, role=row.role,
                          app_version=app_version, enrolled_at=now, high_water=0, numbering=numbering))
    else:
        kiosk.station_id, kiosk.secret, kiosk.app_version, kiosk.enrolled_at = row.station_id, stored, app_version, now
        kiosk.role = row.role
        if numbering is not None:
            kiosk.numbering = numbering
    return {"kiosk_id": kiosk_id, "station_id": row.station_id, "secret": secret}


def store_relayed(session: Session, answer: dict[str, Any], app_version: str | None,
                  numbering: dict[str, Any] | None, now: float) -> None:
    """At a station service: keep the secret the district gave one of the station's kiosks, so the
    station can check that kiosk's signatures."""
    stored = seal_for(session, answer["secret"], answer["kiosk_id"])
    kiosk = session.get(Kiosk, answer["kiosk_id"], with_for_update=True)
    if kiosk is None:
        session.add(Kiosk(kiosk_id=answer["kiosk_id"], station_id=answer["station_id"], secret=stored,
                          app_version=app_version, enrolled_at=now, high_water=0, numbering=numbering))
    else:
        kiosk.station_id, kiosk.secret, kiosk.app_version, kiosk.enrolled_at = (
            answer["station_id"], stored, app_version, now)
        if numbering is not None:
            kiosk.numbering = numbering
