"""The SQL of the figures (SQLAlchemy Core): ratings counted per station, service, counter, channel
and level (index ``ix_ratings_rated_ts``, or ``ix_ratings_station_rated_ts`` for one station; the
poor ones through the partial ``ix_ratings_poor_rated_ts``), and the month's work orders, one row
each, with what their steps say (called back, appealed, appeal upheld or rejected)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, null, select, text, tuple_
from sqlalchemy.orm import Session

from sync.protocol import POOR_LEVEL
from sync.server.db import is_postgres
from sync.server.figures.month import Month
from sync.server.models import Rating, WorkOrder, WorkOrderStep
from sync.server.workorders.states import CLOSED

ratings = Rating.__table__
orders = WorkOrder.__table__
steps = WorkOrderStep.__table__

# The counter of a rating: its own (a window pad's), else the one its work order found (the counter
# that called the ticket). A good rating at a kiosk names none.
COUNTER = func.coalesce(ratings.c.counter_id, orders.c.counter_id)


@dataclass(frozen=True)
class RatingCount:
    """The ratings of one level under one key of a dimension (station, service, counter, channel);
    a counter's key is (station, counter)."""
    dimension: str
    key: Any
    level: int
    count: int


@dataclass(frozen=True)
class OrderFacts:
    order_id: str
    rating_id: str
    station_id: str
    service_code: str | None
    counter_id: str | None
    channel: str
    level: int
    state: str
    unit: str | None
    reasons: Any
    rated_at: str
    closed_at: float | None
    with_contact: bool
    region_code: str | None
    indicator_version: str | None
    called_back: bool  # a call_back step is recorded
    appealed: bool  # an appeal step is recorded
    upheld: bool  # an appeal was upheld (the order closed as such)
    rejected: bool  # an appeal was rejected


def _in_month(month: Month, station_id: str | None) -> Any:
    start, end = month.bounds()
    where = and_(ratings.c.rated_ts >= start, ratings.c.rated_ts < end)
    return where if station_id is None else and_(ratings.c.station_id == station_id, where)


def tune(session: Session) -> None:
    """PostgreSQL, for this transaction: room to group the month's ratings in memory (a hash, not
    an external sort under the collation), and no JIT (compiling costs more than these queries)."""
    if is_postgres(session):
        session.execute(text("SET LOCAL work_mem = '32MB'"))
        session.execute(text("SET LOCAL jit = off"))


# The sets of keys the ratings are counted under, and the bits GROUPING() gives each on PostgreSQL
# (a bit set: the column is not in the set) over (station, service, counter, channel).
SETS = {"station": (True, False, False, False), "service": (False, True, False, False),
        "counter": (True, False, True, False), "channel": (False, False, False, True)}
GROUPING_BITS = {sum(0 if used else 1 << (3 - i) for i, used in enumerate(kept)): name for name, kept in SETS.items()}


def _key(dimension: str, station: Any, service: Any, counter: Any, channel: Any) -> Any:
    return {"station": station, "service": service, "counter": (station, counter), "channel": channel}[dimension]


def rating_counts(session: Session, month: Month, station_id: str | None) -> list[RatingCount]:
    """The month's ratings per level under each dimension. Good ratings are counted as they are
    (they have no work order); poor ones with their order's counter, through the partial index of
    poor ratings. PostgreSQL counts every dimension in one pass (GROUPING SETS); SQLite, which has
    none, in one query per dimension."""
    counted: list[RatingCount] = []
    for poor in (False, True):
        counter = COUNTER if poor else ratings.c.counter_id
        columns = (ratings.c.station_id, ratings.c.service_code, counter, ratings.c.channel)
        base = select(*columns, ratings.c.level, func.count())
        if poor:
            base = base.select_from(ratings.outerjoin(orders, orders.c.rating_id == ratings.c.rating_id))
        base = base.where(_in_month(month, station_id),
                          ratings.c.level <= POOR_LEVEL if poor else ratings.c.level > POOR_LEVEL)
        if is_postgres(session):
            sets = [tuple_(*[c for c, used in zip(columns, kept) if used], ratings.c.level) for kept in SETS.values()]
            statement = base.add_columns(func.grouping(*columns)).group_by(func.grouping_sets(*sets))
            for *keys, level, n, bits in session.execute(statement):
                dimension = GROUPING_BITS[bits]
                counted.append(RatingCount(dimension, _key(dimension, *keys), level, n))
            continue
        for dimension, kept in SETS.items():
            grouped = [c if used else null() for c, used in zip(columns, kept)]
            statement = base.with_only_columns(*grouped, ratings.c.level, func.count()).group_by(
                *[c for c, used in zip(columns, kept) if used], ratings.c.level)
            counted += [RatingCount(dimension, _key(dimension, *keys), level, n)
                        for *keys, level, n in session.execute(statement)]
    return counted


def _flag(*condition: Any) -> Any:
    return func.max(case((and_(*condition), 1), else_=0))


def month_orders(session: Session, month: Month, station_id: str | None) -> list[OrderFacts]:
    """The work orders of the ratings of the month, oldest rating first; their steps read in one
    grouped pass over the steps of those orders only."""
    month_poor = and_(_in_month(month, station_id), ratings.c.level <= POOR_LEVEL)  # every order's rating is poor
    of_month = (select(orders.c.order_id).select_from(orders.join(ratings, ratings.c.rating_id == orders.c.rating_id))
                .where(month_poor))
    said = (
        select(steps.c.order_id.label("order_id"), _flag(steps.c.action == "call_back").label("called_back"),
               _flag(steps.c.action == "appeal").label("appealed"),
               _flag(steps.c.action == "decide_appeal", steps.c.to_state == CLOSED).label("upheld"),
               _flag(steps.c.action == "decide_appeal", steps.c.to_state != CLOSED).label("rejected"))
        .where(steps.c.order_id.in_(of_month))
        .group_by(steps.c.order_id)
        .subquery()
    )
    statement = (
        select(orders.c.order_id, orders.c.rating_id, ratings.c.station_id, ratings.c.service_code,
               COUNTER.label("counter_id"), ratings.c.channel, orders.c.level, orders.c.state, orders.c.unit,
               orders.c.reasons, orders.c.rated_at, orders.c.closed_at, ratings.c.with_contact,
               ratings.c.region_code, ratings.c.indicator_version,
               said.c.called_back, said.c.appealed, said.c.upheld, said.c.rejected)
        .select_from(orders.join(ratings, ratings.c.rating_id == orders.c.rating_id)
                     .outerjoin(said, said.c.order_id == orders.c.order_id))
        .where(month_poor)
        .order_by(ratings.c.rated_ts, orders.c.order_id)
    )
    return [OrderFacts(*row[:12], bool(row[12]), row[13], row[14], *(bool(v) for v in row[15:]))
            for row in session.execute(statement)]


def floor_count(session: Session, month: Month, station_id: str | None) -> int:
    """``SELECT count(*)`` over the same rows: the benchmark's floor."""
    return session.scalar(select(func.count()).select_from(ratings).where(_in_month(month, station_id)))
