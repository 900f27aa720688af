"""A kiosk's own ops as the district stored them, for `kiosk store recover`
(docs/sync-protocol.md, "Recovery").

A kiosk whose disk died rebuilds its store from these: the seq and op_id of every op the district
holds (so the kiosk's seq goes on after them and reconciliation still agrees), the payloads of its
tickets and ratings (so numbering resumes after the last number), and how each op was settled.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.models import Kiosk, Op

MAX_LIMIT = 1000


def read_page(session: Session, kiosk_id: str, since: int, limit: int) -> dict[str, Any]:
    """Ops of ``kiosk_id`` with seq > ``since``, ascending, at most ``limit`` of them."""
    rows = session.execute(
        select(Op.seq, Op.op_id, Op.entity, Op.entity_id, Op.kind, Op.created_at, Op.payload, Op.status, Op.code)
        .where(Op.kiosk_id == kiosk_id, Op.seq > since).order_by(Op.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    ops = [{"seq": seq, "op_id": op_id, "entity": entity, "entity_id": entity_id, "kind": kind,
            "created_at": created_at, "payload": payload, "status": status, "code": code}
           for seq, op_id, entity, entity_id, kind, created_at, payload, status, code in rows[:limit]]
    high_water = session.execute(select(Kiosk.high_water).where(Kiosk.kiosk_id == kiosk_id)).scalar() or 0
    last_seq = session.execute(select(func.max(Op.seq)).where(Op.kiosk_id == kiosk_id)).scalar() or 0
    return {"ops": ops, "high_water": high_water, "last_seq": last_seq, "has_more": more,
            "next": ops[-1]["seq"] if ops else since}
