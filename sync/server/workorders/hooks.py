"""The district's hooks: the server's (sync.server.hooks) plus the work order of every poor rating.
A station service passes hooks of its own and opens none (its ratings reach the district)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sync.server.hooks import ServerHooks
from sync.server.workorders.opening import open_for_ratings


class DistrictHooks(ServerHooks):
    def ratings_stored(self, session: Session, rows: list[dict[str, Any]], now: float) -> None:
        open_for_ratings(session, rows, now)
