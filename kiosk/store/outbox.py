"""The outbox of sync-v1: every record to upload is queued in the transaction that writes it."""

from __future__ import annotations

import json
import sqlite3

from kiosk.domain.ids import uuid7


def enqueue(db: sqlite3.Connection, *, entity: str, entity_id: str, payload: dict, created_at: str) -> int:
    """Queue one upsert op inside the caller's transaction; returns its `seq` (never reused)."""
    cursor = db.execute(
        "INSERT INTO outbox (op_id, entity, entity_id, kind, created_at, payload, state) "
        "VALUES (?, ?, ?, 'upsert', ?, ?, 'pending')",
        (uuid7(), entity, entity_id, created_at, json.dumps(payload, ensure_ascii=False, sort_keys=True)))
    return cursor.lastrowid


def pending_count(db: sqlite3.Connection) -> int:
    return db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]


def dead_letters(db: sqlite3.Connection, limit: int = 50) -> list[dict]:
    """Ops the district refused: kept, and shown to the technician."""
    rows = db.execute("SELECT seq, entity, entity_id, reject_code, reject_detail FROM outbox "
                      "WHERE state = 'rejected' ORDER BY seq DESC LIMIT ?", (limit,))
    return [{"seq": s, "entity": e, "entity_id": i, "code": c, "detail": d} for s, e, i, c, d in rows]
