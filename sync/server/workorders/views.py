"""Work orders as the console's API shows them: their deadlines in Chinese working days, overdue
flags and (for one order) its steps. Phone numbers and comments are never here (sync.server.console
hands them to the caller alone, audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.catalogue import config_value
from sync.server.models import WorkOrder, WorkOrderStep
from sync.server.workorders.access import Actor, Forbidden, can_see, scope
from sync.server.workorders.deadlines import add_working_days
from sync.server.workorders.states import CALLED_BACK_STATES, CLOSED, RECTIFIED_STATES, STATE_LABELS
from sync.server.workorders.store import load_order

CHINA = timezone(timedelta(hours=8))
CALL_BACK_KEY, CALL_BACK_DEFAULT = "followup_working_days", 5
RECTIFY_KEY, RECTIFY_DEFAULT = "rectify_working_days", 15


@dataclass(frozen=True)
class Periods:
    call_back_days: int = CALL_BACK_DEFAULT
    rectify_days: int = RECTIFY_DEFAULT


def _days(session: Session, key: str, default: int) -> int:
    value = config_value(session, key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        return default
    return value


def periods(session: Session) -> Periods:
    """The district's config items ``followup_working_days`` (回访, default 5) and
    ``rectify_working_days`` (整改, default 15)."""
    return Periods(_days(session, CALL_BACK_KEY, CALL_BACK_DEFAULT), _days(session, RECTIFY_KEY, RECTIFY_DEFAULT))


def stamp(seconds: float | None) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, CHINA).isoformat(timespec="seconds")


def _start(order: WorkOrder) -> datetime:
    try:
        started = datetime.fromisoformat(order.rated_at)
        if started.tzinfo is not None:
            return started
    except ValueError:
        pass
    return datetime.fromtimestamp(order.opened_at, CHINA)


def deadlines(order: WorkOrder, now: float, given: Periods) -> dict[str, Any]:
    start = _start(order)
    moment = datetime.fromtimestamp(now, timezone.utc)
    out: dict[str, Any] = {}
    official = True
    for name, days, done_states in (("call_back", given.call_back_days, CALLED_BACK_STATES),
                                    ("rectify", given.rectify_days, RECTIFIED_STATES)):
        deadline = add_working_days(start, days)
        official = official and deadline.official
        done = order.state in done_states or order.closed_at is not None
        out[name] = {"working_days": days, "due": deadline.due.isoformat(), "done": done,
                     "overdue": not done and moment > deadline.due}
    out["calendar"] = "official" if official else "weekends_only"
    return out


def order_view(order: WorkOrder, now: float, given: Periods) -> dict[str, Any]:
    due = deadlines(order, now, given)
    return {
        "order_id": order.order_id, "rating_id": order.rating_id, "ticket_id": order.ticket_id,
        "station_id": order.station_id, "service_code": order.service_code, "counter_id": order.counter_id,
        "unit": order.unit, "level": order.level, "reasons": list(order.reasons or []), "rated_at": order.rated_at,
        "state": order.state, "state_label": STATE_LABELS.get(order.state, order.state),
        "appealed_from": order.appealed_from, "facts": order.facts or {},
        "opened_at": stamp(order.opened_at), "updated_at": stamp(order.updated_at), "closed_at": stamp(order.closed_at),
        "personal_data_purged": order.purged_at is not None,
        "deadlines": {"call_back": due["call_back"], "rectify": due["rectify"]},
        "calendar": due["calendar"],
        "overdue": due["call_back"]["overdue"] or due["rectify"]["overdue"],
    }


def list_orders(session: Session, actor: Actor, now: float, *, state: str | None = None,
                open_only: bool = False, overdue: bool | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The orders in ``actor``'s scope, oldest rating first (by the moment rated)."""
    statement = select(WorkOrder).where(scope(actor))
    if state is not None:
        statement = statement.where(WorkOrder.state == state)
    if open_only:
        statement = statement.where(WorkOrder.state != CLOSED)
    given = periods(session)
    views = [order_view(order, now, given) for order in session.scalars(statement)]
    if overdue is not None:
        views = [v for v in views if v["overdue"] == overdue]
    views.sort(key=lambda v: (_start_of(v), v["order_id"]))
    return views[:limit]


def _start_of(view: dict[str, Any]) -> datetime:
    try:
        moment = datetime.fromisoformat(view["rated_at"])
        return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)
    except ValueError:
        return datetime.fromisoformat(view["opened_at"])


def order_detail(session: Session, actor: Actor, order_id: str, now: float) -> dict[str, Any]:
    order = load_order(session, order_id)
    if not can_see(actor, order):
        raise Forbidden(f"work order {order_id} is not in the scope of {actor.name}")
    view = order_view(order, now, periods(session))
    view["steps"] = [{"action": s.action, "from": s.from_state, "to": s.to_state, "by": s.actor, "role": s.role,
                      "at": stamp(s.at), "data": s.data}
                     for s in session.scalars(select(WorkOrderStep).where(WorkOrderStep.order_id == order_id)
                                              .order_by(WorkOrderStep.step_id))]
    return view
