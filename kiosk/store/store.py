"""The local store as the services see it: one object over one SQLite connection.

Used by one thread at a time (the store worker, or the command line). Database faults (disk
full, read-only directory, corrupt file) surface as StoreUnavailable with the reason.
"""

from __future__ import annotations

import functools
import sqlite3
from datetime import date
from pathlib import Path

from kiosk.store import catalogue as catalogue_rows
from kiosk.store import events as event_rows
from kiosk.store import outbox as outbox_rows
from kiosk.store import ratings as rating_rows
from kiosk.store import tickets as ticket_rows
from kiosk.store.engine import StoreUnavailable, connect


def _guarded(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"local store {self.path}: {exc}") from None
    return wrapper


class Store:
    def __init__(self, path: Path):
        self.path = path
        self.db = connect(path)

    def close(self) -> None:
        self.db.close()

    @_guarded
    def seed_catalogue(self, catalogue_file: Path) -> bool:
        return catalogue_rows.seed_if_empty(self.db, catalogue_file)

    @_guarded
    def catalogue(self):
        return catalogue_rows.load_catalogue(self.db)

    @_guarded
    def issue_ticket(self, **fields):
        return ticket_rows.issue(self.db, **fields)

    @_guarded
    def tickets_of_day(self, day: date) -> list[dict]:
        return ticket_rows.list_day(self.db, day)

    @_guarded
    def waiting_counts(self, station_id: str, day: date) -> dict[str, int]:
        return ticket_rows.waiting_counts(self.db, station_id, day)

    @_guarded
    def record_event(self, event_type: str, detail: dict, at) -> str:
        return event_rows.record(self.db, event_type, detail, at)

    @_guarded
    def recent_events(self, limit: int = 20) -> list[dict]:
        return event_rows.recent(self.db, limit)

    @_guarded
    def rate(self, **fields):
        return rating_rows.rate(self.db, **fields)

    @_guarded
    def find_ticket(self, number: str, business_date, station_id: str | None = None) -> dict | None:
        return rating_rows.find_ticket(self.db, number, business_date, station_id)

    @_guarded
    def technician_status(self, day: date) -> dict:
        return {"pending": outbox_rows.pending_count(self.db), "dead_letters": outbox_rows.dead_letters(self.db),
                "events": event_rows.recent(self.db),
                "tickets_today": len(ticket_rows.list_day(self.db, day))}
