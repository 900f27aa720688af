"""The heartbeat (this project's extension, docs/fleet-health.md): what a kiosk or a station service
says about itself in every sync round, at most once a minute unless something in it changed.

``POST /v1/kiosks/{kiosk_id}/heartbeat`` (signed, own path; a station may relay its kiosks') with

    {"at": "2026-11-21T09:30:00+08:00", "app_version": "1.4.0", "catalogue_version": 12,
     "last_sync_at": "2026-11-21T09:29:58+08:00", "outbox": 0, "dead_letters": 0,
     "printer": "ok", "reader": "ok", "disk_free_mb": 5120, "clock_offset_s": -0.4}

Standard library only: the client builds it, the servers check it with ``check_heartbeat``.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

PRINTER_STATES = ("ok", "paper_near_end", "paper_out", "cover_open", "offline", "absent", "unknown")
READER_STATES = ("ok", "offline", "absent", "unknown")
HEARTBEAT_FIELDS = ("at", "app_version", "catalogue_version", "last_sync_at", "outbox", "dead_letters",
                    "printer", "reader", "disk_free_mb", "clock_offset_s")
CATALOGUE_VERSION_KEY = "catalogue_version"  # the config item whose value the device reports
HEARTBEAT_EVERY_S = 60.0  # at most this often, unless what it reports changed
MAX_COUNT = 10_000_000
MAX_OFFSET_S = 10 * 365 * 86400.0


class HeartbeatError(ValueError):
    """The body is not a heartbeat; the message names the field."""


def _time(value: Any, name: str, nullable: bool) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not 19 <= len(value) <= 40 or value[10:11] not in ("T", "t", " "):
        raise HeartbeatError(f"{name} must be an RFC 3339 time with offset" + (" or null" if nullable else ""))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise HeartbeatError(f"{name} must be an RFC 3339 time with offset") from None
    if parsed.tzinfo is None:
        raise HeartbeatError(f"{name} must carry a UTC offset")
    return value


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise HeartbeatError(f"{name} must be an integer 0..{MAX_COUNT}")
    return value


def _nullable_number(value: Any, name: str, low: float, high: float) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise HeartbeatError(f"{name} must be a number {low:g}..{high:g} or null")
    return value


def _state(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise HeartbeatError(f"{name} must be one of {', '.join(allowed)}")
    return value


def check_heartbeat(value: Any) -> dict[str, Any]:
    """The heartbeat with every field present (missing optional ones as null), or HeartbeatError."""
    if not isinstance(value, dict):
        raise HeartbeatError("body must be a JSON object")
    unknown = sorted(set(value) - set(HEARTBEAT_FIELDS))
    if unknown:
        raise HeartbeatError(f"unknown field {unknown[0][:40]!r}")
    for name in ("at", "app_version", "outbox", "dead_letters", "printer", "reader"):
        if name not in value:
            raise HeartbeatError(f"{name} is required")
    version = value["app_version"]
    if not isinstance(version, str) or not 1 <= len(version) <= 64 or not version.isprintable():
        raise HeartbeatError("app_version must be 1..64 printable characters")
    catalogue = value.get("catalogue_version")
    if catalogue is not None and (isinstance(catalogue, bool) or not isinstance(catalogue, int)
                                  or not 0 <= catalogue < 2 ** 63):
        raise HeartbeatError("catalogue_version must be a non-negative integer or null")
    return {
        "at": _time(value["at"], "at", False),
        "app_version": version,
        "catalogue_version": catalogue,
        "last_sync_at": _time(value.get("last_sync_at"), "last_sync_at", True),
        "outbox": _count(value["outbox"], "outbox"),
        "dead_letters": _count(value["dead_letters"], "dead_letters"),
        "printer": _state(value["printer"], "printer", PRINTER_STATES),
        "reader": _state(value["reader"], "reader", READER_STATES),
        "disk_free_mb": _nullable_number(value.get("disk_free_mb"), "disk_free_mb", 0, 1e12),
        "clock_offset_s": _nullable_number(value.get("clock_offset_s"), "clock_offset_s", -MAX_OFFSET_S, MAX_OFFSET_S),
    }


def printer_state(online: bool | None, paper: str, cover_open: bool | None, error: bool | None) -> str:
    """A printer's DLE EOT status (drivers.printer.status.PrinterStatus's fields) in one word."""
    if online is None and paper == "unknown":
        return "unknown"
    if cover_open:
        return "cover_open"
    if paper == "out":
        return "paper_out"
    if online is False or error:
        return "offline"
    if paper == "near_end":
        return "paper_near_end"
    return "ok"


__all__ = ["CATALOGUE_VERSION_KEY", "HEARTBEAT_EVERY_S", "HEARTBEAT_FIELDS", "HeartbeatError", "PRINTER_STATES",
           "READER_STATES", "check_heartbeat", "printer_state"]
