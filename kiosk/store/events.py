"""Events (device faults, paper, assistance requests, counter calls): a row and its outbox op, one transaction."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta

from kiosk.domain.ids import uuid7
from kiosk.store.outbox import enqueue
from kiosk.store.transaction import write_transaction


def insert(db: sqlite3.Connection, event_type: str, detail: dict, stamp: str) -> str:
    """Write one event and queue its outbox op, inside the caller's transaction; returns its id."""
    event_id = uuid7()
    db.execute("INSERT INTO events (event_id, type, at, detail) VALUES (?, ?, ?, ?)",
               (event_id, event_type, stamp, json.dumps(detail, ensure_ascii=False, sort_keys=True)))
    enqueue(db, entity="event", entity_id=event_id, created_at=stamp,
            payload={"event_id": event_id, "type": event_type, "at": stamp, "detail": detail})
    return event_id


def record(db: sqlite3.Connection, event_type: str, detail: dict, at: datetime) -> str:
    with write_transaction(db):
        return insert(db, event_type, detail, at.isoformat(timespec="seconds"))


def recent(db: sqlite3.Connection, limit: int = 20) -> list[dict]:
    rows = db.execute("SELECT event_id, type, at, detail FROM events ORDER BY at DESC, rowid DESC LIMIT ?", (limit,))
    return [{"event_id": e, "type": t, "at": a, "detail": json.loads(d)} for e, t, a, d in rows]


def of_day(db: sqlite3.Connection, event_type: str, day: date, limit: int | None = None) -> list[dict]:
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
