"""Which kiosks hold which catalogue version, from their latest heartbeats (read only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import DeviceHealth


def kiosk_versions(session: Session, latest: int) -> list[dict[str, Any]]:
    """Every kiosk that sent a heartbeat, those behind the latest version (or not saying) first."""
    rows = session.scalars(select(DeviceHealth).where(DeviceHealth.role == "kiosk")
                           .order_by(DeviceHealth.station_id, DeviceHealth.kiosk_id)).all()
    out = [{"kiosk_id": row.kiosk_id, "station_id": row.station_id, "catalogue_version": row.catalogue_version,
            "received_at": row.received_at, "app_version": row.app_version,
            "behind": row.catalogue_version is None or row.catalogue_version < latest} for row in rows]
    return sorted(out, key=lambda kiosk: not kiosk["behind"])
