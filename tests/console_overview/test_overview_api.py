"""GET /console/api/overview, /map, /stations/{id} and the exports, on SQLite and PostgreSQL: who
sees what, every bad input answered with the error body, and the figures against the generated
rows (overview_day.py computes them itself): tickets, waiting, served, the one-hour share (and its
setting), 满意率, open 差评, by hour (the business day turning at 04:00), the waits."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from overview_day import CHINA, OverviewDay
from overview_site import DAY, NOW, STATIONS, get

from sync.server.db import make_engine, transaction
from sync.server.models import CatalogueItem
from sync.server.overview import places, summary
from sync.server.overview.days import business_date

ROUTES = ("/console/api/overview", "/console/api/map", f"/console/api/stations/{STATIONS[0]}",
          "/console/api/overview/export.csv", "/console/api/overview/export.xlsx")


def share(within: int, served: int) -> float | None:
    return round(within / served, 4) if served else None


@pytest.mark.parametrize("path", ROUTES)
def test_who_may_read_what(api, path):
    assert get(api, None, path).status_code == 401
    for who in ("renshe", "caller"):
        answer = get(api, who, path)
        assert answer.status_code == 403 and answer.json()["error"] == "forbidden", answer.text
    assert get(api, "head2", path, station=STATIONS[0]).status_code == 403
    assert get(api, "admin", path).status_code == 200
    assert get(api, "head", path).status_code == 200  # their own station


def test_a_station_head_sees_their_station_only(api):
    assert get(api, "head2", f"/console/api/stations/{STATIONS[0]}").status_code == 403
    assert get(api, "head", "/console/api/stations/yt-nowhere").status_code == 403  # not theirs, whatever it is
    mine = get(api, "head", "/console/api/overview", date=DAY.isoformat()).json()
    assert mine["station_id"] == STATIONS[0] and [s["station_id"] for s in mine["stations"]] == [STATIONS[0]]
    assert [s["station_id"] for s in get(api, "head", "/console/api/map").json()["stations"]] == [STATIONS[0]]


@pytest.mark.parametrize("params", [{"date": "2026-02-30"}, {"date": "27/11/2026"}, {"date": "1999-12-31"},
                                    {"date": "２０２６-11-27"}, {"date": ""}])
@pytest.mark.parametrize("path", ROUTES)
def test_a_bad_date_is_refused_with_the_error_body(api, path, params):
    answer = get(api, "admin", path, **params)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request" and "date" in answer.json()["detail"]


@pytest.mark.parametrize("params", [{"month": "2026-13"}, {"month": "2026-11", "date": "2026-11-27"}, {"month": "x"}])
def test_a_bad_export_period_is_refused(api, params):
    for kind in ("csv", "xlsx"):
        answer = get(api, "admin", f"/console/api/overview/export.{kind}", **params)
        assert answer.status_code == 422 and answer.json()["error"] == "invalid_request", answer.text


def test_an_unknown_station_is_not_found(api):
    for path, params in (("/console/api/stations/yt-nowhere", {}), ("/console/api/overview", {"station": "yt-nowhere"}),
                         ("/console/api/map", {"station": "yt-nowhere"}),
                         ("/console/api/overview/export.csv", {"station": "yt-nowhere", "date": "bad"}),
                         ("/console/api/overview", {"station": "yt\x00xiaozhai"}),
                         ("/console/api/map", {"station": "x" * 300}), ("/console/api/stations/%E2%80%8F", {})):
        answer = get(api, "admin", path, **params)
        assert answer.status_code == 404 and answer.json()["error"] == "not_found", (path, answer.text)


def test_the_days_figures_are_those_of_the_rows(api, overview_day):
    body = get(api, "admin", "/console/api/overview", date=DAY.isoformat()).json()
    assert body["business_date"] == DAY.isoformat() and body["today"] is True and body["one_hour_rule_minutes"] == 60
    rows = {row["station_id"]: row for row in body["stations"]}
    assert len(rows) == 10  # every catalogue station, those without tickets at 0
    for station in STATIONS:
        want, got = overview_day.expected[station], rows[station]
        assert (got["tickets"], got["called"], got["served"], got["waiting"]) == \
            (want["tickets"], want["called"], want["served"], want["waiting"]), station
        assert got["one_hour_within"] == want["within"] and got["one_hour_share"] == share(want["within"], want["served"])
        assert [got["levels"][str(n)] for n in range(1, 6)] == want["levels"]
        assert got["satisfaction_rate"] == share(sum(want["levels"][2:]), sum(want["levels"]))
        assert got["open_poor_orders"] == want["open_poor"]
    assert rows["yt-changyanbao"]["tickets"] == 0 and rows["yt-changyanbao"]["one_hour_share"] is None
    totals = body["totals"]
    for key, wanted in (("tickets", "tickets"), ("served", "served"), ("one_hour_within", "within"), ("waiting", "waiting")):
        assert totals[key] == sum(overview_day.expected[s][wanted] for s in STATIONS), key
    assert totals["one_hour_share"] == share(totals["one_hour_within"], totals["served"])
    hours = [h["tickets"] for h in body["by_hour"]]
    assert hours == [sum(overview_day.expected[s]["by_hour"][h] for s in STATIONS) for h in range(24)]
    assert hours[1] == len(STATIONS)  # 01:50 of the next date is still this business day
    assert [b["tickets"] for b in body["waits"]] == [sum(overview_day.expected[s]["waits"][i] for s in STATIONS)
                                                      for i in range(8)]
    assert body["waits"][-1] == {"from": 120, "to": None, "tickets": body["waits"][-1]["tickets"]}
    trend = {s["station_id"]: s for s in body["one_hour_days"]["stations"]}
    assert body["one_hour_days"]["dates"][-1] == DAY.isoformat() and len(body["one_hour_days"]["dates"]) == 7
    assert trend[STATIONS[1]]["shares"] == [None] * 6 + [rows[STATIONS[1]]["one_hour_share"]]


def test_another_day_has_its_own_figures_and_no_waiting(api):
    body = get(api, "admin", "/console/api/overview", date="2026-11-26").json()
    assert body["today"] is False and body["totals"]["waiting"] is None and body["totals"]["tickets"] == 0
    assert all(row["waiting"] is None for row in body["stations"])
    assert business_date(NOW.timestamp()).isoformat() == DAY.isoformat()
    assert business_date(datetime(2026, 11, 28, 4, 0, tzinfo=CHINA).timestamp()).isoformat() == "2026-11-28"


def test_the_one_hour_rule_follows_its_setting(api, overview_db):
    engine = make_engine(overview_db)
    try:
        with transaction(sessionmaker(engine)) as session:
            session.merge(CatalogueItem(entity="config", item_id="one_hour_rule_minutes", data={"value": 30}, cursor=0))
        body = get(api, "admin", "/console/api/overview", date=DAY.isoformat()).json()
        strict = OverviewDay(DAY, list(STATIONS), limit_minutes=30).build(NOW).expected
        assert body["one_hour_rule_minutes"] == 30
        for row in body["stations"]:
            if row["station_id"] in STATIONS:
                assert row["one_hour_within"] == strict[row["station_id"]]["within"]
        assert body["totals"]["one_hour_within"] < sum(OverviewDay(DAY, list(STATIONS)).build(NOW).expected[s]["within"]
                                                       for s in STATIONS)
    finally:
        with transaction(sessionmaker(engine)) as session:
            session.execute(update(CatalogueItem).where(CatalogueItem.item_id == "one_hour_rule_minutes")
                            .values(data={"value": 60}))
        engine.dispose()


def fake_states(session: Any, now: float, station_id: str | None = None) -> list[dict[str, Any]]:
    states = [{"kiosk_id": "OV-00-K1", "station_id": STATIONS[0], "role": "kiosk", "received_at": now - 30,
               "health": "alert", "problems": ["paper_out"]},
              {"kiosk_id": "OV-00-ST", "station_id": STATIONS[0], "role": "station", "received_at": now - 30,
               "health": "ok", "problems": []},
              {"kiosk_id": "OV-01-K1", "station_id": STATIONS[1], "role": "kiosk", "received_at": now - 30,
               "health": "warning", "problems": ["paper_low"]},
              {"kiosk_id": "OV-01-ST", "station_id": STATIONS[1], "role": "station", "received_at": now - 30,
               "health": "ok", "problems": []}]
    return [s for s in states if station_id is None or s["station_id"] == station_id]


def test_devices_needing_attention_and_the_map(api, monkeypatch):
    monkeypatch.setattr(summary, "device_states", fake_states)
    monkeypatch.setattr(places, "device_states", fake_states)
    body = get(api, "admin", "/console/api/overview", date=DAY.isoformat()).json()
    assert body["totals"]["kiosks_attention"] == 2
    assert [(d["kiosk_id"], d["health"], d["problems"]) for d in body["attention"]] == \
        [("OV-00-K1", "alert", ["paper_out"]), ("OV-01-K1", "warning", ["paper_low"])]
    found = get(api, "admin", "/console/api/map", date=DAY.isoformat()).json()
    assert found["walk_radius_m"] == 800 and found["walk_minutes"] == 10
    stations = {s["station_id"]: s for s in found["stations"]}
    assert len(stations) == 10 and all(s["lat"] and s["lon"] for s in stations.values())
    assert stations[STATIONS[0]]["health"] == "alert" and stations[STATIONS[1]]["health"] == "warning"
    assert stations[STATIONS[2]]["health"] == "unknown"  # enrolled, no state reported
    assert {k["kiosk_id"] for k in stations[STATIONS[2]]["kiosks"]} == {"OV-02-K1", "OV-02-ST"}
    assert stations["yt-changyanbao"]["kiosks"] == [] and stations["yt-changyanbao"]["health"] == "unknown"
    same = {s["station_id"]: s for s in body["stations"]}
    assert stations[STATIONS[0]]["one_hour_share"] == same[STATIONS[0]]["one_hour_share"] is not None


def test_a_stations_page(api, overview_day):
    body = get(api, "admin", f"/console/api/stations/{STATIONS[0]}", date=DAY.isoformat()).json()
    station = body["station"]
    assert station["name"] == "小寨路街道便民服务中心" and station["lat"] == 34.2247 and station["services"] == 19
    assert station["hours"][0] == {"days": "1-5", "open": "09:00", "close": "17:30"}
    assert [k["kiosk_id"] for k in body["kiosks"]] == ["OV-00-K1", "OV-00-ST"]
    counters = {c["counter_id"]: c for c in body["counters"]}
    assert set(counters) == {"1号窗口", "2号窗口", "3号窗口"}
    assert sum(c["ratings"] for c in counters.values()) == sum(overview_day.expected[STATIONS[0]]["levels"])
    assert body["overview"]["station_id"] == STATIONS[0]
    assert body["overview"]["totals"]["tickets"] == overview_day.expected[STATIONS[0]]["tickets"]


def test_the_days_export_as_csv_and_xlsx(api, overview_day):
    answer = get(api, "admin", "/console/api/overview/export.csv", date=DAY.isoformat())
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''%E6%9C%8D%E5%8A%A1%E6%A6%82%E8%A7%88-2026-11-27.csv" in answer.headers["content-disposition"]
    assert 'filename="overview-2026-11-27.csv"' in answer.headers["content-disposition"]
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == 10 and rows[0]["日期"] == DAY.isoformat()
    mine = next(r for r in rows if r["站点编号"] == STATIONS[0])
    want = overview_day.expected[STATIONS[0]]
    assert (int(mine["取号数"]), int(mine["已办结"]), int(mine["1小时内接件"])) == \
        (want["tickets"], want["served"], want["within"])
    assert float(mine["一小时率"]) == share(want["within"], want["served"])
    assert next(r for r in rows if r["站点编号"] == "yt-changyanbao")["一小时率"] == ""
    book = openpyxl.load_workbook(io.BytesIO(get(api, "head", "/console/api/overview/export.xlsx",
                                                 date=DAY.isoformat()).content))
    sheet = book["按站点按日"]
    assert sheet.freeze_panes == "A2" and [c.value for c in sheet[1]][:4] == ["日期", "站点编号", "站点", "取号数"]
    assert sheet.max_row == 2 and sheet.cell(2, 2).value == STATIONS[0]  # the head's own station
    assert sheet.cell(2, 8).value == share(want["within"], want["served"]) and sheet.cell(2, 8).number_format == "0.00%"
    assert "说明" in book.sheetnames


def test_the_months_export_has_a_row_per_station_and_day(api, overview_day):
    answer = get(api, "admin", "/console/api/overview/export.csv", month="2026-11", station=STATIONS[1])
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [r["日期"] for r in rows] == [f"2026-11-{d:02d}" for d in range(1, 31)]
    assert int(rows[26]["取号数"]) == overview_day.expected[STATIONS[1]]["tickets"]
    assert sum(int(r["取号数"]) for r in rows) == overview_day.expected[STATIONS[1]]["tickets"]
    book = openpyxl.load_workbook(io.BytesIO(get(api, "admin", "/console/api/overview/export.xlsx", month="2026-11").content))
    assert book["按站点按日"].max_row == 1 + 30 * 10


def test_the_chart_library_is_served_by_the_server(api):
    client, _cookies = api
    answer = client.get("/console/static/vendor/echarts.min.js")
    assert answer.status_code == 200, "run packaging/install-echarts"
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["x-content-type-options"] == "nosniff" and b"echarts" in answer.content[:2000]
    missing = client.get("/console/static/vendor/jquery.js")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert client.get("/console/static/vendor/..%2Fdays.py").status_code == 404
