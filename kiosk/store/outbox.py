"""The outbox of sync protocol v1 (docs/sync-protocol.md): every record to upload is queued in the
transaction that writes it.

The payload is stored as the protocol's canonical JSON text (sync.protocol.canonical_json), the
text the sync client puts into the upload body as it is. Rows written before held the same value
with spaces after ',' and ':'; they are still valid JSON and are sent as they are (the server reads
the value, and compares a retried batch by the canonical JSON of that value, not by its bytes).
"""

from __future__ import annotations

import sqlite3

from sync.protocol import canonical_json

from kiosk.domain.ids import uuid7


def enqueue(db: sqlite3.Connection, *, entity: str, entity_id: str, payload: dict, created_at: str) -> int:
    """Queue one upsert op inside the caller's transaction; returns its `seq` (never reused).

    Raises ValueError for a payload JSON cannot hold (NaN, infinity), before anything is written."""
    cursor = db.execute(
        "INSERT INTO outbox (op_id, entity, entity_id, kind, created_at, payload, state) "
        "VALUES (?, ?, ?, 'upsert', ?, ?, 'pending')",
        (uuid7(), entity, entity_id, created_at, canonical_json(payload)))
    return cursor.lastrowid


def pending_count(db: sqlite3.Connection) -> int:
    return db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]


def dead_letters(db: sqlite3.Connection, limit: int = 50) -> list[dict]:
    """Ops the district refused: kept, and shown to the technician."""
    rows = db.execute("SELECT seq, entity, entity_id, reject_code, reject_detail FROM outbox "
                      "WHERE state = 'rejected' ORDER BY seq DESC LIMIT ?", (limit,))
    return [{"seq": s, "entity": e, "entity_id": i, "code": c, "detail": d} for s, e, i, c, d in rows]
