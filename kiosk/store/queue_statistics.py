"""Figures of the day's queue: waiting counts, real service times, wait estimates and the
one-hour rule (抽号到接件不超过1小时), recorded once a day as a synced event; and, behind a station
service, the station's queue view the sync worker keeps (settings "station_queue") with this
kiosk's own tickets issued since it was taken."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta

from kiosk.domain import calling
from kiosk.domain.tickets import TicketStatus
from kiosk.store import events
from kiosk.store import station_settings as settings
from kiosk.store.calls import CALLED_EVENT
from kiosk.store.transaction import write_transaction

DAILY_EVENT = "one_hour_rule_daily"


def first_calls(db: sqlite3.Connection, day: date) -> dict[str, str]:
    """ticket_id -> time of its first call (the start of service for the one-hour rule)."""
    first: dict[str, str] = {}
    for event in events.of_day(db, CALLED_EVENT, day):  # newest first: the last write is the earliest call
        first[event["ticket_id"]] = event["at"]
    return first


def service_seconds(db: sqlite3.Connection, day: date, service_code: str | None = None,
                    limit: int = 20, first: dict[str, str] | None = None) -> list[float]:
    """Real service times of today's served tickets (first call to done), latest ``limit``.

    ``first`` is `first_calls` of the day when the caller has it already."""
    first = first_calls(db, day) if first is None else first
    sql = "SELECT ticket_id, updated_at FROM tickets WHERE business_date = ? AND status = ?"
    args: list = [day.isoformat(), TicketStatus.DONE.value]
    if service_code:
        sql += " AND service_code = ?"
        args.append(service_code)
    seconds = []
    for ticket_id, done_at in db.execute(sql + " ORDER BY updated_at DESC", args):
        if ticket_id in first:
            seconds.append((datetime.fromisoformat(done_at) - datetime.fromisoformat(first[ticket_id])).total_seconds())
        if len(seconds) >= limit:
            break
    return seconds


def open_counters(db: sqlite3.Connection, service_code: str) -> int:
    """Counters that serve ``service_code`` (no list: all services) and are not paused."""
    return sum(1 for cid, c in settings.counters(db).items()
               if (not c.get("services") or service_code in c["services"])
               and not settings.counter_state(db, cid)["paused"])


def waiting_per_service(db: sqlite3.Connection, day: date, station_id: str | None = None) -> dict[str, int]:
    """Waiting tickets per service code on ``day`` (of ``station_id``, when given)."""
    sql = "SELECT service_code, count(*) FROM tickets WHERE business_date = ? AND status = ?"
    args: list = [day.isoformat(), TicketStatus.WAITING.value]
    if station_id is not None:
        sql += " AND station_id = ?"
        args.append(station_id)
    return dict(db.execute(sql + " GROUP BY service_code", args).fetchall())


def estimate_wait(db: sqlite3.Connection, service_code: str, day: date, now: datetime) -> int:
    """Minutes a ticket taken now for ``service_code`` would wait: the tickets ahead of it, times
    today's typical real service time (this service, else all services, else a default), over the
    counters open for it (not paused; at least one)."""
    ahead = waiting_per_service(db, day).get(service_code, 0)
    seconds = service_seconds(db, day, service_code) or service_seconds(db, day)
    return calling.estimate_minutes(ahead, seconds, open_counters(db, service_code))


def wait_estimates(db: sqlite3.Connection, day: date) -> dict[str, int]:
    """For the kiosk's services screen: minutes of waiting for each service with tickets waiting,
    from today's measured service times only (this service, else all services). Before the first
    ticket of the day is served there is nothing measured, and no estimate rather than a guess."""
    first = first_calls(db, day)
    overall = service_seconds(db, day, first=first)
    if not overall:
        return {}
    return {code: calling.estimate_minutes(ahead, service_seconds(db, day, code, first=first) or overall,
                                           open_counters(db, code))
            for code, ahead in waiting_per_service(db, day).items()}


def one_hour_rule(db: sqlite3.Connection, day: date) -> dict:
    """How many of the day's served tickets were first called within one hour of taking the number."""
    first = first_calls(db, day)
    served = within = 0
    for ticket_id, issued_at in db.execute("SELECT ticket_id, issued_at FROM tickets WHERE business_date = ? "
                                           "AND status = ?", (day.isoformat(), TicketStatus.DONE.value)):
        served += 1
        start = first.get(ticket_id)
        if start is not None and (datetime.fromisoformat(start) - datetime.fromisoformat(issued_at)
                                  <= timedelta(minutes=calling.RED_MINUTES)):
            within += 1
    return {"business_date": day.isoformat(), "served": served, "within_hour": within,
            "share": round(within / served, 4) if served else None}


def record_one_hour_rule(db: sqlite3.Connection, day: date, now: datetime) -> dict | None:
    """Record the day's figure as a "one_hour_rule_daily" event (synced), once per day.

    Returns the figures, or None when that day was already recorded.
    """
    with write_transaction(db):
        if events.of_day(db, DAILY_EVENT, day, limit=1):
            return None
        figures = one_hour_rule(db, day)
        events.insert(db, DAILY_EVENT, figures, now.isoformat(timespec="seconds"))
        return figures


def recorded_one_hour_rules(db: sqlite3.Connection, limit: int = 7) -> list[dict]:
    """The latest recorded daily one-hour figures, newest day first (the technician screen)."""
    rows = db.execute("SELECT detail FROM events WHERE type = ? ORDER BY rowid DESC LIMIT ?", (DAILY_EVENT, limit))
    return [json.loads(detail) for (detail,) in rows]


def issued_since(db: sqlite3.Connection, day: date, since: datetime, station_id: str,
                 exclude: str | None = None) -> dict[str, int]:
    """This store's tickets of ``day`` issued after ``since`` (an aware time), per service code,
    leaving out ``exclude`` (a ticket id): those the station's view of ``since`` cannot count yet."""
    counts: dict[str, int] = {}
    rows = db.execute("SELECT ticket_id, service_code, issued_at FROM tickets WHERE business_date = ? AND "
                      "station_id = ?", (day.isoformat(), station_id))
    for ticket_id, service_code, issued_at in rows:
        issued = datetime.fromisoformat(issued_at)
        if issued.tzinfo is None:
            issued = issued.replace(tzinfo=since.tzinfo)
        if ticket_id != exclude and issued > since:
            counts[service_code] = counts.get(service_code, 0) + 1
    return counts
