"""The heartbeat endpoint and the console's fleet API (docs/fleet-health.md)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def add_fleet_routes(app: FastAPI, state: Any, signed: Any) -> None:
    """Register POST /v1/kiosks/{kiosk_id}/heartbeat (signed with `signed`) and /console/api/fleet."""
