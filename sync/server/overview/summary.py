"""The overview's figures of one business day, for the district or one station (docs/console-overview.md):
tickets, waiting now, served, the one-hour share, 满意率, open 差评 orders, devices needing
attention; tickets by hour of issue, the waits, the one-hour share per station over the last
days, and the ratings per level."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.protocol import POOR_LEVEL
from sync.server.catalogue import config_value
from sync.server.fleet.status import device_states
from sync.server.models import CatalogueItem, Rating, StationQueue, WorkOrder
from sync.server.overview.days import business_date, day_bounds, days_before
from sync.server.figures.queries import tune
from sync.server.overview.tickets import PastDays, TicketFigures, days_figures, wait_buckets
from sync.server.workorders.states import CLOSED

ONE_HOUR_KEY = "one_hour_rule_minutes"
DEFAULT_ONE_HOUR = 60
TREND_DAYS = 7  # the one-hour share per station: this many business days up to the one shown
ratings = Rating.__table__
orders = WorkOrder.__table__


def one_hour_minutes(session: Session) -> int:
    value = config_value(session, ONE_HOUR_KEY, DEFAULT_ONE_HOUR)
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 24 * 60 \
        else DEFAULT_ONE_HOUR


def stations(session: Session, station_id: str | None = None) -> dict[str, dict[str, Any]]:
    """The catalogue's stations (id -> data), sorted by id."""
    query = select(CatalogueItem.item_id, CatalogueItem.data).where(CatalogueItem.entity == "station")
    if station_id is not None:
        query = query.where(CatalogueItem.item_id == station_id)
    return {item_id: data if isinstance(data, dict) else {} for item_id, data in
            sorted(session.execute(query).all())}


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rating_levels(session: Session, start: float, end: float, station_id: str | None) -> dict[str, list[int]]:
    """station -> ratings per level (index 0 is level 1) rated in [start, end)."""
    query = (select(ratings.c.station_id, ratings.c.level, func.count())
             .where(ratings.c.rated_ts >= start, ratings.c.rated_ts < end)
             .group_by(ratings.c.station_id, ratings.c.level))
    if station_id is not None:
        query = query.where(ratings.c.station_id == station_id)
    out: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
    for station, level, count in session.execute(query):
        if 1 <= level <= 5:
            out[station][level - 1] += count
    return out


def open_orders(session: Session, station_id: str | None) -> dict[str, int]:
    query = select(orders.c.station_id, func.count()).where(orders.c.state != CLOSED).group_by(orders.c.station_id)
    if station_id is not None:
        query = query.where(orders.c.station_id == station_id)
    return dict(session.execute(query).all())


def waiting_now(session: Session, day: date, station_id: str | None) -> dict[str, int]:
    """station -> tickets waiting in its latest queue snapshot of ``day``."""
    query = select(StationQueue.station_id, StationQueue.data).where(StationQueue.business_date == day.isoformat())
    if station_id is not None:
        query = query.where(StationQueue.station_id == station_id)
    return {station: sum(1 for entry in (data or {}).values() if isinstance(entry, dict)
                         and entry.get("status") == "waiting")
            for station, data in session.execute(query)}


def _level_row(levels: list[int]) -> dict[str, Any]:
    total = sum(levels)
    return {"levels": {str(i + 1): n for i, n in enumerate(levels)}, "ratings": total,
            "satisfaction_rate": rate(sum(levels[POOR_LEVEL:]), total), "poor": sum(levels[:POOR_LEVEL])}


def station_row(figures: TicketFigures, day: str, station: str, levels: list[int], waiting: int | None,
                open_poor: int, attention: int) -> dict[str, Any]:
    count = figures.count(station, day) if station else figures.day_total(day)
    return {"tickets": count.tickets, "waiting": waiting, "called": count.called, "served": count.served,
            "one_hour_within": count.within, "one_hour_share": count.share, **_level_row(levels),
            "open_poor_orders": open_poor, "kiosks_attention": attention}


def day_overview(session: Session, day: date, station_id: str | None, now: float,
                 past: PastDays | None = None) -> dict[str, Any]:
    """The overview's answer (GET /console/api/overview); finished days' ticket figures from ``past``."""
    tune(session)
    minutes = one_hour_minutes(session)
    named = stations(session, station_id)
    trend = days_before(day, TREND_DAYS)
    figures = days_figures(session, trend, station_id, minutes, business_date(now), past)
    shown = day.isoformat()
    levels = rating_levels(session, *day_bounds(day), station_id)
    today = business_date(now) == day
    waiting = waiting_now(session, day, station_id) if today else {}
    open_poor = open_orders(session, station_id)
    devices = device_states(session, now, station_id=station_id)
    attention = [d for d in devices if d.get("health") != "ok"]
    needing: dict[str, int] = defaultdict(int)
    for device in attention:
        needing[device.get("station_id")] += 1
    rows = []
    for station, data in named.items():
        row = station_row(figures, shown, station, levels.get(station, [0] * 5),
                          waiting.get(station, 0) if today else None, open_poor.get(station, 0), needing[station])
        rows.append({"station_id": station, "name": data.get("name") or station, **row})
    all_levels = [sum(column) for column in zip(*levels.values())] if levels else [0] * 5
    totals = station_row(figures, shown, "", all_levels, sum(waiting.values()) if today else None,
                         sum(open_poor.values()), len(attention))
    return {
        "business_date": shown, "today": today, "station_id": station_id, "one_hour_rule_minutes": minutes,
        "totals": totals, "stations": rows,
        "by_hour": [{"hour": h, "tickets": n} for h, n in enumerate(figures.by_hour.get(shown, [0] * 24))],
        "waits": wait_buckets(figures.waits.get(shown, [0] * 8)),
        "one_hour_days": {"dates": [d.isoformat() for d in trend], "stations": [
            {"station_id": station, "name": data.get("name") or station,
             "shares": [figures.count(station, d.isoformat()).share for d in trend],
             "served": [figures.count(station, d.isoformat()).served for d in trend]}
            for station, data in named.items()]},
        "attention": [{"kiosk_id": d.get("kiosk_id"), "station_id": d.get("station_id"), "role": d.get("role"),
                       "health": d.get("health"), "problems": list(d.get("problems") or [])} for d in attention],
    }
