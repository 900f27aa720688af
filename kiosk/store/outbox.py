"""The outbox of sync-v1: every record to upload is queued in the transaction that writes it."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.domain.ids import uuid7
from kiosk.store.tables import OutboxRow


def enqueue(session: Session, *, entity: str, entity_id: str, payload: dict, created_at: str) -> OutboxRow:
    """Queue one upsert op in the caller's transaction; `seq` is given by SQLite at flush."""
    row = OutboxRow(op_id=uuid7(), entity=entity, entity_id=entity_id, kind="upsert",
                    created_at=created_at, payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
                    state="pending")
    session.add(row)
    return row


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.state == "pending")) or 0
