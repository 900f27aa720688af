"""The local store as the services see it: one object over one SQLite connection.

Used by one thread at a time (the store worker, or the command line). Database faults (disk
full, read-only directory, corrupt file) surface as StoreUnavailable with the reason.
"""

from __future__ import annotations

import functools
import sqlite3
from datetime import date, datetime
from pathlib import Path

from kiosk.store import catalogue as catalogue_rows
from kiosk.store import continuity
from kiosk.store import events as event_rows
from kiosk.store import outbox as outbox_rows
from kiosk.store import queue_statistics, queue_views
from kiosk.store import ratings as rating_rows
from kiosk.store import tickets as ticket_rows
from kiosk.store.engine import StoreUnavailable, connect
from kiosk.store.sync_store import station_queue_view
from kiosk.store.private_files import private_dir, private_file
from kiosk.store.ticket_records import TicketRow


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
        """Open the store at ``path``; StoreLost when it is missing, empty, replaced or behind the
        numbers this kiosk issued (kiosk/store/continuity.py)."""
        self.path = path
        log = continuity.before_open(path)
        try:
            private_dir(path.parent)
            private_file(path)  # SQLite gives its -wal and -shm files the mode of this one
        except OSError as exc:
            raise StoreUnavailable(f"store {path} cannot be created: {exc.strerror}") from None
        self.db = connect(path)
        try:
            continuity.after_open(self.db, path, log)
        except BaseException as exc:
            self.db.close()
            if isinstance(exc, sqlite3.Error):
                raise StoreUnavailable(f"local store {path}: {exc}") from None
            raise

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
        """The ticket, committed and written to kiosk.issued.log: only then may its number be shown."""
        ticket, op_seq = ticket_rows.issue_with_op_seq(self.db, **fields)
        queue = ticket.number.rstrip("0123456789")  # the prefix, and the kiosk's letter in letter mode
        continuity.record_issued(self.path, op_seq, ticket.business_date.isoformat(), queue, ticket.seq)
        return ticket

    @_guarded
    def day_tickets(self, day: date) -> list[TicketRow]:
        """The tickets of one business day, in the order they were issued."""
        return ticket_rows.list_day(self.db, day)

    def tickets_of_day(self, day: date) -> list[dict]:
        """`day_tickets` as `kiosk ticket list --json` prints them."""
        return [ticket.listing() for ticket in self.day_tickets(day)]

    @_guarded
    def waiting_counts(self, station_id: str, day: date) -> dict[str, int]:
        return queue_statistics.waiting_per_service(self.db, day, station_id)

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
    def tickets_of_resident(self, business_date, *, id_digest: str | None, id_masked: str,
                            station_id: str | None = None) -> list[dict]:
        return rating_rows.tickets_of_resident(self.db, business_date, id_digest=id_digest, id_masked=id_masked,
                                               station_id=station_id)

    @_guarded
    def wait_estimates(self, day: date) -> dict[str, int]:
        return queue_statistics.wait_estimates(self.db, day)

    @_guarded
    def station_queue_view(self) -> dict | None:
        """Behind a station service: its queue view as the sync worker last kept it (None: no station)."""
        return station_queue_view(self.db)

    @_guarded
    def issued_since(self, station_id: str, day: date, since: datetime, exclude: str | None = None) -> dict[str, int]:
        return queue_statistics.issued_since(self.db, day, since, station_id, exclude)

    @_guarded
    def check_rating_locally(self, number: str, business_date, station_id: str, holder: dict, now: datetime) -> dict:
        return rating_rows.check_locally(self.db, number, business_date, station_id, holder, now)

    @_guarded
    def recently_served(self, since: str | datetime) -> list[dict]:
        return queue_views.recently_served(self.db, since)

    @_guarded
    def record_one_hour_rule(self, day: date, now: datetime) -> dict | None:
        """The day's one-hour figure as a synced event, once; None when recorded already, no ticket
        that day, or the kiosk is behind a station service (its tickets are served there, and the
        station records the figures)."""
        if station_queue_view(self.db) is not None:
            return None
        if not self.db.execute("SELECT 1 FROM tickets WHERE business_date = ? LIMIT 1", (day.isoformat(),)).fetchone():
            return None
        return queue_statistics.record_one_hour_rule(self.db, day, now)

    @_guarded
    def technician_status(self, day: date) -> dict:
        tickets_today = self.db.execute("SELECT count(*) FROM tickets WHERE business_date = ?",
                                        (day.isoformat(),)).fetchone()[0]
        return {"pending": outbox_rows.pending_count(self.db), "dead_letters": outbox_rows.dead_letters(self.db),
                "events": event_rows.recent(self.db), "tickets_today": tickets_today,
                "one_hour_today": queue_statistics.one_hour_rule(self.db, day),
                "one_hour_recorded": queue_statistics.recorded_one_hour_rules(self.db, limit=7),
                "catalogue_version": catalogue_rows.catalogue_version(self.db)}
