"""The local store as the services see it: one object over the SQLite engine.

Database faults (disk full, read-only directory, corrupt file) surface as StoreUnavailable with
the reason, never as SQLAlchemy exceptions.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kiosk.store import catalogue as catalogue_rows
from kiosk.store import tickets as ticket_rows
from kiosk.store.engine import StoreUnavailable, _reason, open_engine


def _guarded(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except SQLAlchemyError as exc:
            raise StoreUnavailable(f"local store {self.path}: {_reason(exc)}") from None
    return wrapper


class Store:
    def __init__(self, path: Path):
        self.path = path
        self.engine = open_engine(path)

    def close(self) -> None:
        self.engine.dispose()

    @_guarded
    def seed_catalogue(self, catalogue_file: Path) -> bool:
        return catalogue_rows.seed_if_empty(self.engine, catalogue_file)

    @_guarded
    def catalogue(self):
        return catalogue_rows.load_catalogue(self.engine)

    @_guarded
    def issue_ticket(self, **fields):
        return ticket_rows.issue(self.engine, **fields)

    @_guarded
    def tickets_of_day(self, day: date) -> list[dict]:
        return ticket_rows.list_day(self.engine, day)

    @_guarded
    def waiting_counts(self, station_id: str, day: date) -> dict[str, int]:
        return ticket_rows.waiting_counts(self.engine, station_id, day)
