"""Adding up the figures of a month: one FigureRow per station, service, counter, channel and for the
whole, from the grouped rating counts and the month's work orders (sync.server.figures.queries).

Definitions (docs/district.md "Figures"):
- 满意率 satisfaction: ratings of level 3 to 5 (基本满意, 满意, 非常满意) / all ratings;
- 差评 poor: ratings of level 1 and 2; each opens one work order;
- 实名差评: poor ratings given with a phone number; called back (已回访) when a call_back step is
  recorded or the order is in called_back or a later state (not closed by an upheld appeal);
  回访率 = called back / 实名差评;
- 整改率 rectification: orders rectified, re-rated or closed (not by an upheld appeal) / the poor
  orders less those whose appeal was upheld (a malicious or mistaken rating needs no rectification);
- overdue: orders past their 回访 or 整改 deadline without having met it, now (as the work-order list);
- appeals: orders appealed at least once; upheld; rejected (all their decisions were rejections).
A rate is a Decimal of 4 places, or None when its denominator is 0 (shown as "—")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Iterable

from sync.server.figures.queries import OrderFacts, RatingCount
from sync.server.workorders.deadlines import add_working_days
from sync.server.workorders.states import CALLED_BACK_STATES, CLOSED, RECTIFIED_STATES
from sync.server.workorders.views import CHINA, Periods

LEVELS = (1, 2, 3, 4, 5)
SATISFIED_FROM = 3  # 基本满意 and better
POOR_UP_TO = 2
PLACES = Decimal("0.0001")


def rate(numerator: int, denominator: int) -> Decimal | None:
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass
class FigureRow:
    key: Any
    label: str
    extra: dict[str, Any] = field(default_factory=dict)
    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    orders: int = 0
    real_name_poor: int = 0
    real_name_called_back: int = 0
    rectified: int = 0
    overdue: int = 0
    appeals: int = 0
    appeals_upheld: int = 0
    appeals_rejected: int = 0

    @property
    def ratings(self) -> int:
        return sum(self.levels.values())

    @property
    def poor(self) -> int:
        return sum(n for level, n in self.levels.items() if level <= POOR_UP_TO)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(sum(n for level, n in self.levels.items() if level >= SATISFIED_FROM), self.ratings)

    @property
    def callback_rate(self) -> Decimal | None:
        return rate(self.real_name_called_back, self.real_name_poor)

    @property
    def rectify_rate(self) -> Decimal | None:
        return rate(self.rectified, self.orders - self.appeals_upheld)

    def as_json(self) -> dict[str, Any]:
        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return {"key": self.key, "label": self.label, **self.extra,
                "levels": {str(level): self.levels[level] for level in LEVELS}, "ratings": self.ratings,
                "satisfaction_rate": number(self.satisfaction_rate), "poor": self.poor,
                "real_name_poor": self.real_name_poor, "real_name_called_back": self.real_name_called_back,
                "callback_rate": number(self.callback_rate), "rectified": self.rectified,
                "rectify_rate": number(self.rectify_rate), "overdue": self.overdue, "appeals": self.appeals,
                "appeals_upheld": self.appeals_upheld, "appeals_rejected": self.appeals_rejected}


@lru_cache(maxsize=4096)
def _days_to_due(day: date, working_days: int) -> int:
    """Calendar days from a rating's day to its deadline (the time of day is kept)."""
    start = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
    return (add_working_days(start, working_days).due.date() - day).days


def _start(order: OrderFacts) -> datetime:
    try:
        moment = datetime.fromisoformat(order.rated_at)
    except ValueError:
        return datetime.fromtimestamp(0, CHINA)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)


def due_dates(order: OrderFacts, periods: Periods) -> tuple[datetime, datetime]:
    """The 回访 and 整改 deadlines of an order, as sync.server.workorders.views computes them."""
    start = _start(order)
    day = start.date()
    return (start + timedelta(days=_days_to_due(day, periods.call_back_days)),
            start + timedelta(days=_days_to_due(day, periods.rectify_days)))


@dataclass(frozen=True)
class OrderStatus:
    called_back: bool
    rectified: bool
    overdue: bool
    call_back_due: datetime
    rectify_due: datetime


def order_status(order: OrderFacts, periods: Periods, now: float) -> OrderStatus:
    upheld_close = order.upheld and order.state == CLOSED
    called = order.called_back or (order.state in CALLED_BACK_STATES and not upheld_close)
    rectified = order.state in RECTIFIED_STATES and not upheld_close
    call_due, rectify_due = due_dates(order, periods)
    moment = datetime.fromtimestamp(now, timezone.utc)
    closed = order.closed_at is not None
    late_call = not (order.state in CALLED_BACK_STATES or closed) and moment > call_due
    late_fix = not (order.state in RECTIFIED_STATES or closed) and moment > rectify_due
    return OrderStatus(called, rectified, late_call or late_fix, call_due, rectify_due)


def add_order(row: FigureRow, order: OrderFacts, status: OrderStatus) -> None:
    row.orders += 1
    if order.with_contact:
        row.real_name_poor += 1
        row.real_name_called_back += status.called_back
    row.rectified += status.rectified
    row.overdue += status.overdue
    if order.appealed:
        row.appeals += 1
        row.appeals_upheld += order.upheld
        row.appeals_rejected += order.rejected and not order.upheld


DIMENSIONS = ("station", "service", "counter", "channel")


def dimension_keys(order: OrderFacts) -> dict[str, Any]:
    return {"station": order.station_id, "service": order.service_code,
            "counter": (order.station_id, order.counter_id), "channel": order.channel}


def tally(counts: Iterable[RatingCount], orders: Iterable[OrderFacts], periods: Periods, now: float,
          make_row: Any) -> tuple[FigureRow, dict[str, dict[Any, FigureRow]]]:
    """The whole and one FigureRow per key of each dimension; ``make_row(dimension, key)`` makes a
    row with its label (``dimension`` None for the whole). The whole's levels are its stations'."""
    total = make_row(None, None)
    groups: dict[str, dict[Any, FigureRow]] = {name: {} for name in DIMENSIONS}

    def row_of(name: str, key: Any) -> FigureRow:
        row = groups[name].get(key)
        if row is None:
            row = groups[name][key] = make_row(name, key)
        return row

    for count in counts:
        row_of(count.dimension, count.key).levels[count.level] += count.count
        if count.dimension == "station":
            total.levels[count.level] += count.count
    for order in orders:
        status = order_status(order, periods, now)
        add_order(total, order, status)
        for name, key in dimension_keys(order).items():
            add_order(row_of(name, key), order, status)
    return total, groups
