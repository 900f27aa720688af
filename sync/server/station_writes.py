"""A station's own ticket ops: the counters' calls, serving, done and no-show on tickets its kiosks
issued (docs/sync-protocol.md, "Stations").

sync-v1 has a ticket written only by the kiosk that issued it. At a station the counters change
its status, so the station sends the ticket again under its own seqs. The district keeps the
issuing kiosk as the ticket's owner and takes the status from the station's op with the highest
seq; a later op of the issuing kiosk no longer changes the status. A station may write only the
tickets of its own station."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.protocol.ratings import token_sha256
from sync.server.models import Kiosk, Ticket


def station_ticket_row(payload: dict[str, Any], station_kiosk_id: str, seq: int) -> dict[str, Any]:
    return {"ticket_id": payload["ticket_id"], "station_id": payload["station_id"],
            "service_code": payload["service_code"], "number": payload["number"],
            "business_date": payload["business_date"], "status": payload["status"],
            "holder_code": payload.get("holder_code"), "id_digest": payload.get("id_digest"),
            "updated_at": payload["updated_at"], "issuer": payload.get("kiosk_id"),
            "state_by": station_kiosk_id, "state_seq": seq,
            "public_token_sha256": token_sha256(token) if isinstance(token := payload.get("public_token"), str) else None}


def write_station_tickets(session: Session, station_kiosk_id: str, station_id: str,
                          rows: list[dict[str, Any]]) -> set[str]:
    """Apply the station's status writes; returns the ids refused (tickets of another station)."""
    refused: set[str] = set()
    if not rows:
        return refused
    own_kiosks = set(session.scalars(select(Kiosk.kiosk_id).where(Kiosk.station_id == station_id)))
    for row in rows:
        if row["station_id"] != station_id:
            refused.add(row["ticket_id"])
            continue
        stored = session.execute(select(Ticket.station_id, Ticket.state_seq).where(
            Ticket.ticket_id == row["ticket_id"])).one_or_none()
        if stored is None:  # the issuing kiosk's op was refused or never came: keep what the station knows
            issuer = row["issuer"] if row["issuer"] in own_kiosks else station_kiosk_id
            session.add(Ticket(ticket_id=row["ticket_id"], kiosk_id=issuer, seq=0, station_id=station_id,
                               service_code=row["service_code"], number=row["number"],
                               business_date=row["business_date"], status=row["status"],
                               holder_code=row["holder_code"], id_digest=row["id_digest"],
                               updated_at=row["updated_at"], state_by=station_kiosk_id, state_seq=row["state_seq"],
                               public_token_sha256=row["public_token_sha256"]))
            session.flush()
            continue
        if stored.station_id != station_id:
            refused.add(row["ticket_id"])
            continue
        if stored.state_seq is not None and stored.state_seq >= row["state_seq"]:
            continue
        session.execute(update(Ticket).where(Ticket.ticket_id == row["ticket_id"]).values(
            status=row["status"], service_code=row["service_code"], updated_at=row["updated_at"],
            state_by=station_kiosk_id, state_seq=row["state_seq"]))
    return refused
