"""The residents' and technicians' actions on the store: operations run on the store worker's thread.

Each returns an operation for `WorkerOp(bridge.store, op)`; what it returns is the result the UI
gets, what it raises reaches the failure callback as a kind. Lookups that the UI shows as
"nothing found" answer with an empty result instead of failing, as the screens expect.
"""

from __future__ import annotations

import dataclasses
import logging

from kiosk.domain.errors import KioskError
from kiosk.services.issue_ticket import IssueRequest, issue_ticket
from kiosk.services.queue_figures import people_ahead

log = logging.getLogger(__name__)


class NotEnrolled(KioskError):
    """The kiosk has no sync server to ask (the rating check)."""

    kind = "not_enrolled"


EMPTY_TECHNICIAN_STATUS = {"pending": "?", "dead_letters": [], "events": [], "tickets_today": "?"}


def issue(request: IssueRequest):
    """Commit a ticket (and its outbox op); the result is the Ticket, with the people ahead of it
    as the station's fresh queue view counts them behind a station (else as the store counted)."""
    def op(worker):
        try:
            ticket = issue_ticket(worker.store, worker.catalogue, worker.policy, request, worker.now)
        except Exception as exc:
            log.warning("ticket refused for %s: %s", request.service_code, exc)
            raise
        worker.ticket_issued.emit(ticket)
        try:
            ticket = dataclasses.replace(ticket, waiting_ahead=people_ahead(worker.store, ticket, worker.now()))
        except Exception as exc:  # the ticket is committed: show it with the store's count
            log.warning("station's count of people ahead unavailable: %s", exc)
        worker.queue_changed()
        return ticket
    return op


def rate(request):
    """Commit a rating with its outbox op; the result is the rating id."""
    def op(worker):
        from kiosk.services.rate import rate_ticket

        rating = rate_ticket(worker.store, request, worker.now, known_reasons=worker.catalogue.rating_reasons)
        worker.rating_saved.emit(rating.rating_id)
        return rating.rating_id
    return op


def check_rating_locally(number: str, holder: dict):
    """The rating rule as far as the kiosk's own store knows today's ticket with this number
    (kiosk.store.ratings.check_locally): {"known", "refusal", "ticket"}; unknown when it fails."""
    def op(worker):
        try:
            return worker.store.check_rating_locally(number, worker.today(), worker.station_id, holder, worker.now())
        except Exception as exc:
            log.warning("local rating check failed: %s", type(exc).__name__)
            return {"known": False, "refusal": None, "ticket": None}
    return op


def no_server():
    """A kiosk without a sync server has nobody to ask: the rating check fails at once."""
    def op(_worker):
        raise NotEnrolled("this kiosk has no sync server to check ratings with")
    return op


def resident_tickets(id_digest: str, id_masked: str):
    """Today's tickets of the card on the reader, newest first ("" digest: none kept)."""
    def op(worker):
        try:
            return worker.store.tickets_of_resident(worker.today(), id_digest=id_digest or None,
                                                    id_masked=id_masked, station_id=worker.station_id)
        except Exception as exc:
            log.warning("resident's tickets unavailable: %s", type(exc).__name__)
            return []
    return op


def technician_status():
    def op(worker):
        try:
            return worker.store.technician_status(worker.today())
        except Exception as exc:
            log.error("technician status unavailable: %s", exc)
            return dict(EMPTY_TECHNICIAN_STATUS)
    return op


def record_event(event_type: str, detail: dict):
    """Keep a device or assistance event for the technician screen and the district."""
    def op(worker):
        try:
            worker.store.record_event(event_type, detail, worker.now())
        except Exception as exc:
            log.error("event %s not recorded: %s", event_type, exc)
            raise
        worker.event_recorded.emit(event_type, detail)
        return event_type
    return op


def look_at_queue():
    """Look at what the counters changed now, not at the next tick."""
    def op(worker):
        worker.look_at_queue()
    return op
