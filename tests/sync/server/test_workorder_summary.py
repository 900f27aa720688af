"""`district-server summary`: the morning summary of the 差评 work orders (open by state, overdue by
unit, appeals waiting), without any phone number or comment."""

import json

from district_console import SERVICES, STAFF, UNIT, add_staff, catalogue, order_of, poor_ratings, staff
from sync.server.cli import main

API = "/console/api/work-orders"


def test_the_summary_counts_open_overdue_and_appeals_and_shows_no_personal_data(server, db_url, kiosk, capsys):
    catalogue(db_url, SERVICES)
    add_staff(db_url, *STAFF)
    admin, unit = staff(server, "admin"), staff(server, "renshe")
    [late] = poor_ratings(kiosk, rated_at="2026-09-30T10:00:00+08:00", phone="13800000001")
    [appealed] = poor_ratings(kiosk, rated_at="2026-10-20T10:00:00+08:00", phone="13800000002")
    [coming] = poor_ratings(kiosk, rated_at="2099-12-30T10:00:00+08:00", phone="13800000003")
    order = order_of(db_url, appealed["rating_id"])
    assert admin.post(f"{API}/{order}/assign").status_code == 200
    assert unit.post(f"{API}/{order}/appeal", {"kind": "malicious", "reason": "同一人连续差评"}).status_code == 200

    assert main(["summary", "--db", db_url, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["open"] == 3 and summary["opened_past_day"] == 3
    assert summary["open_by_state"] == {"pending": 2, "appealed": 1}
    assert summary["appeals_waiting"] == 1
    overdue = {item["order_id"]: item for item in summary["overdue_orders"]}
    assert set(overdue) == {order_of(db_url, late["rating_id"]), order}
    assert overdue[order_of(db_url, late["rating_id"])]["overdue"] == ["call_back", "rectify"]
    assert summary["overdue"] == 2 and summary["overdue_call_back"] == 2
    assert summary["overdue_by_unit"] == {UNIT: 2}  # the service's department, from the moment it opened
    assert summary["weekends_only_calendar"] is True  # 2099 is counted Monday to Friday

    assert main(["summary", "--db", db_url]) == 0
    text = capsys.readouterr().out
    assert "超期 overdue: 2" in text and "待裁定申诉 appeals awaiting a decision: 1" in text
    assert text.count("OVERDUE ") == 2 and "申诉中" in text and "回访超期（期限 2026-10-" in text
    for personal in ("13800000001", "13800000002", "13800000003"):
        assert personal not in text
    assert coming["rating_id"] not in text
