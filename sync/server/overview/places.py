"""The service-circle map's stations and kiosks (where they are, their health, their one-hour share)
and a station's page (its kiosks, counters, hours and figures)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.protocol import POOR_LEVEL
from sync.server.fleet.status import device_states
from sync.server.models import Kiosk, Rating, WorkOrder
from sync.server.overview.days import business_date, day_bounds
from sync.server.overview.summary import day_overview, one_hour_minutes, rate, stations, waiting_now
from sync.server.figures.queries import tune
from sync.server.overview.tickets import PastDays, days_figures

WALK_MINUTES = 10
WALK_RADIUS_M = 800  # a 10-minute walk at about 80 m a minute
COUNTER_DAYS = 30
HEALTH_ORDER = {"alert": 3, "warning": 2, "ok": 1, "unknown": 0}
STATION_FIELDS = ("name", "name_en", "address", "address_en", "phone", "kind", "lat", "lon", "hours", "noon_open",
                  "extended_hours", "self_service_24h")


def _coordinate(value: Any, low: float, high: float) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        and low <= value <= high else None


def devices_of(session: Session, now: float, station_id: str | None) -> dict[str, list[dict[str, Any]]]:
    """station -> its enrolled kiosks and station services with their health ("unknown": never reported)."""
    states = {d["kiosk_id"]: d for d in device_states(session, now, station_id=station_id)}
    query = select(Kiosk.kiosk_id, Kiosk.station_id, Kiosk.role, Kiosk.app_version, Kiosk.enrolled_at)
    if station_id is not None:
        query = query.where(Kiosk.station_id == station_id)
    out: dict[str, list[dict[str, Any]]] = {}
    seen = set()
    for kiosk_id, station, role, version, enrolled in session.execute(query.order_by(Kiosk.kiosk_id)):
        state = states.get(kiosk_id, {})
        seen.add(kiosk_id)
        out.setdefault(station, []).append({
            "kiosk_id": kiosk_id, "role": role or "kiosk", "app_version": version, "enrolled_at": enrolled,
            "health": state.get("health", "unknown"), "problems": list(state.get("problems") or []),
            "received_at": state.get("received_at")})
    for kiosk_id, state in states.items():  # reported, not (or no longer) enrolled
        if kiosk_id not in seen:
            out.setdefault(state.get("station_id"), []).append({
                "kiosk_id": kiosk_id, "role": state.get("role") or "kiosk", "app_version": None,
                "enrolled_at": None, "health": state.get("health", "unknown"),
                "problems": list(state.get("problems") or []), "received_at": state.get("received_at")})
    return out


def worst(devices: list[dict[str, Any]]) -> str:
    return max((d["health"] for d in devices), key=lambda h: HEALTH_ORDER.get(h, 0), default="unknown")


def map_answer(session: Session, day: date, station_id: str | None, now: float,
               past: PastDays | None = None) -> dict[str, Any]:
    """GET /console/api/map: every station (or the head's own) where it is, and its kiosks."""
    tune(session)
    minutes = one_hour_minutes(session)
    figures = days_figures(session, [day], station_id, minutes, business_date(now), past)
    today = business_date(now) == day
    waiting = waiting_now(session, day, station_id) if today else {}
    devices = devices_of(session, now, station_id)
    out = []
    for station, data in stations(session, station_id).items():
        count = figures.count(station, day.isoformat())
        kiosks = devices.get(station, [])
        out.append({"station_id": station, "name": data.get("name") or station, "name_en": data.get("name_en"),
                    "kind": data.get("kind"), "address": data.get("address"),
                    "lat": _coordinate(data.get("lat"), -90, 90), "lon": _coordinate(data.get("lon"), -180, 180),
                    "health": worst(kiosks), "tickets": count.tickets, "served": count.served,
                    "one_hour_within": count.within, "one_hour_share": count.share,
                    "waiting": waiting.get(station, 0) if today else None,
                    "kiosks": [{k: d[k] for k in ("kiosk_id", "role", "health", "problems")} for d in kiosks]})
    return {"business_date": day.isoformat(), "today": today, "one_hour_rule_minutes": minutes,
            "walk_minutes": WALK_MINUTES, "walk_radius_m": WALK_RADIUS_M, "stations": out}


def counters_of(session: Session, station_id: str, day: date) -> list[dict[str, Any]]:
    """The counters (窗口) the station's ratings of the last 30 days name: their own (a window
    pad's) or, for a poor one, the counter its work order found."""
    start = day_bounds(day)[1] - COUNTER_DAYS * 86400
    ratings, orders = Rating.__table__, WorkOrder.__table__
    counter = func.coalesce(ratings.c.counter_id, orders.c.counter_id)
    query = (select(counter, ratings.c.level, func.count())
             .select_from(ratings.outerjoin(orders, orders.c.rating_id == ratings.c.rating_id))
             .where(ratings.c.station_id == station_id, ratings.c.rated_ts >= start,
                    ratings.c.rated_ts < day_bounds(day)[1], counter.is_not(None))
             .group_by(counter, ratings.c.level))
    levels: dict[str, list[int]] = {}
    for name, level, count in session.execute(query):
        if 1 <= level <= 5:
            levels.setdefault(name, [0] * 5)[level - 1] += count
    return [{"counter_id": name, "ratings": sum(v), "poor": sum(v[:POOR_LEVEL]),
             "satisfaction_rate": rate(sum(v[POOR_LEVEL:]), sum(v))} for name, v in sorted(levels.items())]


def station_answer(session: Session, station_id: str, day: date, now: float,
                   past: PastDays | None = None) -> dict[str, Any]:
    """GET /console/api/stations/{id}: the station, its kiosks, counters and the day's figures."""
    data = stations(session, station_id)[station_id]
    station = {"station_id": station_id, **{k: data.get(k) for k in STATION_FIELDS},
               "services": len(data.get("services") or [])}
    station["lat"], station["lon"] = _coordinate(data.get("lat"), -90, 90), _coordinate(data.get("lon"), -180, 180)
    return {"station": station, "kiosks": devices_of(session, now, station_id).get(station_id, []),
            "counters": counters_of(session, station_id, day), "counter_days": COUNTER_DAYS,
            "overview": day_overview(session, day, station_id, now, past)}
