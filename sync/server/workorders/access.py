"""Who sees which work orders and who may take which action on them.

- 区管理员 district_admin: every order, every action but the unit's appeal;
- 站点负责人 station_head: the orders of their station (assign, close);
- 承办单位 unit: the orders assigned to their unit (verify, rectify, appeal);
- 回访员 caller: every order (call back, re-rate); the only role that sees phone numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, true

from sync.server.models import WorkOrder
from sync.server.workorders.states import ACTIONS, CALLER, DISTRICT_ADMIN, STATION_HEAD, UNIT


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    station_id: str | None = None
    unit: str | None = None
    client: str | None = None  # the address the request came from, for the audit log


class Forbidden(Exception):
    pass


def scope(actor: Actor) -> Any:
    """A WHERE clause: the orders ``actor`` may see."""
    if actor.role in (DISTRICT_ADMIN, CALLER):
        return true()
    if actor.role == STATION_HEAD and actor.station_id:
        return WorkOrder.station_id == actor.station_id
    if actor.role == UNIT and actor.unit:
        return WorkOrder.unit == actor.unit
    return false()


def can_see(actor: Actor, order: WorkOrder) -> bool:
    if actor.role in (DISTRICT_ADMIN, CALLER):
        return True
    if actor.role == STATION_HEAD:
        return bool(actor.station_id) and order.station_id == actor.station_id
    if actor.role == UNIT:
        return bool(actor.unit) and order.unit == actor.unit
    return False


def check_role(actor: Actor, action: str) -> None:
    """Forbidden unless the role may take ``action`` at all (before the order is looked at)."""
    spec = ACTIONS.get(action)
    if spec is None or actor.role not in spec.roles:
        raise Forbidden(f"role {actor.role} may not {action}")


def sees_contact(actor: Actor) -> bool:
    """Only the follow-up role sees the resident's phone number and comment."""
    return actor.role == CALLER
