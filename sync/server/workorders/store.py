"""Taking an action on a work order: the role, the order's scope, the body, then the state table
(sync.server.workorders.states). Every step records who, when, from and to which state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from sync.protocol import RATING_LEVELS
from sync.server.db import is_postgres
from sync.server.models import WorkOrder, WorkOrderStep
from sync.server.workorders.access import Actor, Forbidden, can_see, check_role
from sync.server.workorders.opening import department
from sync.server.workorders.states import CLOSED, REJECT, UPHOLD, next_state

__all__ = ["Forbidden", "InvalidBody", "NotFound", "load_order", "parse_body", "transition"]

OUTCOMES = ("reached", "not_reached")
APPEAL_KINDS = ("malicious", "mistaken")


class NotFound(Exception):
    pass


class InvalidBody(ValueError):
    pass


def _text(body: dict[str, Any], name: str, *, required: bool, max_len: int) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_len or "\x00" in value:
        raise InvalidBody(f"{name} must be a non-empty text of at most {max_len} characters")
    return value.strip()


def _choice(body: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str:
    value = body.get(name)
    if value not in allowed:
        raise InvalidBody(f"{name} must be one of {', '.join(allowed)}")
    return value


def parse_body(action: str, body: Any) -> dict[str, Any]:
    """What the action records, from the request body; InvalidBody names the field."""
    if not isinstance(body, dict):
        raise InvalidBody("body must be a JSON object")
    if action == "assign":
        return {"unit": _text(body, "unit", required=False, max_len=128)}
    if action in ("verify", "close"):
        return {"note": _text(body, "note", required=False, max_len=1000)}
    if action == "call_back":
        outcome = _choice(body, "outcome", OUTCOMES)
        said = _text(body, "resident_said", required=outcome == "reached", max_len=1000)
        return {"outcome": outcome, "resident_said": said}
    if action == "rectify":
        return {"changes": _text(body, "changes", required=True, max_len=2000)}
    if action == "re_rate":
        level = body.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or level not in RATING_LEVELS:
            raise InvalidBody("level must be the resident's new level, 1..5")
        return {"level": level}
    if action == "appeal":
        return {"kind": _choice(body, "kind", APPEAL_KINDS), "reason": _text(body, "reason", required=True, max_len=2000)}
    if action == "decide_appeal":
        return {"decision": _choice(body, "decision", (UPHOLD, REJECT)),
                "reason": _text(body, "reason", required=True, max_len=2000)}
    raise InvalidBody(f"unknown action {action!r}")


def load_order(session: Session, order_id: str, *, for_update: bool = False) -> WorkOrder:
    statement = select(WorkOrder).where(WorkOrder.order_id == order_id)
    if for_update and is_postgres(session):
        statement = statement.with_for_update()
    order = session.scalars(statement).one_or_none()
    if order is None:
        raise NotFound(f"no work order {order_id!r}")
    return order


FACT_KEYS = {"assign": "assignment", "verify": "verification", "call_back": "call_back", "rectify": "rectification",
             "re_rate": "re_rating", "close": "closing", "appeal": "appeal"}


def transition(session: Session, order_id: str, action: str, body: Any, actor: Actor, now: float) -> WorkOrder:
    """Forbidden (403), NotFound (404), InvalidBody (422), IllegalTransition (409), in that order."""
    check_role(actor, action)
    order = load_order(session, order_id, for_update=True)
    if not can_see(actor, order):
        raise Forbidden(f"work order {order_id} is not in the scope of {actor.name}")
    data = parse_body(action, body)
    if action == "assign" and data["unit"] is None:
        data["unit"] = order.unit or department(session, order.service_code)
        if data["unit"] is None:
            raise InvalidBody("unit is required: the service names no department in the catalogue")
    before = order.state
    after = next_state(before, action, decision=data.get("decision"), appealed_from=order.appealed_from)
    facts = dict(order.facts or {})
    if action == "decide_appeal":
        facts["appeal"] = {**facts.get("appeal", {}), "decision": data["decision"], "decision_reason": data["reason"],
                           "decided_by": actor.name}
        order.appealed_from = None
    else:
        facts[FACT_KEYS[action]] = {**data, "by": actor.name}
    if action == "call_back":
        facts["call_attempts"] = int(facts.get("call_attempts", 0)) + 1
    if action == "assign":
        order.unit = data["unit"]
    if action == "appeal":
        order.appealed_from = before
    order.facts = facts
    flag_modified(order, "facts")
    order.state, order.updated_at = after, now
    if after == CLOSED:
        order.closed_at = now
    session.add(WorkOrderStep(order_id=order.order_id, action=action, from_state=before, to_state=after,
                              actor=actor.name, role=actor.role, at=now, data=data))
    session.flush()
    return order
