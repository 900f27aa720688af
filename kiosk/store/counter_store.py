"""The local store as the station's queue service sees it: one object over one SQLite connection.

The queue service (kiosk.counter) runs beside the kiosk on the same store file; each request and
the display watcher open a `CounterStore` of their own (sqlite3 connections stay on their
thread) and close it when done. Every change is one write transaction of calls.py.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

from kiosk.domain.calling import CallRatio
from kiosk.store import calls, queue_statistics, queue_views, window_ratings
from kiosk.store import station_settings as settings
from kiosk.store.engine import connect
from kiosk.store.queue_views import WaitingTicket
from kiosk.store.ticket_records import TicketRow

CallRefused = calls.CallRefused


class CounterStore:
    def __init__(self, db: sqlite3.Connection):
        self._db = db

    @classmethod
    def open(cls, path: Path) -> "CounterStore":
        """A connection of its own on the store at ``path`` (migrated if it is behind)."""
        return cls(connect(path))

    def close(self) -> None:
        self._db.close()

    def data_version(self) -> int:
        """Changes whenever another connection commits (PRAGMA data_version)."""
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    # the station -----------------------------------------------------------------------------
    def service_names(self) -> dict[str, str]:
        """code -> name, in catalogue order."""
        return dict(self._db.execute("SELECT code, name FROM services ORDER BY position"))

    def counters(self) -> dict[str, dict]:
        """counter_id -> {"name", "pin_hash", "services"}."""
        return settings.counters(self._db)

    def counter_state(self, counter_id: str) -> dict:
        """{"current": ticket_id or None, "paused"}."""
        return settings.counter_state(self._db, counter_id)

    def call_ratio(self, default: CallRatio = CallRatio()) -> CallRatio:
        return settings.call_ratio(self._db, default)

    # counter commands ------------------------------------------------------------------------
    def call_next(self, counter: dict, *, now: datetime, day: date, ratio: CallRatio = CallRatio()) -> TicketRow | None:
        return calls.call_next(self._db, counter, now=now, day=day, ratio=ratio)

    def call_number(self, counter: dict, number: str, *, now: datetime, day: date) -> TicketRow:
        return calls.call_number(self._db, counter, number, now=now, day=day)

    def recall(self, counter: dict, *, now: datetime) -> TicketRow:
        return calls.recall(self._db, counter, now=now)

    def start_serving(self, counter: dict, *, now: datetime) -> TicketRow:
        return calls.start_serving(self._db, counter, now=now)

    def mark_done(self, counter: dict, *, now: datetime) -> TicketRow:
        return calls.mark_done(self._db, counter, now=now)

    def mark_no_show(self, counter: dict, *, now: datetime) -> TicketRow:
        return calls.mark_no_show(self._db, counter, now=now)

    def transfer(self, counter: dict, *, now: datetime, to_service: str | None = None,
                 to_counter: str | None = None) -> TicketRow:
        return calls.transfer(self._db, counter, now=now, to_service=to_service, to_counter=to_counter)

    def set_paused(self, counter_id: str, paused: bool) -> dict:
        return calls.set_paused(self._db, counter_id, paused)

    def current_ticket(self, counter_id: str) -> TicketRow | None:
        return calls.current_ticket(self._db, counter_id)

    # 帮办代办 ---------------------------------------------------------------------------------
    def receive_assistance(self, counter: dict, request_id: str, *, now: datetime) -> dict:
        return calls.receive_assistance(self._db, counter, request_id, now=now)

    def finish_assistance(self, counter: dict, request_id: str, *, now: datetime) -> dict:
        return calls.finish_assistance(self._db, counter, request_id, now=now)

    # the window rating pad -------------------------------------------------------------------
    def pad_offer(self, counter_id: str, *, now: datetime, day: date) -> TicketRow | None:
        return window_ratings.offered(self._db, counter_id, now=now, day=day)

    def rating_reasons(self) -> list[dict]:
        return window_ratings.reasons(self._db)

    def rate_at_window(self, counter: dict, *, level: int, reasons: list[str], now: datetime, day: date,
                       ticket_id: str | None = None) -> dict:
        return window_ratings.rate(self._db, counter, level=level, reasons=reasons, now=now, day=day,
                                   ticket_id=ticket_id)

    # the queue -------------------------------------------------------------------------------
    def waiting(self, day: date, now: datetime) -> list[WaitingTicket]:
        return queue_views.waiting(self._db, day, now)

    def last_calls(self, day: date, limit: int = 8) -> list[dict]:
        return queue_views.last_calls(self._db, day, limit)

    def assistance(self, day: date) -> dict:
        return queue_views.assistance(self._db, day)

    def activity_mark(self) -> str:
        return queue_views.activity_mark(self._db)

    def recently_served(self, since: str | datetime) -> list[dict]:
        return queue_views.recently_served(self._db, since)

    def estimate_wait(self, service_code: str, day: date, now: datetime) -> int:
        return queue_statistics.estimate_wait(self._db, service_code, day, now)

    def one_hour_rule(self, day: date) -> dict:
        return queue_statistics.one_hour_rule(self._db, day)
