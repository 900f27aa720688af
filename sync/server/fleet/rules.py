"""What is wrong with a device, from its latest heartbeat and the district's thresholds.

The thresholds are catalogue config items (docs/fleet-health.md), each with a default; a value
that is not an integer in its range is ignored (the default holds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.fleet.hours import Hours
from sync.server.models import CatalogueItem

# config key -> (default, lowest, highest)
THRESHOLDS = {
    "fleet_silent_minutes": (30, 2, 24 * 60),
    "fleet_alert_hold_minutes": (3, 0, 120),
    "fleet_outbox_warning": (100, 1, 1_000_000),
    "fleet_disk_warning_mb": (500, 0, 1_000_000),
    "fleet_clock_warning_s": (60, 1, 86400),
    "fleet_heartbeat_retention_days": (7, 1, 3650),
}
# Problems that open an alert (held before it is raised, held before it clears); the others warn.
ALERT_KINDS = ("silent", "paper_out", "cover_open", "printer_offline")
# Most urgent first: the order of a device's problems on the page.
PROBLEM_ORDER = ("silent", "paper_out", "cover_open", "printer_offline", "no_heartbeat", "reader_offline",
                 "paper_near_end", "dead_letters", "outbox_backlog", "disk_low", "clock_off", "printer_unknown")


@dataclass(frozen=True)
class Thresholds:
    silent_s: float
    hold_s: float
    outbox: int
    disk_mb: int
    clock_s: int
    retention_days: int

    def as_json(self) -> dict[str, Any]:
        return {"silent_minutes": self.silent_s / 60, "alert_hold_minutes": self.hold_s / 60,
                "outbox_warning": self.outbox, "disk_warning_mb": self.disk_mb, "clock_warning_s": self.clock_s,
                "heartbeat_retention_days": self.retention_days}


def _value(items: dict[str, Any], key: str) -> int:
    default, low, high = THRESHOLDS[key]
    value = items.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return default
    return value


def thresholds(session: Session) -> Thresholds:
    rows = session.execute(select(CatalogueItem.item_id, CatalogueItem.data).where(
        CatalogueItem.entity == "config", CatalogueItem.item_id.in_(list(THRESHOLDS)))).all()
    items = {item_id: data.get("value") if isinstance(data, dict) else None for item_id, data in rows}
    return Thresholds(silent_s=_value(items, "fleet_silent_minutes") * 60.0,
                      hold_s=_value(items, "fleet_alert_hold_minutes") * 60.0,
                      outbox=_value(items, "fleet_outbox_warning"), disk_mb=_value(items, "fleet_disk_warning_mb"),
                      clock_s=_value(items, "fleet_clock_warning_s"),
                      retention_days=_value(items, "fleet_heartbeat_retention_days"))


def station_hours(session: Session, station_ids: set[str] | None = None) -> dict[str, Hours]:
    query = select(CatalogueItem.item_id, CatalogueItem.data).where(CatalogueItem.entity == "station")
    if station_ids is not None:
        query = query.where(CatalogueItem.item_id.in_(sorted(station_ids)))
    return {item_id: Hours.of_station(data) for item_id, data in session.execute(query)}


def silent_for(received_at: float | None, now: float, hours: Hours) -> float:
    """Seconds of opening hours since the last heartbeat (0 when none was ever received)."""
    return 0.0 if received_at is None else hours.open_seconds(received_at, now)


def problems_of(data: dict[str, Any] | None, received_at: float | None, now: float, hours: Hours,
                limits: Thresholds) -> list[str]:
    """The problem codes of one device, most urgent first."""
    if received_at is None or data is None:
        return ["no_heartbeat"]
    found = set()
    if silent_for(received_at, now, hours) >= limits.silent_s:
        found.add("silent")
    printer = data.get("printer")
    found.update({"paper_out": ["paper_out"], "cover_open": ["cover_open"], "offline": ["printer_offline"],
                  "paper_near_end": ["paper_near_end"], "unknown": ["printer_unknown"]}.get(printer, []))
    if data.get("reader") == "offline":
        found.add("reader_offline")
    if (data.get("dead_letters") or 0) > 0:
        found.add("dead_letters")
    if (data.get("outbox") or 0) >= limits.outbox:
        found.add("outbox_backlog")
    disk = data.get("disk_free_mb")
    if disk is not None and disk < limits.disk_mb:
        found.add("disk_low")
    offset = data.get("clock_offset_s")
    if offset is not None and abs(offset) >= limits.clock_s:
        found.add("clock_off")
    return [code for code in PROBLEM_ORDER if code in found]
