"""The store worker: owns the local store on its own thread, so no commit blocks the UI.

A ticket is announced (`ticket_issued`) only after it is committed. The counters change the
queue from another process (`kiosk counter-service`), so the worker also looks at the queue on a
timer: waiting counts and estimates, tickets just served (the kiosk invites their rating), and
once a day the previous days' one-hour figures, recorded as synced events.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.domain.ratings import SERVED_INVITE_WINDOW
from kiosk.services.issue_ticket import IssuePolicy, IssueRequest, issue_ticket

log = logging.getLogger(__name__)

ONE_HOUR_DAYS_BACK = 7  # a kiosk switched off for a few days still records those days' figures

# What a refusal is called in signals: the UI words it for residents.
FAILURE_KINDS = {
    "UnknownService": "unknown_service",
    "StationClosed": "station_closed",
    "NumberBlockExhausted": "numbers_exhausted",
    "StoreUnavailable": "store_unavailable",
    "CatalogueFileError": "store_unavailable",
    "AlreadyRated": "already_rated",
    "RatingInvalid": "invalid_rating",
}


def failure_kind(exc: BaseException) -> str:
    return FAILURE_KINDS.get(type(exc).__name__, "internal_error")


class StoreWorker(QObject):
    store_opened = Signal(object, dict)  # Catalogue, waiting counts per service code
    store_failed = Signal(str, str)  # kind, detail
    ticket_issued = Signal(object)  # Ticket, committed
    issue_failed = Signal(str, str)  # kind, detail
    waiting_counts_changed = Signal(dict)
    event_recorded = Signal(str, dict)  # type, detail
    ticket_found = Signal(object)  # summary dict, or None when no such number today
    rating_saved = Signal(str)  # rating_id, committed with its outbox op
    rating_failed = Signal(str, str)  # kind, detail
    technician_status_loaded = Signal(dict)
    wait_estimates_changed = Signal(dict)  # service code -> minutes, from today's measured service times
    tickets_served = Signal(list)  # summaries of tickets the counters marked done since the last look
    resident_tickets_found = Signal(list)  # today's tickets of the ID card on the reader, newest first

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
            self.store_failed.emit(failure_kind(exc), str(exc))
            return
        self.store_opened.emit(self._catalogue, counts)
        self._served_since = self._clock() - SERVED_INVITE_WINDOW
        self._timer = QTimer(self, interval=self._queue_refresh_ms, timeout=self.look_at_queue)
        self._timer.start()
        self.look_at_queue()

    @Slot(object)
    def issue(self, request: IssueRequest) -> None:
        if self._store is None:
            self.issue_failed.emit("store_unavailable", "the local store is not open")
            return
        try:
            ticket = issue_ticket(self._store, self._catalogue, self._policy, request, self._clock)
        except Exception as exc:
            log.warning("ticket refused for %s: %s", request.service_code, exc)
            self.issue_failed.emit(failure_kind(exc), str(exc))
            return
        self.ticket_issued.emit(ticket)
        self._emit_queue()

    @Slot()
    def look_at_queue(self) -> None:
        """The timer's look at what the counters changed: counts, estimates, served, daily figures."""
        if self._store is None:
            return
        self._emit_queue()
        self._emit_served()
        self._record_one_hour_rule()

    def _emit_queue(self) -> None:
        day = self._today()
        try:
            counts = self._store.waiting_counts(self._policy.station_id, day)
            estimates = self._store.wait_estimates(day)
        except Exception as exc:
            log.warning("waiting counts unavailable: %s", exc)
            return
        self.waiting_counts_changed.emit(counts)
        self.wait_estimates_changed.emit(estimates)

    def _emit_served(self) -> None:
        try:
            served = self._store.recently_served(self._served_since)
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

    @Slot(str, str)
    def lookup_resident_tickets(self, id_digest: str, id_masked: str) -> None:
        """Today's tickets of the card on the reader, for the rating screen ("" digest: none kept)."""
        try:
            found = self._store.tickets_of_resident(self._today(), id_digest=id_digest or None, id_masked=id_masked,
                                                    station_id=self._policy.station_id)
        except Exception as exc:
            log.warning("resident's tickets unavailable: %s", type(exc).__name__)
            found = []
        self.resident_tickets_found.emit(found)

    @Slot(str)
    def lookup_ticket(self, number: str) -> None:
        """Today's ticket with this number, for the rating screen (None when there is none)."""
        try:
            found = self._store.find_ticket(number, self._today(), self._policy.station_id)
        except Exception as exc:
            log.warning("ticket lookup failed: %s", exc)
            found = None
        self.ticket_found.emit(found)

    @Slot(object)
    def rate(self, request) -> None:
        from kiosk.services.rate import rate_ticket

        try:
            rating = rate_ticket(self._store, request, self._clock, known_reasons=self._catalogue.rating_reasons)
        except Exception as exc:
            log.info("rating refused: %s", type(exc).__name__)
            self.rating_failed.emit(failure_kind(exc), str(exc))
            return
        self.rating_saved.emit(rating.rating_id)

    @Slot()
    def load_technician_status(self) -> None:
        try:
            status = self._store.technician_status(self._today())
        except Exception as exc:
            log.error("technician status unavailable: %s", exc)
            status = {"pending": "?", "dead_letters": [], "events": [], "tickets_today": "?"}
        self.technician_status_loaded.emit(status)

    @Slot(str, dict)
    def record_event(self, event_type: str, detail: dict) -> None:
        """Keep a device or assistance event for the technician screen and the district."""
        if self._store is None:
            log.warning("event %s not recorded: the store is not open", event_type)
            return
        try:
            self._store.record_event(event_type, detail, self._clock())
        except Exception as exc:
            log.error("event %s not recorded: %s", event_type, exc)
            return
        self.event_recorded.emit(event_type, detail)

    @Slot()
    def close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._store is not None:
            self._store.close()
            self._store = None
