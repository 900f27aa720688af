"""The audit log of personal data: every view of a resident's phone number or comment (who, when,
which record, from where). Written in the transaction that reads the data; read by the district
administrator (GET /console/api/audit)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sync.server.models import AuditEntry

VIEW_CONTACT = "view_contact"


def record(session: Session, *, actor: str, role: str, action: str, record_id: str, now: float,
           client: str | None = None) -> None:
    session.execute(insert(AuditEntry).values(at=now, actor=actor[:64], role=role[:32], action=action[:32],
                                              record=record_id[:160], client=(client or None) and client[:64]))


def entries(session: Session, *, limit: int = 200, before: int | None = None) -> dict[str, Any]:
    """Newest first; ``before`` an entry id to page back from."""
    statement = select(AuditEntry).order_by(AuditEntry.entry_id.desc()).limit(limit)
    if before is not None:
        statement = statement.where(AuditEntry.entry_id < before)
    rows = list(session.scalars(statement))
    return {"entries": [{"id": r.entry_id, "at": r.at, "actor": r.actor, "role": r.role, "action": r.action,
                         "record": r.record, "client": r.client} for r in rows],
            "next_before": rows[-1].entry_id if len(rows) == limit else None}
