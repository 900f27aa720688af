"""The heartbeat endpoint and /console/api/fleet on SQLite and PostgreSQL: strict validation with the
documented error body, the latest heartbeat and its history, urgency order, alerts held against
flapping, silence counted in the station's opening hours, roles, and the retention purge."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from district_console import catalogue, sql, staff
from district_kiosk_client import enrol

ZONE = ZoneInfo("Asia/Shanghai")
STATION = "yt-xiaozhai"  # open around the clock for self-service
HOURS_STATION = "yt-hours"  # weekdays 09:00-17:30 only


def beat(**changes):
    body = {"at": "2026-11-23T10:00:00+08:00", "app_version": "1.4.0", "catalogue_version": 12,
            "last_sync_at": "2026-11-23T09:59:58+08:00", "outbox": 0, "dead_letters": 0, "printer": "ok",
            "reader": "ok", "disk_free_mb": 5120, "clock_offset_s": -0.4}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def send(kiosk, body, path_kiosk=None):
    return kiosk.request("POST", f"/v1/kiosks/{path_kiosk or kiosk.kiosk_id}/heartbeat", json_body=body)


def fleet(district, name="admin", query=""):
    answer = staff(district, name).get("/console/api/fleet" + query)
    assert answer.status_code == 200, answer.text
    return answer.json()


def device(view, kiosk_id):
    return next(d for d in view["devices"] if d["kiosk_id"] == kiosk_id)


def test_a_heartbeat_is_kept_and_listed_with_what_a_technician_asks_first(district, clock):
    kiosk = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    answer = send(kiosk, beat())
    assert answer.status_code == 200, answer.text
    send(kiosk, beat(outbox=3))
    found = device(fleet(district), "YT-XZ-01")
    assert found["health"] == "ok" and found["problems"] == []
    assert (found["app_version"], found["catalogue_version"], found["outbox"], found["printer"]) == ("1.4.0", 12, 3, "ok")
    assert found["received_at"] == pytest.approx(clock.now)
    assert sql(district.db_url, "SELECT count(*) FROM device_heartbeats")[0][0] == 2
    assert sql(district.db_url, "SELECT count(*) FROM device_health")[0][0] == 1


def test_the_history_keeps_every_change_and_one_heartbeat_in_ten_minutes(district, clock):
    kiosk = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    for minute in range(12):  # all well, once a minute: the first, and the one 10 minutes later
        send(kiosk, beat(at=f"2026-11-23T10:{minute:02d}:00+08:00", clock_offset_s=minute / 10))
        clock.now += 60
    send(kiosk, beat(printer="paper_near_end"))  # a change is kept at once
    clock.now += 60
    send(kiosk, beat(printer="paper_near_end"))
    rows = sql(district.db_url, "SELECT data FROM device_heartbeats ORDER BY heartbeat_id")
    printers = [(row[0] if isinstance(row[0], dict) else __import__("json").loads(row[0]))["printer"] for row in rows]
    assert printers == ["ok", "ok", "paper_near_end"]
    assert device(fleet(district), "YT-XZ-01")["printer"] == "paper_near_end"


@pytest.mark.parametrize("changes, field", [
    ({"printer": "jammed"}, "printer"), ({"reader": 3}, "reader"), ({"outbox": -1}, "outbox"),
    ({"outbox": True}, "outbox"), ({"dead_letters": 1.5}, "dead_letters"), ({"at": "yesterday"}, "at"),
    ({"at": "2026-11-23T10:00:00"}, "at"), ({"app_version": ""}, "app_version"),
    ({"catalogue_version": "12"}, "catalogue_version"), ({"disk_free_mb": -5}, "disk_free_mb"),
    ({"clock_offset_s": "0"}, "clock_offset_s"), ({"last_sync_at": 5}, "last_sync_at"),
    ({"printer": ...}, "printer"), ({"colour": "red"}, "colour")])
def test_a_bad_field_is_422_naming_it(district, clock, changes, field):
    kiosk = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    answer = send(kiosk, beat(**changes))
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request" and field in answer.json()["detail"]
    assert set(answer.json()) == {"error", "detail"}


def test_bodies_that_are_not_heartbeats_get_the_protocol_errors(district, clock):
    kiosk = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    other = enrol(district, district.db_url, "YT-XZ-02", STATION, clock)
    assert kiosk.request("POST", "/v1/kiosks/YT-XZ-01/heartbeat", body=b"{nope").json()["error"] == "bad_json"
    assert send(kiosk, [1, 2]).status_code == 422
    assert send(kiosk, beat(), path_kiosk="YT-XZ-02").status_code == 403  # a kiosk speaks for itself only
    unsigned = district.post("/v1/kiosks/YT-XZ-01/heartbeat", json=beat())
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "unauthorized"
    assert send(other, beat()).status_code == 200


def test_a_station_relays_its_kiosks_heartbeats_and_no_one_elses(district, clock):
    station = enrol(district, district.db_url, "YT-XZ-ST", STATION, clock, role="station")
    enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    enrol(district, district.db_url, "YT-DY-01", "yt-dayanta", clock)
    assert send(station, beat(printer="absent", reader="absent")).status_code == 200
    assert send(station, beat(printer="paper_out"), path_kiosk="YT-XZ-01").status_code == 200
    assert send(station, beat(), path_kiosk="YT-DY-01").status_code == 403
    view = fleet(district)
    assert device(view, "YT-XZ-01")["printer"] == "paper_out" and device(view, "YT-XZ-01")["role"] == "kiosk"
    assert device(view, "YT-XZ-ST")["role"] == "station"
    assert device(view, "YT-DY-01")["problems"] == ["no_heartbeat"]  # enrolled, never heard


def test_paper_out_warns_at_once_alerts_after_the_hold_and_clears_after_it(district, clock):
    kiosk = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    quiet = enrol(district, district.db_url, "YT-XZ-02", STATION, clock)
    send(quiet, beat())
    send(kiosk, beat(printer="paper_out"))
    view = fleet(district)
    assert [d["kiosk_id"] for d in view["devices"]][:1] == ["YT-XZ-01"]  # most urgent first
    assert device(view, "YT-XZ-01")["health"] == "warning" and view["alerts"] == []
    clock.now += 181
    send(kiosk, beat(printer="paper_out"))
    view = fleet(district)
    assert device(view, "YT-XZ-01")["health"] == "alert"
    assert [(a["kiosk_id"], a["kind"], a["cleared_at"]) for a in view["alerts"]] == [("YT-XZ-01", "paper_out", None)]
    clock.now += 30
    send(kiosk, beat(printer="ok"))  # paper loaded: the alert holds a while, in case it flaps
    assert device(fleet(district), "YT-XZ-01")["health"] == "alert"
    clock.now += 181
    send(kiosk, beat(printer="ok"))
    view = fleet(district)
    assert device(view, "YT-XZ-01")["health"] == "ok"
    assert view["alerts"][0]["cleared_at"] == pytest.approx(clock.now)
    assert view["counts"] == {"alert": 0, "warning": 0, "ok": 2}


def test_a_flapping_printer_raises_no_alert(district, clock):
    kiosk = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    for _ in range(5):
        send(kiosk, beat(printer="cover_open"))
        clock.now += 60
        send(kiosk, beat(printer="ok"))
        clock.now += 60
    view = fleet(district)
    assert view["alerts"] == [] and device(view, "YT-XZ-01")["health"] == "ok"
    assert sql(district.db_url, "SELECT count(*) FROM fleet_alerts")[0][0] == 0


def shanghai(text):
    return datetime.fromisoformat(text).replace(tzinfo=ZONE).timestamp()


def test_silence_counts_only_the_stations_opening_hours(district, clock):
    catalogue(district.db_url, {"stations": [{"id": HOURS_STATION, "name": "工作日站", "lat": 34.2, "lon": 108.9,
                                              "hours": [{"days": "1-5", "open": "09:00", "close": "17:30"}]}]})
    kiosk = enrol(district, district.db_url, "YT-H-01", HOURS_STATION, clock)
    around_the_clock = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    clock.now = shanghai("2026-11-27T17:20:00")  # a Friday
    send(kiosk, beat())
    send(around_the_clock, beat())
    clock.now = shanghai("2026-11-30T09:15:00")  # Monday: 10 + 15 open minutes of silence
    view = fleet(district)
    assert device(view, "YT-H-01")["health"] == "ok" and device(view, "YT-H-01")["silent_s"] == 25 * 60
    assert device(view, "YT-XZ-01")["problems"] == ["silent"]  # 24 h self-service: the weekend counts
    clock.now = shanghai("2026-11-30T09:21:00")
    view = fleet(district)
    assert device(view, "YT-H-01")["problems"] == ["silent"] and device(view, "YT-H-01")["health"] == "alert"
    assert {a["kind"] for a in view["alerts"] if a["kiosk_id"] == "YT-H-01"} == {"silent"}
    send(kiosk, beat())
    clock.now += 200
    send(kiosk, beat())
    assert device(fleet(district), "YT-H-01")["health"] == "ok"


def test_thresholds_are_the_districts_config_items(district, clock):
    catalogue(district.db_url, {"config": {"fleet_outbox_warning": 5, "fleet_silent_minutes": "x"}})
    kiosk = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    send(kiosk, beat(outbox=6, dead_letters=2, disk_free_mb=100, clock_offset_s=120, printer="paper_near_end"))
    view = fleet(district)
    assert view["thresholds"]["outbox_warning"] == 5 and view["thresholds"]["silent_minutes"] == 30
    assert device(view, "YT-XZ-01")["problems"] == ["paper_near_end", "dead_letters", "outbox_backlog", "disk_low",
                                                    "clock_off"]
    assert device(view, "YT-XZ-01")["health"] == "warning"


def test_who_sees_the_fleet(district, clock):
    enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    enrol(district, district.db_url, "YT-DY-01", "yt-dayanta", clock)
    assert {d["kiosk_id"] for d in fleet(district, "head")["devices"]} == {"YT-XZ-01"}
    assert {d["kiosk_id"] for d in fleet(district, "admin", "?station=yt-dayanta")["devices"]} == {"YT-DY-01"}
    assert staff(district, "head").get("/console/api/fleet?station=yt-dayanta").status_code == 403
    assert staff(district, "renshe").get("/console/api/fleet").status_code == 403
    missing = staff(district, "admin").get("/console/api/fleet?station=nowhere")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert staff(district, "admin").get("/console/api/fleet?station=" + "x" * 65).status_code == 422
    assert district.get("/console/api/fleet").status_code == 401


def test_the_purge_keeps_the_retention_period_of_heartbeats(district, clock):
    from sqlalchemy.orm import sessionmaker

    from sync.server.db import make_engine, transaction
    from sync.server.models import DeviceHeartbeat
    from sync.server.retention import purge

    kiosk = enrol(district, district.db_url, "YT-XZ-01", STATION, clock)
    start = clock.now
    for day in range(10):
        clock.now = start + day * 86400
        send(kiosk, beat())
    engine = make_engine(district.db_url)
    try:
        with transaction(sessionmaker(engine)) as session:
            counts = purge(session, clock.now)
            left = session.scalar(select(func.count()).select_from(DeviceHeartbeat))
    finally:
        engine.dispose()
    assert counts["heartbeats"] == 2 and left == 8  # days 0 and 1 are older than 7 days
