"""``POST /v1/kiosks/{kiosk_id}/heartbeat``: keep a device's heartbeat (docs/fleet-health.md).

The district keeps the latest per device (device_health) and a history (device_heartbeats, for the
retention period): every heartbeat that changed something other than its times, and one every
HISTORY_EVERY_S besides, so a fleet that is well grows the table by 144 rows a device a day, not
1,440. It refreshes the device's alerts when the heartbeat may change them. A station service keeps
the latest of each of its kiosks and relays it to the district, signed as the station."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sync.protocol.heartbeat import HeartbeatError, check_heartbeat
from sync.server.errors import ApiError
from sync.server.fleet import alerts
from sync.server.fleet.rules import station_hours, thresholds
from sync.server.models import DeviceHealth, DeviceHeartbeat, FleetAlert, Kiosk

PRINTER_ALERTS = ("paper_out", "cover_open", "offline")  # printer states that open an alert (rules.ALERT_KINDS)
HISTORY_EVERY_S = 600.0
TIMES = ("at", "last_sync_at", "clock_offset_s", "disk_free_mb")  # what changes every time, by itself


def parse_heartbeat(value: Any) -> dict[str, Any]:
    """The checked heartbeat, or 422 invalid_request naming the field."""
    try:
        return check_heartbeat(value)
    except HeartbeatError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from None


def _state(data: Any) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in TIMES} if isinstance(data, dict) else {}


def store_heartbeat(session: Session, kiosk_id: str, body: dict[str, Any], now: float, *,
                    history: bool = True, with_alerts: bool = True) -> dict[str, Any]:
    """Keep ``body`` (checked) as the latest heartbeat of ``kiosk_id``; returns the answer."""
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise ApiError(401, "unauthorized", "unknown kiosk")
    row = session.get(DeviceHealth, kiosk_id)
    keep = history and (row is None or row.history_at is None or now - row.history_at >= HISTORY_EVERY_S
                        or _state(row.data) != _state(body))
    if row is None:
        row = DeviceHealth(kiosk_id=kiosk_id)
        session.add(row)
    row.station_id, row.role, row.received_at = kiosk.station_id, kiosk.role, now
    row.sent_at, row.app_version, row.catalogue_version = body["at"], body["app_version"], body["catalogue_version"]
    row.printer, row.reader, row.outbox, row.dead_letters = body["printer"], body["reader"], body["outbox"], body["dead_letters"]
    row.data = body
    if keep:
        row.history_at = now
        session.execute(insert(DeviceHeartbeat).values(kiosk_id=kiosk_id, received_at=now, data=body))
    if with_alerts and _may_change_alerts(session, kiosk_id, body):
        session.flush()
        alerts.refresh(session, now, thresholds(session), station_hours(session, {kiosk.station_id}), kiosk_id)
    return {"received_at": now}


def _may_change_alerts(session: Session, kiosk_id: str, body: dict[str, Any]) -> bool:
    """Whether this heartbeat may open, raise or clear an alert: it reports a printer fault, or the
    device has an alert not cleared. Most heartbeats say all is well of a device with none (one
    indexed lookup, not the whole refresh)."""
    if body["printer"] in PRINTER_ALERTS:
        return True
    return session.scalar(select(FleetAlert.alert_id).where(FleetAlert.kiosk_id == kiosk_id,
                                                            FleetAlert.cleared_at.is_(None)).limit(1)) is not None
