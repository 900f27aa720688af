"""The retention purge (`district-server purge`, nightly by district-purge.timer): a resident's
phone number and comment are cleared once their work order is closed (办结) and the district's
period has passed (config item ``personal_data_retention_days``, default 180). The ratings stay,
without personal fields, for the statistics. Also cleared after the period: comments of ratings
that opened no work order, personal fields of refused rating ops, and ended console sessions and
old login-throttle rows. The fleet's heartbeat history is kept ``fleet_heartbeat_retention_days``
(default 7; docs/fleet-health.md), cleared alerts as long."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from sync.protocol import POOR_LEVEL, REJECTED
from sync.server.catalogue import config_value
from sync.server.console.throttle import forget_old
from sync.server.fleet.alerts import forget_cleared
from sync.server.fleet.rules import thresholds
from sync.server.models import ConsoleSession, DeviceHeartbeat, Op, Rating, WorkOrder, WorkOrderStep

CONFIG_KEY = "personal_data_retention_days"
DEFAULT_DAYS = 180
PERSONAL_FIELDS = ("contact_phone", "comment")
DAY_S = 86400.0


def retention_days(session: Session) -> int:
    value = config_value(session, CONFIG_KEY, DEFAULT_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return DEFAULT_DAYS
    return value


def _cleared(payload: Any) -> Any:
    if not isinstance(payload, dict) or all(payload.get(name) is None for name in PERSONAL_FIELDS):
        return None
    return {**payload, **{name: None for name in PERSONAL_FIELDS if name in payload}}


def _clear_rating(session: Session, rating: Rating) -> None:
    rating.contact_phone = None
    data = _cleared(rating.data)
    if data is not None:
        rating.data = data
        flag_modified(rating, "data")
    op = session.get(Op, (rating.kiosk_id, rating.seq))
    payload = _cleared(op.payload) if op is not None else None
    if op is not None and payload is not None:
        op.payload = payload
        flag_modified(op, "payload")


def _clear_order(session: Session, order: WorkOrder, now: float) -> None:
    rating = session.scalars(select(Rating).where(Rating.rating_id == order.rating_id)).one_or_none()
    if rating is not None:
        _clear_rating(session, rating)
    call = (order.facts or {}).get("call_back")
    if isinstance(call, dict) and call.get("resident_said") is not None:
        order.facts = {**order.facts, "call_back": {**call, "resident_said": None}}
        flag_modified(order, "facts")
    for step in session.scalars(select(WorkOrderStep).where(WorkOrderStep.order_id == order.order_id,
                                                            WorkOrderStep.action == "call_back")):
        if isinstance(step.data, dict) and step.data.get("resident_said") is not None:
            step.data = {**step.data, "resident_said": None}
            flag_modified(step, "data")
    order.purged_at = now


def purge(session: Session, now: float, days: int | None = None) -> dict[str, int]:
    """Clear what the period allows; returns counts by kind."""
    days = retention_days(session) if days is None else days
    cutoff = now - days * DAY_S
    counts = {"work_orders": 0, "ratings": 0, "refused_ops": 0, "sessions": 0, "throttle": 0}
    for order in session.scalars(select(WorkOrder).where(WorkOrder.closed_at < cutoff, WorkOrder.purged_at.is_(None))):
        _clear_order(session, order, now)
        counts["work_orders"] += 1
    old_ratings = (select(Rating).join(Op, and_(Op.kiosk_id == Rating.kiosk_id, Op.seq == Rating.seq))
                   .where(Rating.level > POOR_LEVEL, Op.received_at < cutoff,
                          Rating.data["comment"].as_string().is_not(None)))
    for rating in session.scalars(old_ratings):
        _clear_rating(session, rating)
        counts["ratings"] += 1
    refused = select(Op).where(Op.entity == "rating", Op.status == REJECTED, Op.received_at < cutoff,
                               Op.payload.is_not(None))
    for op in session.scalars(refused):
        payload = _cleared(op.payload)
        if payload is not None:
            op.payload = payload
            flag_modified(op, "payload")
            counts["refused_ops"] += 1
    counts["sessions"] = session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now)).rowcount
    counts["throttle"] = forget_old(session, now)
    counts.update(purge_fleet(session, now))
    return counts


def purge_fleet(session: Session, now: float) -> dict[str, int]:
    """Delete the heartbeats and the cleared alerts older than the fleet's retention period."""
    cutoff = now - thresholds(session).retention_days * DAY_S
    heartbeats = session.execute(delete(DeviceHeartbeat).where(DeviceHeartbeat.received_at < cutoff)).rowcount or 0
    return {"heartbeats": heartbeats, "fleet_alerts": forget_cleared(session, cutoff)}
