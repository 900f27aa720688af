"""The store worker: owns the local store on its own thread, so no commit blocks the UI.

A ticket is announced (`ticket_issued`) only after it is committed.
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.services.issue_ticket import IssuePolicy, IssueRequest, issue_ticket

log = logging.getLogger(__name__)

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

    def __init__(self, open_store: Callable[[], object], policy: IssuePolicy, clock, today):
        super().__init__()
        self._open_store = open_store
        self._policy = policy
        self._clock = clock
        self._today = today
        self._store = None
        self._catalogue = None

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
        try:
            self.waiting_counts_changed.emit(self._store.waiting_counts(self._policy.station_id, self._today()))
        except Exception as exc:
            log.warning("waiting counts unavailable: %s", exc)

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
        if self._store is not None:
            self._store.close()
            self._store = None
