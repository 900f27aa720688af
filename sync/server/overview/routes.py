"""/console/api/overview, /console/api/map, /console/api/stations/{id} and the exports (docs/console-overview.md)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def add_overview_routes(app: FastAPI, state: Any) -> None:
    """Register the overview's, the map's and the station page's API."""
