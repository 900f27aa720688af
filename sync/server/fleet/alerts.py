"""The fleet's alerts, held so that a flapping link or a printer's cover opened for a moment does
not flood the console: a condition (silent, paper_out, cover_open, printer_offline) opens an alert
row when first seen; the alert is raised once the condition has held for the hold period
(``fleet_alert_hold_minutes``, default 3) and cleared once it has been gone for as long. A
condition that goes before it is raised leaves nothing behind. Silence is held by its own threshold
(30 minutes of opening hours by default), so it is raised when seen.

``refresh`` runs on every heartbeat (for its device) and whenever the console reads the fleet."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.server.fleet.hours import Hours
from sync.server.fleet.rules import ALERT_KINDS, Thresholds, problems_of
from sync.server.models import DeviceHealth, FleetAlert


def _refresh_device(session: Session, kiosk_id: str, station_id: str, problems: list[str],
                    alerts: list[FleetAlert], hold_s: float, now: float) -> None:
    current = {kind for kind in problems if kind in ALERT_KINDS}
    by_kind = {alert.kind: alert for alert in alerts}
    for kind in current:
        alert = by_kind.get(kind)
        if alert is None:
            alert = FleetAlert(kiosk_id=kiosk_id, station_id=station_id, kind=kind, since=now,
                               raised_at=now if kind == "silent" or hold_s <= 0 else None)
            session.add(alert)
            continue
        alert.gone_since = None
        if alert.raised_at is None and now - alert.since >= hold_s:
            alert.raised_at = now
    for kind, alert in by_kind.items():
        if kind in current:
            continue
        if alert.raised_at is None:
            session.delete(alert)  # gone before it was raised: a flap, nothing to tell
        elif alert.gone_since is None:
            alert.gone_since = now
        if alert.raised_at is not None and alert.gone_since is not None and now - alert.gone_since >= hold_s:
            alert.cleared_at = now


def refresh(session: Session, now: float, limits: Thresholds, hours: dict[str, Hours],
            kiosk_id: str | None = None) -> None:
    """Open, raise and clear the alerts of one device (``kiosk_id``) or of every device."""
    health_query = select(DeviceHealth)
    alert_query = select(FleetAlert).where(FleetAlert.cleared_at.is_(None))
    if kiosk_id is not None:
        health_query = health_query.where(DeviceHealth.kiosk_id == kiosk_id)
        alert_query = alert_query.where(FleetAlert.kiosk_id == kiosk_id)
    alerts: dict[str, list[FleetAlert]] = {}
    for alert in session.scalars(alert_query.order_by(FleetAlert.alert_id)):
        if any(a.kind == alert.kind for a in alerts.get(alert.kiosk_id, [])):
            alert.cleared_at = now  # two servers opened the same alert at once: one is enough
            continue
        alerts.setdefault(alert.kiosk_id, []).append(alert)
    for row in session.scalars(health_query):
        problems = problems_of(row.data, row.received_at, now, hours.get(row.station_id, Hours()), limits)
        _refresh_device(session, row.kiosk_id, row.station_id, problems, alerts.pop(row.kiosk_id, []),
                        limits.hold_s, now)
    for left in alerts.values():  # a device no longer heard of (its health row gone)
        for alert in left:
            alert.cleared_at = now
    session.flush()


def recent_alerts(session: Session, now: float, station_id: str | None = None, within_s: float = 86400.0,
                  limit: int = 200) -> list[dict[str, Any]]:
    """The raised alerts still open or cleared in the last day, newest first."""
    query = select(FleetAlert).where(FleetAlert.raised_at.is_not(None),
                                     (FleetAlert.cleared_at.is_(None)) | (FleetAlert.cleared_at >= now - within_s))
    if station_id is not None:
        query = query.where(FleetAlert.station_id == station_id)
    return [{"kiosk_id": a.kiosk_id, "station_id": a.station_id, "kind": a.kind, "since": a.since,
             "raised_at": a.raised_at, "cleared_at": a.cleared_at}
            for a in session.scalars(query.order_by(FleetAlert.raised_at.desc()).limit(limit))]


def forget_cleared(session: Session, before: float) -> int:
    """Delete the alerts cleared before ``before`` (the retention purge)."""
    return session.execute(delete(FleetAlert).where(FleetAlert.cleared_at < before)).rowcount or 0


__all__ = ["forget_cleared", "recent_alerts", "refresh"]
