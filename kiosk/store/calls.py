"""Counter calls on the local store: call, recall, serve, no-show, transfer, pause, and the steps
of a 帮办代办 request (接待, 完成).

Every change is one write transaction (transaction.py), which takes the write lock first, so two
counters calling at the same moment never get the same ticket, and commits the ticket row with
its sync-v1 outbox op (the full ticket with the new status and updated_at) and the call event.

The counter's local state (current ticket, paused, the priority turn, transfers) lives in the
settings table (station_settings.py). The calls themselves are events of type ``ticket_called``
(ticket, number, counter), which the hall display shows and the district gets.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import Collection

from kiosk.domain import calling
from kiosk.domain.calling import CallRatio, FairState
from kiosk.domain.errors import Kind, KioskError
from kiosk.domain.tickets import TicketStatus
from kiosk.store import events
from kiosk.store import station_settings as settings
from kiosk.store.outbox import enqueue
from kiosk.store.station_settings import call_ratio, counter_state
from kiosk.store.ticket_records import (AT_COUNTER, CALLABLE_BY_NUMBER, QUEUE_ORDER, SELECT_TICKET, TicketRow,
                                        status_values, ticket_row)
from kiosk.store.transaction import write_transaction

__all__ = ["CallRefused", "call_next", "call_number", "recall", "start_serving", "mark_done", "mark_no_show",
           "transfer", "set_paused", "current_ticket", "last_done", "counter_state", "call_ratio",
           "receive_assistance", "finish_assistance"]

PRIORITY_LIST = ", ".join(f"'{p}'" for p in sorted(calling.PRIORITY_KINDS))
CALLED_EVENT = "ticket_called"
TRANSFER_EVENT = "ticket_transferred"
ASSISTANCE_REQUEST, ASSISTANCE_RECEIVED, ASSISTANCE_DONE = "assistance_request", "assistance_received", "assistance_done"
WAITING_ONLY = frozenset({TicketStatus.WAITING})


class CallRefused(KioskError):
    """The counter cannot do this now; ``code`` names why (for the API), the message says it in Chinese."""

    kind = Kind.CALL_REFUSED

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


def _set_status(db: sqlite3.Connection, ticket: TicketRow, status: TicketStatus, stamp: str, *,
                expect: Collection[TicketStatus], service_code: str | None = None) -> TicketRow:
    """Change one ticket's status (and service) and queue its upsert; inside the caller's transaction."""
    expected = status_values(expect)
    changed = ticket.changed(status=status, updated_at=stamp, service_code=service_code)
    cursor = db.execute(
        f"UPDATE tickets SET status = ?, updated_at = ?, service_code = ? "
        f"WHERE ticket_id = ? AND status IN ({', '.join('?' * len(expected))})",
        (changed.status.value, stamp, changed.service_code, ticket.ticket_id, *expected))
    if cursor.rowcount != 1:
        raise CallRefused("stale", f"{ticket.number} 的状态已被其他窗口改变")
    enqueue(db, entity="ticket", entity_id=ticket.ticket_id, payload=changed.sync_payload(), created_at=stamp)
    return changed


def _announce(db: sqlite3.Connection, ticket: TicketRow, counter: dict, stamp: str, *, recall: bool) -> None:
    events.insert(db, CALLED_EVENT, {"ticket_id": ticket.ticket_id, "number": ticket.number,
                                     "service_code": ticket.service_code, "business_date": ticket.business_date,
                                     "counter_id": counter["id"], "counter_name": counter.get("name", counter["id"]),
                                     "recall": recall}, stamp)


def _held(db: sqlite3.Connection, state: dict) -> TicketRow | None:
    """The ticket the counter with ``state`` holds (called or serving), if any."""
    if not state.get("current"):
        return None
    ticket = ticket_row(db.execute(SELECT_TICKET + " WHERE ticket_id = ?", (state["current"],)).fetchone())
    return ticket if ticket and ticket.status in AT_COUNTER else None


def _first_waiting(db: sqlite3.Connection, day: date, services: Collection[str] | None, exclude: Collection[str],
                   priority: bool | None = None, only: Collection[str] | None = None) -> TicketRow | None:
    sql = SELECT_TICKET + " WHERE business_date = ? AND status = ?"
    args: list = [day.isoformat(), TicketStatus.WAITING.value]
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
    return ticket_row(db.execute(sql + QUEUE_ORDER + " LIMIT 1", args).fetchone())


def _free_state(db: sqlite3.Connection, counter: dict) -> dict:
    """The counter's state, refused while it still holds a ticket."""
    state = settings.raw_counter_state(db, counter["id"])
    busy = _held(db, state)
    if busy is not None:
        raise CallRefused("busy", f"当前号 {busy.number} 尚未办结：请先办结、过号或转移")
    return state


def _mark_called(db: sqlite3.Connection, ticket: TicketRow, counter: dict, state: dict, stamp: str,
                 expect: Collection[TicketStatus] = WAITING_ONLY) -> TicketRow:
    called = _set_status(db, ticket, TicketStatus.CALLED, stamp, expect=expect)
    _announce(db, called, counter, stamp, recall=False)
    transfers = settings.transfers(db)
    if transfers.pop(ticket.ticket_id, None) is not None:
        settings.put_transfers(db, transfers)
    state["current"] = ticket.ticket_id
    settings.put_counter_state(db, counter["id"], state)
    return called


def call_next(db: sqlite3.Connection, counter: dict, *, now: datetime, day: date,
              ratio: CallRatio = CallRatio()) -> TicketRow | None:
    """Call the next ticket for ``counter`` ({"id", "name", "services": [codes] or []}).

    Tickets transferred to this counter come first; then priority and normal tickets of the
    counter's services by the fair ratio, each kind first come, first served. None: nobody waits.
    """
    stamp = _stamp(now)
    with write_transaction(db):
        state = _free_state(db, counter)
        if state.get("paused"):
            raise CallRefused("paused", "窗口暂停中：请先恢复服务")
        transfers = settings.transfers(db)
        mine = [t for t, c in transfers.items() if c == counter["id"]]
        others = [t for t, c in transfers.items() if c != counter["id"]]
        ticket = _first_waiting(db, day, None, (), only=mine) if mine else None
        fair = FairState.from_dict(settings.setting(db, settings.FAIRNESS, {}))
        if ticket is None:
            services = counter.get("services") or None
            first_priority = _first_waiting(db, day, services, others, priority=True)
            first_normal = _first_waiting(db, day, services, others, priority=False)
            kind, fair = calling.next_kind(first_priority is not None, first_normal is not None, fair, ratio)
            if kind is None:
                return None
            ticket = first_priority if kind == "priority" else first_normal
        settings.put_setting(db, settings.FAIRNESS, fair.as_dict())
        return _mark_called(db, ticket, counter, state, stamp)


def call_number(db: sqlite3.Connection, counter: dict, number: str, *, now: datetime, day: date) -> TicketRow:
    """Call a given number of today (waiting, or missed earlier and back now)."""
    stamp = _stamp(now)
    with write_transaction(db):
        state = _free_state(db, counter)
        ticket = ticket_row(db.execute(SELECT_TICKET + " WHERE business_date = ? AND number = ? "
                                       "ORDER BY issued_at DESC LIMIT 1",
                                       (day.isoformat(), number.strip().upper())).fetchone())
        if ticket is None:
            raise CallRefused("not_found", f"今天没有 {number} 号")
        if ticket.status not in CALLABLE_BY_NUMBER:
            raise CallRefused("not_waiting", f"{ticket.number} 不在等候中（{ticket.status.value}）")
        return _mark_called(db, ticket, counter, state, stamp, expect=CALLABLE_BY_NUMBER)


def recall(db: sqlite3.Connection, counter: dict, *, now: datetime) -> TicketRow:
    """Call the counter's current ticket again (the display and the chime repeat it)."""
    with write_transaction(db):
        ticket = _held(db, settings.raw_counter_state(db, counter["id"]))
        if ticket is None:
            raise CallRefused("no_current", "本窗口当前没有已叫的号")
        _announce(db, ticket, counter, _stamp(now), recall=True)
        return ticket


def _finish(db: sqlite3.Connection, counter: dict, status: TicketStatus, now: datetime,
            expect: Collection[TicketStatus], service_code: str | None = None, keep: bool = False) -> TicketRow:
    """Move the counter's ticket from one of ``expect`` to ``status``; inside the caller's transaction.

    The counter lets go of it unless ``keep``."""
    state = settings.raw_counter_state(db, counter["id"])
    ticket = _held(db, state)
    if ticket is None:
        raise CallRefused("no_current", "本窗口当前没有已叫的号")
    if ticket.status not in expect:
        raise CallRefused("wrong_status", f"{ticket.number} 当前状态为 {ticket.status.value}")
    changed = _set_status(db, ticket, status, _stamp(now), expect=expect, service_code=service_code)
    if not keep:
        state["current"] = None
        settings.put_counter_state(db, counter["id"], state)
    return changed


def start_serving(db: sqlite3.Connection, counter: dict, *, now: datetime) -> TicketRow:
    with write_transaction(db):
        return _finish(db, counter, TicketStatus.SERVING, now, {TicketStatus.CALLED}, keep=True)


def mark_done(db: sqlite3.Connection, counter: dict, *, now: datetime) -> TicketRow:
    """办结: the current ticket is served (from called or serving).

    The counter remembers it as its last done ticket (``last_done``): the one its window rating
    pad offers (kiosk.store.window_ratings)."""
    with write_transaction(db):
        done = _finish(db, counter, TicketStatus.DONE, now, AT_COUNTER)
        state = settings.raw_counter_state(db, counter["id"])
        state["last_done"] = {"ticket_id": done.ticket_id, "at": done.updated_at}
        settings.put_counter_state(db, counter["id"], state)
        return done


def mark_no_show(db: sqlite3.Connection, counter: dict, *, now: datetime) -> TicketRow:
    """过号: the resident did not come to the counter."""
    with write_transaction(db):
        return _finish(db, counter, TicketStatus.NO_SHOW, now, {TicketStatus.CALLED})


def transfer(db: sqlite3.Connection, counter: dict, *, now: datetime, to_service: str | None = None,
             to_counter: str | None = None) -> TicketRow:
    """Send the current ticket back to waiting, for another service and/or a given counter.

    It keeps its number and its place (time of issue); a ticket sent to a counter is that counter's
    next call.
    """
    if not to_service and not to_counter:
        raise CallRefused("no_target", "请选择转移到的事项或窗口")
    stamp = _stamp(now)
    with write_transaction(db):
        if to_service and db.execute("SELECT 1 FROM services WHERE code = ?", (to_service,)).fetchone() is None:
            raise CallRefused("unknown_service", f"没有事项 {to_service}")
        if to_counter and to_counter not in settings.counters(db):
            raise CallRefused("unknown_counter", f"没有窗口 {to_counter}")
        ticket = _finish(db, counter, TicketStatus.WAITING, now, AT_COUNTER, service_code=to_service)
        if to_counter:
            transfers = settings.transfers(db)
            transfers[ticket.ticket_id] = to_counter
            settings.put_transfers(db, transfers)
        events.insert(db, TRANSFER_EVENT, {"ticket_id": ticket.ticket_id, "number": ticket.number,
                                           "business_date": ticket.business_date, "from_counter": counter["id"],
                                           "to_counter": to_counter, "service_code": ticket.service_code}, stamp)
        return ticket


def set_paused(db: sqlite3.Connection, counter_id: str, paused: bool) -> dict:
    with write_transaction(db):
        state = settings.raw_counter_state(db, counter_id)
        state["paused"] = bool(paused)
        settings.put_counter_state(db, counter_id, state)
    return counter_state(db, counter_id)


def current_ticket(db: sqlite3.Connection, counter_id: str) -> TicketRow | None:
    """The ticket the counter holds now (called or serving), if any."""
    return _held(db, settings.raw_counter_state(db, counter_id))


def last_done(db: sqlite3.Connection, counter_id: str) -> dict | None:
    """{"ticket_id", "at"} of the ticket the counter marked done last, if any."""
    done = settings.raw_counter_state(db, counter_id).get("last_done")
    return done if isinstance(done, dict) and done.get("ticket_id") else None


# 帮办代办 requests: a counter takes one (接待), then closes it (完成) -----------------------------------

def _assistance_step(db: sqlite3.Connection, counter: dict, request_id: str, step: str, stamp: str) -> dict:
    """Record ``step`` (received or done) of the request ``request_id``; inside the caller's transaction.

    Returns the event's detail. Refused: no such request, already done, taken by another counter."""
    found = db.execute("SELECT detail, kiosk_id FROM events WHERE event_id = ? AND type = ?",
                       (request_id, ASSISTANCE_REQUEST)).fetchone()
    if found is None:
        raise CallRefused("not_found", "没有这条帮办代办请求，请刷新后再看")
    before = {kind: json.loads(detail) for kind, detail in db.execute(
        "SELECT type, detail FROM events WHERE type IN (?, ?) AND json_extract(detail, '$.request_event_id') = ? "
        "ORDER BY rowid", (ASSISTANCE_RECEIVED, ASSISTANCE_DONE, request_id))}
    if ASSISTANCE_DONE in before:
        raise CallRefused("already_done", f"这条请求已由 {before[ASSISTANCE_DONE]['counter_name']} 完成")
    taken = before.get(ASSISTANCE_RECEIVED)
    if step == ASSISTANCE_RECEIVED and taken is not None:
        if taken["counter_id"] == counter["id"]:
            return taken  # a second tap of the same counter changes nothing
        raise CallRefused("taken", f"这条请求已由 {taken['counter_name']} 接待")
    request = json.loads(found[0])
    detail = {"request_event_id": request_id, "counter_id": counter["id"],
              "counter_name": counter.get("name", counter["id"]), "kiosk_id": found[1],
              "ticket_id": request.get("ticket_id"), "number": request.get("number")}
    events.insert(db, step, detail, stamp)
    return detail


def receive_assistance(db: sqlite3.Connection, counter: dict, request_id: str, *, now: datetime) -> dict:
    """接待: the counter takes the request (the synced event ``assistance_received``)."""
    with write_transaction(db):
        return _assistance_step(db, counter, request_id, ASSISTANCE_RECEIVED, _stamp(now))


def finish_assistance(db: sqlite3.Connection, counter: dict, request_id: str, *, now: datetime) -> dict:
    """完成: the request is dealt with (the synced event ``assistance_done``); any counter may close it."""
    with write_transaction(db):
        return _assistance_step(db, counter, request_id, ASSISTANCE_DONE, _stamp(now))
