"""/console/api/publish: catalogue items edited, previewed and published (docs/publishing.md)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def add_publishing_routes(app: FastAPI, state: Any) -> None:
    """Register the publishing API."""
