"""Use case: the queue figures a kiosk shows (people waiting, estimated wait, tickets just served).

Behind a station service the station owns the queue: the counters change statuses there, and this
kiosk's own store keeps the tickets it issued as waiting forever. So where the station's queue view
(kept by the sync worker: {"station_id", "at", "business_date", "waiting", "estimates", "served"})
is fresh, at most ``STATION_VIEW_MAX_AGE`` old by its "at", the figures are the view's plus this
kiosk's own tickets issued since "at" (the view cannot count them yet). Otherwise, and on a kiosk
without a station, they are the local store's, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

STATION_VIEW_MAX_AGE = timedelta(minutes=2)


class QueueStore(Protocol):
    def station_queue_view(self) -> dict | None: ...
    def issued_since(self, station_id: str, day: date, since: datetime, exclude: str | None = None) -> dict[str, int]: ...
    def waiting_counts(self, station_id: str, day: date) -> dict[str, int]: ...
    def wait_estimates(self, day: date) -> dict[str, int]: ...


@dataclass(frozen=True)
class QueueFigures:
    counts: dict[str, int]  # waiting tickets per service code
    estimates: dict[str, int]  # minutes of waiting per service code
    served: list[dict] | None  # tickets just served (the station's view); None: ask the local store
    source: str  # "station" or "local"


def view_time(view: dict, now: datetime) -> datetime | None:
    """The view's "at" as an aware time (a naive one is taken in ``now``'s zone), or None."""
    try:
        at = datetime.fromisoformat(str(view.get("at", "")))
    except ValueError:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=now.tzinfo)


def fresh_view(view: dict | None, now: datetime, day: date) -> tuple[dict, datetime] | None:
    """(view, its time) when the view is of ``day`` and at most STATION_VIEW_MAX_AGE away from now."""
    if not isinstance(view, dict) or view.get("business_date") != day.isoformat():
        return None
    at = view_time(view, now)
    if at is None or abs(now - at) > STATION_VIEW_MAX_AGE:
        return None
    return view, at


def _numbers(values) -> dict[str, int]:
    if not isinstance(values, dict):
        return {}
    return {str(k): int(v) for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def with_own_tickets(view: dict, own: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """(counts, estimates) of the view with this kiosk's tickets since it was taken added: each one
    adds the view's minutes per waiting ticket of its service to that service's estimate."""
    waiting, estimates = _numbers(view.get("waiting")), _numbers(view.get("estimates"))
    counts = {code: waiting.get(code, 0) + own.get(code, 0) for code in waiting.keys() | own.keys()}
    for code, added in own.items():
        if code in estimates and waiting.get(code):
            estimates[code] = round(estimates[code] + added * estimates[code] / waiting[code])
    return {code: n for code, n in counts.items() if n}, estimates


def queue_figures(store: QueueStore, station_id: str, day: date, now: datetime) -> QueueFigures:
    fresh = fresh_view(store.station_queue_view(), now, day)
    if fresh is None:
        return QueueFigures(store.waiting_counts(station_id, day), store.wait_estimates(day), None, "local")
    view, at = fresh
    counts, estimates = with_own_tickets(view, store.issued_since(station_id, day, at))
    served = [dict(s, business_date=view["business_date"]) for s in view.get("served") or []
              if isinstance(s, dict) and {"ticket_id", "number", "served_at"} <= s.keys()]
    return QueueFigures(counts, estimates, served, "station")


def people_ahead(store: QueueStore, ticket, now: datetime) -> int:
    """People ahead of a ticket just issued: the fresh station view's waiting for its service plus
    this kiosk's other tickets of that service since the view; else what the local store counted."""
    fresh = fresh_view(store.station_queue_view(), now, ticket.business_date)
    if fresh is None:
        return ticket.waiting_ahead
    view, at = fresh
    own = store.issued_since(ticket.station_id, ticket.business_date, at, exclude=ticket.ticket_id)
    return _numbers(view.get("waiting")).get(ticket.service_code, 0) + own.get(ticket.service_code, 0)
