"""Events (device faults, paper, assistance requests): a row and its outbox op, one transaction."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from kiosk.domain.ids import uuid7
from kiosk.store.outbox import enqueue


def record(db: sqlite3.Connection, event_type: str, detail: dict, at: datetime) -> str:
    event_id = uuid7()
    stamp = at.isoformat(timespec="seconds")
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("INSERT INTO events (event_id, type, at, detail) VALUES (?, ?, ?, ?)",
                   (event_id, event_type, stamp, json.dumps(detail, ensure_ascii=False, sort_keys=True)))
        enqueue(db, entity="event", entity_id=event_id, created_at=stamp,
                payload={"event_id": event_id, "type": event_type, "at": stamp, "detail": detail})
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return event_id


def recent(db: sqlite3.Connection, limit: int = 20) -> list[dict]:
    rows = db.execute("SELECT event_id, type, at, detail FROM events ORDER BY at DESC, rowid DESC LIMIT ?", (limit,))
    return [{"event_id": e, "type": t, "at": a, "detail": json.loads(d)} for e, t, a, d in rows]
