"""The figures of a month against what Python computes on its own from the generated rows of the
small district (tests/district_year.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from sync.server.db import make_engine
from sync.server.figures.month import BadMonth, Month
from sync.server.figures.report import month_figures
from sync.server.workorders.views import Periods, deadlines

CHINA = timezone(timedelta(hours=8))
AFTER_CALL = {"called_back", "rectified", "re_rated", "closed"}
AFTER_FIX = {"rectified", "re_rated", "closed"}


def _month_of(rated_at: str) -> str:
    return datetime.fromisoformat(rated_at).astimezone(CHINA).strftime("%Y-%m")


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else float((Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def expected(rows: dict[str, list[dict[str, Any]]], month: str, station: str | None, now: float) -> dict[str, Any]:
    """{dimension: {key: figures}} computed straight from the rows, without SQL."""
    orders = {o["rating_id"]: o for o in rows["order"]}
    steps = defaultdict(list)
    for step in rows["step"]:
        steps[step["order_id"]].append(step)
    tables: dict[str, dict[Any, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for rating in rows["rating"]:
        if _month_of(rating["rated_at"]) != month or (station and rating["station_id"] != station):
            continue
        order = orders.get(rating["rating_id"])
        counter = rating["counter_id"] or (order["counter_id"] if order else None)
        keys = {"totals": None, "by_station": rating["station_id"], "by_service": rating["service_code"],
                "by_counter": f"{rating['station_id']}/{counter or ''}", "by_channel": rating["channel"]}
        facts: dict[str, int] = {f"level{rating['level']}": 1}
        if order is not None:
            done = steps[order["order_id"]]
            upheld = any(s["action"] == "decide_appeal" and s["data"]["decision"] == "uphold" for s in done)
            rejected = any(s["action"] == "decide_appeal" and s["data"]["decision"] == "reject" for s in done)
            called = any(s["action"] == "call_back" for s in done) or (order["state"] in AFTER_CALL and not upheld)
            due = deadlines(SimpleNamespace(**order), now, Periods())
            facts.update(orders=1, upheld=upheld, rectified=order["state"] in AFTER_FIX and not upheld,
                         overdue=due["call_back"]["overdue"] or due["rectify"]["overdue"],
                         appeals=any(s["action"] == "appeal" for s in done), rejected=rejected and not upheld,
                         real_name=rating["contact_phone"] is not None,
                         called=rating["contact_phone"] is not None and called)
        for table, key in keys.items():
            for name, value in facts.items():
                tables[table][key][name] += int(value)
    out: dict[str, dict[Any, dict[str, Any]]] = {}
    for table, groups in tables.items():
        out[table] = {}
        for key, f in groups.items():
            levels = {str(n): f[f"level{n}"] for n in range(1, 6)}
            total = sum(levels.values())
            out[table][key] = {
                "levels": levels, "ratings": total,
                "satisfaction_rate": _rate(levels["3"] + levels["4"] + levels["5"], total),
                "poor": levels["1"] + levels["2"], "real_name_poor": f["real_name"],
                "real_name_called_back": f["called"], "callback_rate": _rate(f["called"], f["real_name"]),
                "rectified": f["rectified"], "rectify_rate": _rate(f["rectified"], f["orders"] - f["upheld"]),
                "overdue": f["overdue"], "appeals": f["appeals"], "appeals_upheld": f["upheld"],
                "appeals_rejected": f["rejected"]}
    return out


def _figures(db_url: str, month: str, station: str | None, now: float) -> dict[str, Any]:
    engine = make_engine(db_url)
    try:
        with sessionmaker(engine)() as session:
            return month_figures(session, Month.parse(month), station, now).as_json()
    finally:
        engine.dispose()


def _comparable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("key", "label", "station_id", "counter_id", "region_code")}


@pytest.mark.parametrize("month", ["2026-11", "2026-10", "2026-12"])
def test_the_district_figures_are_what_the_rows_say(figures_db, small_district, small_rows, month):
    got = _figures(figures_db, month, None, small_district.as_of)
    want = expected(small_rows, month, None, small_district.as_of)
    assert got["month"] == month and got["station_id"] is None
    assert _comparable(got["totals"]) == want["totals"][None]
    for table in ("by_station", "by_service", "by_counter", "by_channel"):
        assert {row["key"]: _comparable(row) for row in got[table]} == want[table], table


def test_a_station_sees_its_own_rows_only(figures_db, small_district, small_rows):
    station = small_district.stations[1]["id"]
    got = _figures(figures_db, "2026-11", station, small_district.as_of)
    want = expected(small_rows, "2026-11", station, small_district.as_of)
    assert got["station_id"] == station and got["totals"]["label"] == small_district.stations[1]["name"]
    assert _comparable(got["totals"]) == want["totals"][None]
    assert [row["key"] for row in got["by_station"]] == [station]
    assert {row["key"]: _comparable(row) for row in got["by_counter"]} == want["by_counter"]


def test_the_month_is_the_districts_month_whatever_offset_the_kiosk_wrote(small_rows):
    """The generated edges: 23:59:59 on 31 October (+08:00) is October; 17:30 UTC that day is
    1 November 01:30 in the district, and so is 16:00 UTC on 30 November December's first second."""
    months = {r["rated_at"]: _month_of(r["rated_at"]) for r in small_rows["rating"] if r["ticket_id"] is None}
    assert months == {"2026-10-31T23:59:59+08:00": "2026-10", "2026-11-01T00:00:00+08:00": "2026-11",
                      "2026-10-31T17:30:00+00:00": "2026-11", "2026-11-30T16:00:00+00:00": "2026-12",
                      "2026-11-30T23:59:59+08:00": "2026-11"}


def test_the_figures_are_not_trivial(small_district, small_rows):
    """The small district exercises every figure: otherwise the comparisons above prove little."""
    totals = expected(small_rows, "2026-11", None, small_district.as_of)["totals"][None]
    assert totals["ratings"] > 300 and totals["poor"] > 30 and totals["real_name_poor"] > 10
    assert 0 < totals["real_name_called_back"] < totals["real_name_poor"]
    assert 0 < totals["rectified"] and totals["overdue"] > 0 and totals["appeals"] > totals["appeals_upheld"] > 0
    assert totals["appeals_rejected"] > 0
    assert len(expected(small_rows, "2026-11", None, small_district.as_of)["by_channel"]) == 3


def test_an_empty_month_has_zeros_and_no_rates(figures_db, small_district):
    got = _figures(figures_db, "2025-03", None, small_district.as_of)
    assert got["totals"]["ratings"] == 0 and got["totals"]["levels"] == {str(n): 0 for n in range(1, 6)}
    assert got["totals"]["satisfaction_rate"] is None and got["totals"]["callback_rate"] is None
    assert got["totals"]["rectify_rate"] is None
    assert got["by_station"] == got["by_service"] == got["by_counter"] == got["by_channel"] == []


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-11", "2026-1", "2026/11", "", "２０２６-11", "1999-12",
                                  "2026-11-01", None])
def test_a_bad_month_is_refused(text):
    with pytest.raises(BadMonth):
        Month.parse(text)


def test_the_month_bounds_are_in_the_district_time_zone():
    start, end = Month.parse("2026-12").bounds()
    assert start == datetime(2026, 11, 30, 16, tzinfo=timezone.utc).timestamp()
    assert end == datetime(2026, 12, 31, 16, tzinfo=timezone.utc).timestamp()
