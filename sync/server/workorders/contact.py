"""The resident's phone number and comment of a work order: for the 回访员 (caller) alone, and
every view written to the audit log in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server import audit
from sync.server.models import Rating
from sync.server.workorders.access import Actor, Forbidden, sees_contact
from sync.server.workorders.store import load_order


def contact_of(session: Session, actor: Actor, order_id: str, now: float) -> dict[str, Any]:
    if not sees_contact(actor):
        raise Forbidden("only the follow-up role (回访员, caller) sees phone numbers and comments")
    order = load_order(session, order_id)
    rating = session.scalars(select(Rating).where(Rating.rating_id == order.rating_id)).one_or_none()
    data = rating.data if rating is not None and isinstance(rating.data, dict) else {}
    audit.record(session, actor=actor.name, role=actor.role, action=audit.VIEW_CONTACT,
                 record_id=f"work_order:{order.order_id}", now=now, client=actor.client)
    return {"order_id": order.order_id, "rating_id": order.rating_id,
            "contact_phone": rating.contact_phone if rating is not None else None,
            "comment": data.get("comment"), "personal_data_purged": order.purged_at is not None}
