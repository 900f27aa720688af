"""Each device's state for the console: what is wrong with it, and how urgent that is."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.fleet.hours import Hours
from sync.server.fleet.rules import PROBLEM_ORDER, Thresholds, problems_of, silent_for, station_hours, thresholds
from sync.server.models import DeviceHealth, FleetAlert, Kiosk

HEALTH_RANK = {"alert": 0, "warning": 1, "ok": 2}
ALWAYS = Hours()


def open_alerts(session: Session, station_id: str | None = None) -> dict[str, list[FleetAlert]]:
    """The alerts not cleared (raised or still being held), by device."""
    query = select(FleetAlert).where(FleetAlert.cleared_at.is_(None))
    if station_id is not None:
        query = query.where(FleetAlert.station_id == station_id)
    found: dict[str, list[FleetAlert]] = {}
    for alert in session.scalars(query.order_by(FleetAlert.alert_id)):
        found.setdefault(alert.kiosk_id, []).append(alert)
    return found


def _state(kiosk_id: str, station_id: str, role: str, row: DeviceHealth | None, alerts: list[FleetAlert],
           hours: Hours, limits: Thresholds, now: float) -> dict[str, Any]:
    received_at = row.received_at if row is not None else None
    problems = problems_of(row.data if row is not None else None, received_at, now, hours, limits)
    raised = [a for a in alerts if a.raised_at is not None]
    if raised or "silent" in problems:
        health = "alert"
    elif problems:
        health = "warning"
    else:
        health = "ok"
    return {**(row.data if row is not None and isinstance(row.data, dict) else {}),
            "kiosk_id": kiosk_id, "station_id": station_id, "role": role, "received_at": received_at,
            "health": health, "problems": problems, "silent_s": round(silent_for(received_at, now, hours)),
            "open_now": hours.is_open(now),
            "alerts": [{"kind": a.kind, "since": a.since, "raised_at": a.raised_at, "gone_since": a.gone_since}
                       for a in raised]}


def _urgency(state: dict[str, Any]) -> tuple:
    first = state["problems"][0] if state["problems"] else None
    return (HEALTH_RANK[state["health"]], PROBLEM_ORDER.index(first) if first else len(PROBLEM_ORDER),
            -(state["silent_s"] or 0), state["station_id"], state["kiosk_id"])


def device_states(session: Session, now: float, station_id: str | None = None) -> list[dict[str, Any]]:
    """One dict per device (kiosk or station service), most urgent first: kiosk_id, station_id,
    role, received_at (None: enrolled but never heard), health ("ok" | "warning" | "alert"),
    problems (list of codes such as "silent", "paper_out"), silent_s (seconds of opening hours
    since the last heartbeat), open_now, alerts (the raised ones), and the heartbeat's fields.
    `station_id` narrows to one station. Reads only (the alerts are kept by sync.server.fleet.alerts)."""
    health_query = select(DeviceHealth)
    kiosk_query = select(Kiosk.kiosk_id, Kiosk.station_id, Kiosk.role)
    if station_id is not None:
        health_query = health_query.where(DeviceHealth.station_id == station_id)
        kiosk_query = kiosk_query.where(Kiosk.station_id == station_id)
    rows = {row.kiosk_id: row for row in session.scalars(health_query)}
    devices = {kiosk_id: (station, role) for kiosk_id, station, role in session.execute(kiosk_query)}
    devices.update({kiosk_id: (row.station_id, row.role) for kiosk_id, row in rows.items()})
    hours = station_hours(session, {station for station, _role in devices.values()})
    limits = thresholds(session)
    alerts = open_alerts(session, station_id)
    states = [_state(kiosk_id, station, role, rows.get(kiosk_id), alerts.get(kiosk_id, []),
                     hours.get(station, ALWAYS), limits, now)
              for kiosk_id, (station, role) in devices.items()]
    states.sort(key=_urgency)
    return states
