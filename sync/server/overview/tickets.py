"""The tickets of a business day as the district has them: each ticket's issue, its first call and
whether it was served, from the stored ticket ops (sync.server.models.Op) of the kiosks and station
services of the district or of one station, read by kiosk and day through ``ix_ops_kiosk_day``,
and the ticket rows (``tickets``) for their day, station and status.

An op's payload is never parsed (on PostgreSQL a JSON text is parsed again for every field read,
which costs more than everything else together): the issue is the ticket's first op by a kiosk
(its ``created_at``, the moment the kiosk took the number), the first call its first op by a
station service (a station changes a ticket only from a counter: call, serve, done, no-show, or a
transfer after a call), served means the ticket's status is ``done``.

The one-hour rule (抽号到接件不超过1小时) is counted as the station service counts it
(kiosk/store/queue_statistics.py): of a day's served tickets, the share first called within
``one_hour_rule_minutes`` (catalogue config, default 60) of taking the number."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable

from sqlalchemy import String, any_, bindparam, case, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from sync.protocol import APPLIED, TICKET
from sync.server.db import is_postgres
from sync.server.figures.month import DISTRICT_TZ
from sync.server.models import Kiosk, Op, Ticket

ops = Op.__table__
kiosks = Kiosk.__table__
tickets = Ticket.__table__
STATION_ROLE = "station"
SERVED = "done"
# The waits shown (minutes from taking the number to the first call): [from, to) buckets.
WAIT_EDGES = (0, 10, 20, 30, 45, 60, 90, 120)
CHUNK = 5000  # ticket ids a query (SQLite)
PAST_DAYS_TTL_S = 600  # a finished business day's figures are kept this long (late uploads show after it)


@dataclass(frozen=True)
class TicketFact:
    ticket_id: str
    station_id: str
    business_date: str
    issued: datetime | None
    wait_s: float | None  # from issue to the first call; None: not called
    served: bool


@dataclass
class DayCount:
    """One station's (or the district's) tickets of one day."""
    tickets: int = 0
    called: int = 0
    served: int = 0
    within: int = 0  # served and first called within the limit

    def add(self, fact: TicketFact, limit_s: float) -> None:
        self.tickets += 1
        self.called += fact.wait_s is not None
        if fact.served:
            self.served += 1
            self.within += fact.wait_s is not None and fact.wait_s <= limit_s

    @property
    def share(self) -> float | None:
        return round(self.within / self.served, 4) if self.served else None


def _moment(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=DISTRICT_TZ)


def ticket_facts(session: Session, day: date, station_id: str | None) -> list[TicketFact]:
    """The tickets whose business day is ``day`` (of ``station_id``, or all). An op's day is its
    kiosk's date as written, so the next date's ops are read too (after midnight, before the 04:00
    turn, they belong to the day before); the ticket row says which day is the ticket's. The rows
    are read by their keys, a chunk at a time (a filter on their day would scan the whole table)."""
    op_days = [day.isoformat(), (day + timedelta(days=1)).isoformat()]
    senders = kiosks if station_id is None else kiosks.select().where(kiosks.c.station_id == station_id).subquery()
    station_op = senders.c.role == STATION_ROLE
    per_ticket = (
        select(ops.c.entity_id, func.min(case((~station_op, ops.c.created_at))),
               func.min(case((station_op, ops.c.created_at))))
        .select_from(senders.join(ops, ops.c.kiosk_id == senders.c.kiosk_id))
        .where(ops.c.op_day.in_(op_days), ops.c.entity == TICKET, ops.c.status == APPLIED)
        .group_by(ops.c.entity_id)
    )
    times = {ticket_id: (issued, called) for ticket_id, issued, called in session.execute(per_ticket)}
    ids, facts, wanted = list(times), [], day.isoformat()
    columns = (tickets.c.ticket_id, tickets.c.station_id, tickets.c.business_date, tickets.c.status)
    if is_postgres(session):  # one array parameter: planning thousands of IN parameters costs more than the rows
        chunks = [select(*columns).where(tickets.c.ticket_id == any_(bindparam("ids", ids, type_=ARRAY(String))))]
    else:
        chunks = [select(*columns).where(tickets.c.ticket_id.in_(ids[start:start + CHUNK]))
                  for start in range(0, len(ids), CHUNK)]
    for rows in chunks:
        for ticket_id, station, business_date, status in session.execute(rows):
            if business_date != wanted or (station_id is not None and station != station_id):
                continue
            issued, called = (_moment(text) for text in times[ticket_id])
            wait = (called - issued).total_seconds() if issued is not None and called is not None else None
            facts.append(TicketFact(ticket_id, station, wanted, issued, None if wait is None else max(0.0, wait),
                                    status == SERVED))
    return facts


@dataclass
class TicketFigures:
    """What the overview shows of the tickets: per station and day, by hour of issue and by wait."""
    limit_s: float
    per_day: dict[tuple[str, str], DayCount] = field(default_factory=lambda: defaultdict(DayCount))
    by_hour: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * 24))  # day -> counts
    waits: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * len(WAIT_EDGES)))

    def add(self, fact: TicketFact) -> None:
        self.per_day[(fact.station_id, fact.business_date)].add(fact, self.limit_s)
        if fact.issued is not None:
            self.by_hour[fact.business_date][fact.issued.astimezone(DISTRICT_TZ).hour] += 1
        if fact.wait_s is not None:
            minutes = fact.wait_s / 60
            bucket = max(i for i, edge in enumerate(WAIT_EDGES) if minutes >= edge)
            self.waits[fact.business_date][bucket] += 1

    def day_total(self, day: str, stations: Iterable[str] | None = None) -> DayCount:
        total = DayCount()
        for (station, on), count in self.per_day.items():
            if on == day and (stations is None or station in stations):
                total.tickets += count.tickets
                total.called += count.called
                total.served += count.served
                total.within += count.within
        return total

    def count(self, station_id: str, day: str) -> DayCount:
        return self.per_day.get((station_id, day)) or DayCount()


def tally(facts: Iterable[TicketFact], limit_minutes: int) -> TicketFigures:
    figures = TicketFigures(limit_minutes * 60.0)
    for fact in facts:
        figures.add(fact)
    return figures


def wait_buckets(counts: list[int]) -> list[dict[str, Any]]:
    return [{"from": edge, "to": WAIT_EDGES[i + 1] if i + 1 < len(WAIT_EDGES) else None, "tickets": counts[i]}
            for i, edge in enumerate(WAIT_EDGES)]


class PastDays:
    """The ticket figures of finished business days, kept for ``ttl`` seconds by (day, station,
    minutes): the overview's 7-day trend reads six finished days on every request otherwise. One
    per server process; the day still running is never kept."""

    def __init__(self, ttl: float = PAST_DAYS_TTL_S, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._kept: dict[tuple[str, str | None, int], tuple[float, TicketFigures]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str | None, int], compute: Callable[[], TicketFigures]) -> TicketFigures:
        now = self.clock()
        with self._lock:
            found = self._kept.get(key)
            if found is not None and now - found[0] < self.ttl:
                return found[1]
        figures = compute()
        with self._lock:
            self._kept = {k: v for k, v in self._kept.items() if now - v[0] < self.ttl}
            self._kept[key] = (now, figures)
        return figures


def days_figures(session: Session, days: Iterable[date], station_id: str | None, minutes: int, running: date,
                 past: PastDays | None = None) -> TicketFigures:
    """The ticket figures of ``days`` together; finished days (before ``running``) from ``past`` when given."""
    merged = TicketFigures(minutes * 60.0)
    for day in days:
        def compute(day: date = day) -> TicketFigures:
            return tally(ticket_facts(session, day, station_id), minutes)

        one = past.get((day.isoformat(), station_id, minutes), compute) if past is not None and day < running \
            else compute()
        merged.per_day.update(one.per_day)
        merged.by_hour.update(one.by_hour)
        merged.waits.update(one.waits)
    return merged
