"""Use case: a resident takes a queue number for a service.

The ticket is returned only after its row and outbox op are committed; callers show or print it
only then. Every refusal is a typed exception whose message names what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Protocol

from kiosk.domain.catalogue import Catalogue
from kiosk.domain.hours import OpeningPeriod, StationClosed, is_open
from kiosk.domain.numbering import NumberingScheme, business_date
from kiosk.domain.tickets import Priority, Ticket
from kiosk.domain.errors import Kind, KioskError


class UnknownService(KioskError):
    kind = Kind.UNKNOWN_SERVICE

    def __init__(self, code: str, known: list[str]):
        super().__init__(f"unknown service code {code!r}; known codes: {', '.join(known)}")
        self.code = code


class TicketStore(Protocol):
    def issue_ticket(self, **fields) -> Ticket: ...


@dataclass(frozen=True)
class IssueRequest:
    service_code: str
    priority: Priority = Priority.NORMAL
    assistance: bool = False
    id_digest: str | None = None
    id_masked: str | None = None


@dataclass(frozen=True)
class IssuePolicy:
    station_id: str
    scheme: NumberingScheme
    rollover_hour: int
    check_opening_hours: bool


def issue_ticket(store: TicketStore, catalogue: Catalogue, policy: IssuePolicy,
                 request: IssueRequest, clock: Callable[[], datetime]) -> Ticket:
    service = catalogue.queue_item(request.service_code)
    if service is None:
        raise UnknownService(request.service_code, [s.code for s in catalogue.services]
                             + [b["code"] for b in catalogue.bundles])
    now = clock()
    station = catalogue.station(policy.station_id)
    if policy.check_opening_hours and station is not None:
        periods = [OpeningPeriod.parse(spec) for spec in station.hours]
        if not is_open(periods, now):
            raise StationClosed(station.name, station.hours_text())
    return store.issue_ticket(
        scheme=policy.scheme, station_id=policy.station_id, service_code=service.code,
        prefix=service.prefix, now=now, day=business_date(now, policy.rollover_hour),
        priority=request.priority, assistance=request.assistance,
        bundle_code=service.code if catalogue.bundle(service.code) else None,
        id_digest=request.id_digest, id_masked=request.id_masked)
