"""The figures of a month as the console's API answers them (GET /console/api/figures) and as the
export writes them: the whole, then one row per station, service, counter and channel, labelled in
Chinese from the catalogue; and the month's 差评 work orders (no phone numbers, no comments)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import DISTRICT_CONFIG_KEY
from sync.server.catalogue import config_value
from sync.server.figures import queries
from sync.server.figures.month import Month
from sync.server.figures.record import CHANNEL_LABELS, district_region, region_code
from sync.server.figures.tally import FigureRow, OrderStatus, order_status, tally
from sync.server.models import CatalogueItem
from sync.server.workorders.states import STATE_LABELS
from sync.server.workorders.views import Periods, periods

NO_SERVICE, NO_COUNTER = "未指明事项", "未知窗口"
DIMENSION_LISTS = {"station": "by_station", "service": "by_service", "counter": "by_counter", "channel": "by_channel"}


@dataclass(frozen=True)
class Names:
    district: str
    stations: dict[str, dict[str, Any]]
    services: dict[str, str]
    district_region: str | None = None

    @classmethod
    def load(cls, session: Session) -> "Names":
        district = config_value(session, DISTRICT_CONFIG_KEY, None)
        name = district.get("name") if isinstance(district, dict) else None
        stations, services = {}, {}
        for entity, item_id, data in session.execute(
                select(CatalogueItem.entity, CatalogueItem.item_id, CatalogueItem.data)
                .where(CatalogueItem.entity.in_(("station", "service")))):
            if not isinstance(data, dict):
                continue
            if entity == "station":
                stations[item_id] = data
            elif isinstance(data.get("name"), str):
                services[item_id] = data["name"]
        return cls(name if isinstance(name, str) and name else "全区", stations, services, district_region(session))

    def region(self, station_id: str) -> str | None:
        """The station's region code as its ratings are stamped (sync.server.figures.record)."""
        return region_code(self.stations.get(station_id, {}).get("region_code")) or self.district_region

    def station(self, station_id: str) -> str:
        name = self.stations.get(station_id, {}).get("name")
        return name if isinstance(name, str) and name else station_id

    def service(self, code: str | None) -> str:
        return NO_SERVICE if code is None else self.services.get(code, code)


def _make_row(names: Names, station_id: str | None) -> Any:
    def make(dimension: str | None, key: Any) -> FigureRow:
        if dimension is None:
            label = names.district if station_id is None else names.station(station_id)
            return FigureRow(station_id, label)
        if dimension == "station":
            return FigureRow(key, names.station(key), {"region_code": names.region(key)})
        if dimension == "service":
            return FigureRow(key, names.service(key))
        if dimension == "counter":
            station, counter = key
            return FigureRow(f"{station}/{counter or ''}", f"{names.station(station)} {counter or NO_COUNTER}",
                             {"station_id": station, "counter_id": counter})
        return FigureRow(key, CHANNEL_LABELS.get(key, key))
    return make


def _sorted(rows: dict[Any, FigureRow]) -> list[FigureRow]:
    return sorted(rows.values(), key=lambda row: ("" if row.key is None else str(row.key)))


@dataclass
class MonthFigures:
    month: Month
    station_id: str | None
    totals: FigureRow
    lists: dict[str, list[FigureRow]]
    orders: list[tuple[queries.OrderFacts, OrderStatus]]
    names: Names
    periods: Periods

    def as_json(self) -> dict[str, Any]:
        return {"month": str(self.month), "station_id": self.station_id, "totals": self.totals.as_json(),
                **{name: [row.as_json() for row in rows] for name, rows in self.lists.items()}}


def month_figures(session: Session, month: Month, station_id: str | None, now: float) -> MonthFigures:
    queries.tune(session)
    names, given = Names.load(session), periods(session)
    counts = queries.rating_counts(session, month, station_id)
    orders = queries.month_orders(session, month, station_id)
    total, groups = tally(counts, orders, given, now, _make_row(names, station_id))
    lists = {DIMENSION_LISTS[name]: _sorted(rows) for name, rows in groups.items()}
    return MonthFigures(month, station_id, total, lists, [(o, order_status(o, given, now)) for o in orders],
                        names, given)


def order_record(order: queries.OrderFacts, status: OrderStatus, names: Names) -> dict[str, Any]:
    """One line of the export's 差评工单 sheet: no phone number, no comment."""
    return {"order_id": order.order_id, "rating_id": order.rating_id, "rated_at": order.rated_at,
            "station": names.station(order.station_id), "region_code": order.region_code,
            "service": names.service(order.service_code), "service_code": order.service_code,
            "counter": order.counter_id or NO_COUNTER, "channel": CHANNEL_LABELS.get(order.channel, order.channel),
            "level": order.level, "reasons": list(order.reasons or []), "state": STATE_LABELS.get(order.state, order.state),
            "call_back_due": status.call_back_due.isoformat(timespec="minutes"),
            "rectify_due": status.rectify_due.isoformat(timespec="minutes"), "overdue": status.overdue,
            "unit": order.unit, "real_name": order.with_contact, "called_back": status.called_back,
            "appeal": ("申诉成立" if order.upheld else "申诉驳回" if order.rejected else "申诉中" if order.appealed else ""),
            "indicator_version": order.indicator_version}
