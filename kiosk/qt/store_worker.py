"""The store worker: owns the local store on its own thread, so no commit blocks the UI.

The residents' actions reach the store as operations (kiosk/qt/store_ops.py) run here. A ticket is
announced (`ticket_issued`, which the sync worker follows) only after it is committed. The counters change the
queue from another process (`kiosk counter-service`), so the worker also looks at the queue on a
timer: waiting counts and estimates, tickets just served (the kiosk invites their rating), and
once a day the previous days' one-hour figures, recorded as synced events. Behind a station
service the counts, estimates and tickets served come from the station's queue view while it is
fresh (kiosk/services/queue_figures.py); the sync worker keeps it and says when it changed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Callable

from PySide6.QtCore import QTimer, Signal, Slot

from kiosk.domain.errors import Kind, KioskError, kind_of
from kiosk.domain.ratings import SERVED_INVITE_WINDOW
from kiosk.qt.operations import OperationWorker
from kiosk.services.issue_ticket import IssuePolicy
from kiosk.services.queue_figures import queue_figures

log = logging.getLogger(__name__)

ONE_HOUR_DAYS_BACK = 7  # a kiosk switched off for a few days still records those days' figures

class StoreNotOpen(KioskError):
    """An operation came before the store opened, or after it failed to."""

    kind = Kind.STORE_UNAVAILABLE


class StoreWorker(OperationWorker):
    store_opened = Signal(object, dict)  # Catalogue, waiting counts per service code
    catalogue_changed = Signal(object, dict)  # a sync brought a new catalogue: Catalogue, waiting counts
    store_failed = Signal(str, str)  # kind, detail
    ticket_issued = Signal(object)  # Ticket, committed
    waiting_counts_changed = Signal(dict)
    event_recorded = Signal(str, dict)  # type, detail
    rating_saved = Signal(str)  # rating_id, committed with its outbox op
    wait_estimates_changed = Signal(dict)  # service code -> minutes, from today's measured service times
    tickets_served = Signal(list)  # summaries of tickets the counters marked done since the last look

    def __init__(self, open_store: Callable[[], object], policy: IssuePolicy, clock, today,
                 queue_refresh_s: float = 15.0):
        super().__init__()
        self._open_store = open_store
        self._policy = policy
        self._clock = clock
        self._today = today
        self._store = None
        self._catalogue = None
        self._queue_refresh_ms = int(queue_refresh_s * 1000)
        self._timer: QTimer | None = None
        self._served_since = None
        self._served_seen: set[str] = set()
        self._one_hour_checked = None

    @Slot()
    def open(self) -> None:
        try:
            self._store = self._open_store()
            self._catalogue = self._store.catalogue()
            counts = self._store.waiting_counts(self._policy.station_id, self._today())
        except Exception as exc:
            log.error("store cannot be opened: %s", exc)
            self.store_failed.emit(kind_of(exc), str(exc))
            return
        self.store_opened.emit(self._catalogue, counts)
        self._served_since = self._clock() - SERVED_INVITE_WINDOW
        self._timer = QTimer(self, interval=self._queue_refresh_ms, timeout=self.look_at_queue)
        self._timer.start()
        self.look_at_queue()

    @Slot(dict)
    def reload_catalogue(self, summary: dict) -> None:
        """After a sync run that pulled changes: read the catalogue again and, when it differs, hand it
        to the screens (a guide published at the district shows without a restart)."""
        if self._store is None or not summary.get("pulled"):
            return
        try:
            catalogue = self._store.catalogue()
            if catalogue == self._catalogue:
                return
            counts = self._store.waiting_counts(self._policy.station_id, self._today())
        except Exception as exc:  # the catalogue in use stays; the next sync run tries again
            log.warning("catalogue not reloaded after sync: %s", exc)
            return
        self._catalogue = catalogue
        self.catalogue_changed.emit(catalogue, counts)

    # -- what operations use (on this worker's thread) ---------------------------------------------

    @property
    def store(self):
        if self._store is None:
            raise StoreNotOpen("the local store is not open")
        return self._store

    @property
    def catalogue(self):
        return self._catalogue

    @property
    def policy(self) -> IssuePolicy:
        return self._policy

    @property
    def station_id(self) -> str:
        return self._policy.station_id

    def now(self):
        return self._clock()

    def today(self):
        return self._today()

    def queue_changed(self) -> None:
        """After a write that changes the queue: counts and estimates now, not at the next tick."""
        self._emit_queue()

    @Slot()
    def look_at_queue(self) -> None:
        """The timer's look at what the counters changed: counts, estimates, served, daily figures."""
        if self._store is None:
            return
        figures = self._emit_queue()
        self._emit_served(None if figures is None else figures.served)
        self._record_one_hour_rule()

    def _emit_queue(self):
        try:
            figures = queue_figures(self._store, self._policy.station_id, self._today(), self._clock())
        except Exception as exc:
            log.warning("waiting counts unavailable: %s", exc)
            return None
        self.waiting_counts_changed.emit(figures.counts)
        self.wait_estimates_changed.emit(figures.estimates)
        return figures

    def _emit_served(self, station_served: list[dict] | None) -> None:
        """Tickets served since the last look: the station's view's when fresh, else the store's."""
        since = self._served_since
        since = since.isoformat(timespec="seconds") if isinstance(since, datetime) else since
        try:
            served = self._store.recently_served(self._served_since) if station_served is None else sorted(
                (s for s in station_served if s["served_at"] >= since), key=lambda s: (s["served_at"], s["ticket_id"]))
        except Exception as exc:
            log.warning("served tickets unavailable: %s", exc)
            return
        fresh = [ticket for ticket in served if ticket["ticket_id"] not in self._served_seen]
        if served:  # times are to the second: keep the last second, skip what was seen in it
            last = served[-1]["served_at"]
            self._served_seen = {t["ticket_id"] for t in served if t["served_at"] == last}
            self._served_since = last
        if fresh:
            self.tickets_served.emit(fresh)

    def _record_one_hour_rule(self) -> None:
        """Once per business day: the past days' share of tickets called within the hour, as events."""
        today = self._today()
        if self._one_hour_checked == today:
            return
        try:
            for back in range(ONE_HOUR_DAYS_BACK, 0, -1):
                figures = self._store.record_one_hour_rule(today - timedelta(days=back), self._clock())
                if figures is not None:
                    log.info("one-hour rule for %s: %s of %s within the hour", figures["business_date"],
                             figures["within_hour"], figures["served"])
                    self.event_recorded.emit("one_hour_rule_daily", figures)
        except Exception as exc:
            log.warning("one-hour figures not recorded: %s", exc)
            return
        self._one_hour_checked = today

    @Slot()
    def close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._store is not None:
            self._store.close()
            self._store = None
