"""Counter calls on the local store: call, recall, serve, no-show, transfer, pause.

Every change takes the write lock first (BEGIN IMMEDIATE), so two counters calling at the same
moment never get the same ticket, and commits the ticket row with its sync-v1 outbox op (the full
ticket with the new status and updated_at) and the call event in one transaction.

Local state that is not synced lives in the settings table:
``counter_state:<id>`` (current ticket, paused), ``call_fairness`` (the station's priority turn,
shared by all counters) and ``counter_transfers`` (waiting tickets sent to a given counter). The calls themselves are events of type
``ticket_called`` (ticket, number, counter), which the hall display shows and the district gets.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Iterator, Sequence

from kiosk.domain import calling
from kiosk.domain.calling import CallRatio, FairState
from kiosk.domain.ids import uuid7
from kiosk.domain.tickets import Priority, Ticket, TicketStatus
from kiosk.store.outbox import enqueue
from kiosk.domain.errors import Kind, KioskError

TICKET_COLUMNS = ("ticket_id", "station_id", "service_code", "prefix", "seq", "number", "business_date",
                  "issued_at", "updated_at", "priority", "assistance", "bundle_code", "id_digest", "id_masked",
                  "status")
SELECT_TICKET = f"SELECT {', '.join(TICKET_COLUMNS)} FROM tickets"
PRIORITY_LIST = ", ".join(f"'{p}'" for p in sorted(calling.PRIORITY_KINDS))
CALLED_EVENT = "ticket_called"
TRANSFER_EVENT = "ticket_transferred"
DAILY_EVENT = "one_hour_rule_daily"
OPEN = ("called", "serving")


class CallRefused(KioskError):
    """The counter cannot do this now; ``code`` names why (for the API), the message says it in Chinese."""

    kind = Kind.CALL_REFUSED

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@contextmanager
def write(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _row(row) -> dict | None:
    if row is None:
        return None
    ticket = dict(zip(TICKET_COLUMNS, row))
    ticket["assistance"] = bool(ticket["assistance"])
    return ticket


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


def _setting(db: sqlite3.Connection, key: str, default):
    row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def _put_setting(db: sqlite3.Connection, key: str, value) -> None:
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
               (key, json.dumps(value, ensure_ascii=False, sort_keys=True)))


def counter_state(db: sqlite3.Connection, counter_id: str) -> dict:
    state = _setting(db, f"counter_state:{counter_id}", {})
    return {"current": state.get("current"), "paused": bool(state.get("paused", False))}


def _put_state(db: sqlite3.Connection, counter_id: str, state: dict) -> None:
    _put_setting(db, f"counter_state:{counter_id}", state)


def call_ratio(db: sqlite3.Connection, default: CallRatio = CallRatio()) -> CallRatio:
    """The station's ratio: settings key "call_ratio" ("1:2"), else ``default``."""
    row = db.execute("SELECT value FROM settings WHERE key = 'call_ratio'").fetchone()
    if row is None:
        return default
    try:
        return CallRatio.parse(json.loads(row[0]) if row[0].startswith('"') else row[0])
    except (ValueError, json.JSONDecodeError):
        return default


def payload(ticket: dict) -> dict:
    """The sync-v1 ticket entity of a row: status and updated_at as they are now."""
    entity = Ticket(ticket_id=ticket["ticket_id"], station_id=ticket["station_id"],
                    service_code=ticket["service_code"], number=ticket["number"], seq=ticket["seq"],
                    issued_at=datetime.fromisoformat(ticket["issued_at"]),
                    business_date=date.fromisoformat(ticket["business_date"]),
                    priority=Priority(ticket["priority"]), assistance=ticket["assistance"],
                    bundle_code=ticket["bundle_code"], id_digest=ticket["id_digest"],
                    id_masked=ticket["id_masked"], status=TicketStatus(ticket["status"])).sync_payload()
    entity["updated_at"] = ticket["updated_at"]
    return entity


def _event(db: sqlite3.Connection, event_type: str, detail: dict, stamp: str) -> str:
    event_id = uuid7()
    db.execute("INSERT INTO events (event_id, type, at, detail) VALUES (?, ?, ?, ?)",
               (event_id, event_type, stamp, json.dumps(detail, ensure_ascii=False, sort_keys=True)))
    enqueue(db, entity="event", entity_id=event_id, created_at=stamp,
            payload={"event_id": event_id, "type": event_type, "at": stamp, "detail": detail})
    return event_id


def _set_status(db: sqlite3.Connection, ticket: dict, status: str, stamp: str, *,
                expect: Sequence[str], service_code: str | None = None) -> dict:
    """Change one ticket's status (and service) and queue its upsert; inside the caller's transaction."""
    marks = ", ".join("?" * len(expect))
    cursor = db.execute(
        f"UPDATE tickets SET status = ?, updated_at = ?, service_code = ? "
        f"WHERE ticket_id = ? AND status IN ({marks})",
        (status, stamp, service_code or ticket["service_code"], ticket["ticket_id"], *expect))
    if cursor.rowcount != 1:
        raise CallRefused("stale", f"{ticket['number']} 的状态已被其他窗口改变")
    changed = dict(ticket, status=status, updated_at=stamp, service_code=service_code or ticket["service_code"])
    enqueue(db, entity="ticket", entity_id=ticket["ticket_id"], payload=payload(changed), created_at=stamp)
    return changed


def _announce(db: sqlite3.Connection, ticket: dict, counter: dict, stamp: str, *, recall: bool) -> None:
    _event(db, CALLED_EVENT, {"ticket_id": ticket["ticket_id"], "number": ticket["number"],
                              "service_code": ticket["service_code"], "business_date": ticket["business_date"],
                              "counter_id": counter["id"], "counter_name": counter.get("name", counter["id"]),
                              "recall": recall}, stamp)


def _current(db: sqlite3.Connection, state: dict) -> dict | None:
    if not state.get("current"):
        return None
    ticket = _row(db.execute(SELECT_TICKET + " WHERE ticket_id = ?", (state["current"],)).fetchone())
    return ticket if ticket and ticket["status"] in OPEN else None


def _first_waiting(db: sqlite3.Connection, day: date, services: Sequence[str] | None, exclude: Sequence[str],
                   priority: bool | None = None, only: Sequence[str] | None = None) -> dict | None:
    sql = SELECT_TICKET + " WHERE business_date = ? AND status = 'waiting'"
    args: list = [day.isoformat()]
    if services:
        sql += f" AND service_code IN ({', '.join('?' * len(services))})"
        args += list(services)
    if exclude:
        sql += f" AND ticket_id NOT IN ({', '.join('?' * len(exclude))})"
        args += list(exclude)
    if only is not None:
        sql += f" AND ticket_id IN ({', '.join('?' * len(only))})"
        args += list(only)
    if priority is True:
        sql += f" AND priority IN ({PRIORITY_LIST})"
    elif priority is False:
        sql += f" AND priority NOT IN ({PRIORITY_LIST})"
    return _row(db.execute(sql + " ORDER BY issued_at, prefix, seq LIMIT 1", args).fetchone())


def _open_state(db: sqlite3.Connection, counter: dict) -> dict:
    state = _setting(db, f"counter_state:{counter['id']}", {})
    busy = _current(db, state)
    if busy is not None:
        raise CallRefused("busy", f"当前号 {busy['number']} 尚未办结：请先办结、过号或转移")
    return state


def _mark_called(db, ticket: dict, counter: dict, state: dict, stamp: str, expect=("waiting",)) -> dict:
    called = _set_status(db, ticket, "called", stamp, expect=expect)
    _announce(db, called, counter, stamp, recall=False)
    transfers = _setting(db, "counter_transfers", {})
    if transfers.pop(ticket["ticket_id"], None) is not None:
        _put_setting(db, "counter_transfers", transfers)
    state["current"] = ticket["ticket_id"]
    _put_state(db, counter["id"], state)
    return called


def call_next(db: sqlite3.Connection, counter: dict, *, now: datetime, day: date,
              ratio: CallRatio = CallRatio()) -> dict | None:
    """Call the next ticket for ``counter`` ({"id", "name", "services": [codes] or []}).

    Tickets transferred to this counter come first; then priority and normal tickets of the
    counter's services by the fair ratio, each kind first come, first served. None: nobody waits.
    """
    stamp = _stamp(now)
    with write(db):
        state = _open_state(db, counter)
        if state.get("paused"):
            raise CallRefused("paused", "窗口暂停中：请先恢复服务")
        transfers = _setting(db, "counter_transfers", {})
        mine = [t for t, c in transfers.items() if c == counter["id"]]
        others = [t for t, c in transfers.items() if c != counter["id"]]
        ticket = _first_waiting(db, day, None, (), only=mine) if mine else None
        fair = FairState.from_dict(_setting(db, "call_fairness", {}))
        if ticket is None:
            services = counter.get("services") or None
            first_priority = _first_waiting(db, day, services, others, priority=True)
            first_normal = _first_waiting(db, day, services, others, priority=False)
            kind, fair = calling.next_kind(first_priority is not None, first_normal is not None, fair, ratio)
            if kind is None:
                return None
            ticket = first_priority if kind == "priority" else first_normal
        _put_setting(db, "call_fairness", fair.as_dict())
        return _mark_called(db, ticket, counter, state, stamp)


def call_number(db: sqlite3.Connection, counter: dict, number: str, *, now: datetime, day: date) -> dict:
    """Call a given number of today (waiting, or missed earlier and back now)."""
    stamp = _stamp(now)
    with write(db):
        state = _open_state(db, counter)
        ticket = _row(db.execute(SELECT_TICKET + " WHERE business_date = ? AND number = ? "
                                 "ORDER BY issued_at DESC LIMIT 1", (day.isoformat(), number.strip().upper())).fetchone())
        if ticket is None:
            raise CallRefused("not_found", f"今天没有 {number} 号")
        if ticket["status"] not in ("waiting", "no_show"):
            raise CallRefused("not_waiting", f"{ticket['number']} 不在等候中（{ticket['status']}）")
        return _mark_called(db, ticket, counter, state, stamp, expect=("waiting", "no_show"))


def recall(db: sqlite3.Connection, counter: dict, *, now: datetime) -> dict:
    """Call the counter's current ticket again (the display and the chime repeat it)."""
    with write(db):
        ticket = _current(db, _setting(db, f"counter_state:{counter['id']}", {}))
        if ticket is None:
            raise CallRefused("no_current", "本窗口当前没有已叫的号")
        _announce(db, ticket, counter, _stamp(now), recall=True)
        return ticket


def _finish(db: sqlite3.Connection, counter: dict, status: str, now: datetime, expect: Sequence[str],
            service_code: str | None = None, keep: bool = False) -> tuple[dict, dict]:
    state = _setting(db, f"counter_state:{counter['id']}", {})
    ticket = _current(db, state)
    if ticket is None:
        raise CallRefused("no_current", "本窗口当前没有已叫的号")
    if ticket["status"] not in expect:
        raise CallRefused("wrong_status", f"{ticket['number']} 当前状态为 {ticket['status']}")
    changed = _set_status(db, ticket, status, _stamp(now), expect=expect, service_code=service_code)
    if not keep:
        state["current"] = None
        _put_state(db, counter["id"], state)
    return changed, state


def start_serving(db: sqlite3.Connection, counter: dict, *, now: datetime) -> dict:
    with write(db):
        return _finish(db, counter, "serving", now, ("called",), keep=True)[0]


def mark_done(db: sqlite3.Connection, counter: dict, *, now: datetime) -> dict:
    """办结: the current ticket is served (from called or serving)."""
    with write(db):
        return _finish(db, counter, "done", now, OPEN)[0]


def mark_no_show(db: sqlite3.Connection, counter: dict, *, now: datetime) -> dict:
    """过号: the resident did not come to the counter."""
    with write(db):
        return _finish(db, counter, "no_show", now, ("called",))[0]


def transfer(db: sqlite3.Connection, counter: dict, *, now: datetime, to_service: str | None = None,
             to_counter: str | None = None) -> dict:
    """Send the current ticket back to waiting, for another service and/or a given counter.

    It keeps its number and its place (time of issue); a ticket sent to a counter is that counter's
    next call.
    """
    if not to_service and not to_counter:
        raise CallRefused("no_target", "请选择转移到的事项或窗口")
    stamp = _stamp(now)
    with write(db):
        if to_service and db.execute("SELECT 1 FROM services WHERE code = ?", (to_service,)).fetchone() is None:
            raise CallRefused("unknown_service", f"没有事项 {to_service}")
        if to_counter and to_counter not in _setting(db, "counters", {}):
            raise CallRefused("unknown_counter", f"没有窗口 {to_counter}")
        ticket, _ = _finish(db, counter, "waiting", now, OPEN, service_code=to_service)
        if to_counter:
            transfers = _setting(db, "counter_transfers", {})
            transfers[ticket["ticket_id"]] = to_counter
            _put_setting(db, "counter_transfers", transfers)
        _event(db, TRANSFER_EVENT, {"ticket_id": ticket["ticket_id"], "number": ticket["number"],
                                    "business_date": ticket["business_date"], "from_counter": counter["id"],
                                    "to_counter": to_counter, "service_code": ticket["service_code"]}, stamp)
        return ticket


def set_paused(db: sqlite3.Connection, counter_id: str, paused: bool) -> dict:
    with write(db):
        state = _setting(db, f"counter_state:{counter_id}", {})
        state["paused"] = bool(paused)
        _put_state(db, counter_id, state)
    return counter_state(db, counter_id)


def current_ticket(db: sqlite3.Connection, counter_id: str) -> dict | None:
    return _current(db, _setting(db, f"counter_state:{counter_id}", {}))


def waiting(db: sqlite3.Connection, day: date, now: datetime) -> list[dict]:
    """Today's waiting tickets in arrival order, with minutes waited and the one-hour level."""
    transfers = _setting(db, "counter_transfers", {})
    rows = db.execute(SELECT_TICKET + " WHERE business_date = ? AND status = 'waiting' ORDER BY issued_at, prefix, seq",
                      (day.isoformat(),))
    result = []
    for row in rows:
        ticket = _row(row)
        minutes = max(0.0, (now - datetime.fromisoformat(ticket["issued_at"])).total_seconds() / 60)
        result.append({key: ticket[key] for key in ("ticket_id", "number", "service_code", "issued_at", "priority",
                                                     "assistance", "status")}
                      | {"wait_minutes": int(minutes), "level": calling.wait_level(minutes),
                         "priority_call": calling.is_priority(ticket["priority"]),
                         "transferred_to": transfers.get(ticket["ticket_id"])})
    return result


def _day_events(db: sqlite3.Connection, event_type: str, day: date, limit: int | None = None) -> list[dict]:
    """Events of ``event_type`` of business day ``day``, newest first (``seq``: row order)."""
    since = (datetime.combine(day, datetime.min.time()) - timedelta(days=1)).date().isoformat()
    sql = "SELECT rowid, event_id, at, detail FROM events WHERE type = ? AND at >= ? ORDER BY rowid DESC"
    found = []
    for rowid, event_id, at, detail in db.execute(sql, (event_type, since)):
        data = json.loads(detail)
        if data.get("business_date", day.isoformat()) != day.isoformat():
            continue
        found.append({"seq": rowid, "event_id": event_id, "at": at, **data})
        if limit is not None and len(found) >= limit:
            break
    return found


def last_calls(db: sqlite3.Connection, day: date, limit: int = 8) -> list[dict]:
    """The latest calls of the day for the hall display, newest first."""
    return _day_events(db, CALLED_EVENT, day, limit)


def assistance(db: sqlite3.Connection, day: date) -> dict:
    """帮办代办: today's open tickets that asked for assistance, and today's assistance requests."""
    rows = db.execute(SELECT_TICKET + " WHERE business_date = ? AND assistance = 1 AND status IN "
                      "('waiting', 'called', 'serving') ORDER BY issued_at", (day.isoformat(),))
    tickets = [{k: t[k] for k in ("ticket_id", "number", "service_code", "issued_at", "status")}
               for t in map(_row, rows)]
    since = day.isoformat()
    requests = [{"event_id": e, "at": a, "detail": json.loads(d)} for e, a, d in db.execute(
        "SELECT event_id, at, detail FROM events WHERE type = 'assistance_request' AND at >= ? ORDER BY at DESC",
        (since,))]
    return {"tickets": tickets, "requests": requests}


def first_calls(db: sqlite3.Connection, day: date) -> dict[str, str]:
    """ticket_id -> time of its first call (the start of service for the one-hour rule)."""
    first: dict[str, str] = {}
    for event in _day_events(db, CALLED_EVENT, day):  # newest first: the last write is the earliest call
        first[event["ticket_id"]] = event["at"]
    return first


def service_seconds(db: sqlite3.Connection, day: date, service_code: str | None = None,
                    limit: int = 20, first: dict[str, str] | None = None) -> list[float]:
    """Real service times of today's served tickets (first call to done), latest ``limit``.

    ``first`` is `first_calls` of the day when the caller has it already."""
    first = first_calls(db, day) if first is None else first
    sql = "SELECT ticket_id, updated_at FROM tickets WHERE business_date = ? AND status = 'done'"
    args: list = [day.isoformat()]
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


def _open_counters(db: sqlite3.Connection, service_code: str) -> int:
    """Counters that serve ``service_code`` (no list: all services) and are not paused."""
    counters = _setting(db, "counters", {})
    return sum(1 for cid, c in counters.items()
               if (not c.get("services") or service_code in c["services"]) and not counter_state(db, cid)["paused"])


def _waiting_per_service(db: sqlite3.Connection, day: date) -> dict[str, int]:
    return dict(db.execute("SELECT service_code, count(*) FROM tickets WHERE business_date = ? AND status = 'waiting' "
                           "GROUP BY service_code", (day.isoformat(),)).fetchall())


def estimate_wait(db: sqlite3.Connection, service_code: str, day: date, now: datetime) -> int:
    """Minutes a ticket taken now for ``service_code`` would wait: the tickets ahead of it, times
    today's typical real service time (this service, else all services, else a default), over the
    counters open for it (not paused; at least one)."""
    ahead = _waiting_per_service(db, day).get(service_code, 0)
    seconds = service_seconds(db, day, service_code) or service_seconds(db, day)
    return calling.estimate_minutes(ahead, seconds, _open_counters(db, service_code))


def wait_estimates(db: sqlite3.Connection, day: date) -> dict[str, int]:
    """For the kiosk's services screen: minutes of waiting for each service with tickets waiting,
    from today's measured service times only (this service, else all services). Before the first
    ticket of the day is served there is nothing measured, and no estimate rather than a guess."""
    first = first_calls(db, day)
    overall = service_seconds(db, day, first=first)
    if not overall:
        return {}
    return {code: calling.estimate_minutes(ahead, service_seconds(db, day, code, first=first) or overall,
                                           _open_counters(db, code))
            for code, ahead in _waiting_per_service(db, day).items()}


def one_hour_rule(db: sqlite3.Connection, day: date) -> dict:
    """How many of the day's served tickets were first called within one hour of taking the number."""
    first = first_calls(db, day)
    served = within = 0
    for ticket_id, issued_at in db.execute("SELECT ticket_id, issued_at FROM tickets WHERE business_date = ? "
                                           "AND status = 'done'", (day.isoformat(),)):
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
    with write(db):
        if _day_events(db, DAILY_EVENT, day, limit=1):
            return None
        figures = one_hour_rule(db, day)
        _event(db, DAILY_EVENT, figures, _stamp(now))
        return figures


def recorded_one_hour_rules(db: sqlite3.Connection, limit: int = 7) -> list[dict]:
    """The latest recorded daily one-hour figures, newest day first (the technician screen)."""
    rows = db.execute("SELECT detail FROM events WHERE type = ? ORDER BY rowid DESC LIMIT ?", (DAILY_EVENT, limit))
    return [json.loads(detail) for (detail,) in rows]


def recently_served(db: sqlite3.Connection, since: str | datetime) -> list[dict]:
    """Tickets marked done at or after ``since`` (ISO time), oldest first: the kiosk invites their
    rating. Times are to the second, so callers pass the last ``served_at`` seen and skip ticket ids
    they already handled."""
    stamp = since if isinstance(since, str) else _stamp(since)
    rows = db.execute("SELECT ticket_id, number, service_code, business_date, updated_at FROM tickets "
                      "WHERE status = 'done' AND updated_at >= ? ORDER BY updated_at, ticket_id", (stamp,))
    return [{"ticket_id": t, "number": n, "service_code": s, "business_date": d, "served_at": u}
            for t, n, s, d, u in rows]
