"""差评 work orders: opened with the rating that causes them, taken through their states by the
console's API (each step recorded, illegal moves 409), with working-day deadlines and overdue flags."""

import json

import pytest

from district_console import (SERVICES, STAFF, STATION, UNIT, catalogue, force_state, order_of, poor_ratings, sql,
                              staff, add_staff)
from district_kiosk_client import event_payload, make_op, served_rating
from sync.server.cli import main

API = "/console/api/work-orders"


@pytest.fixture
def people(server, db_url):
    add_staff(db_url, *STAFF)
    return {name: staff(server, name) for name in ("admin", "head", "renshe", "caller")}


def test_a_poor_rating_opens_one_pending_order_with_its_facts(server, db_url, kiosk):
    catalogue(db_url, SERVICES)
    [rating] = poor_ratings(kiosk)
    rows = sql(db_url, "SELECT rating_id, ticket_id, station_id, service_code, unit, level, state, reasons "
                       "FROM work_orders")
    assert len(rows) == 1
    rating_id, ticket_id, station, service, unit, level, state, reasons = rows[0]
    assert (rating_id, ticket_id, station, service, unit, level, state) == (
        rating["rating_id"], rating["ticket_id"], STATION, "SB-KSL", UNIT, 1, "pending")
    assert (json.loads(reasons) if isinstance(reasons, str) else reasons) == ["attitude"]


def test_good_ratings_refused_ratings_and_retries_open_nothing_more(server, db_url, kiosk):
    ticket, good = served_rating(level=3)
    other, poor = served_rating(level=2, reasons=["other"])
    ops = [make_op(1, "ticket", ticket), make_op(2, "rating", good), make_op(3, "ticket", other),
           make_op(4, "rating", poor)]
    assert kiosk.push(ops, batch_id="b1").status_code == 200
    assert kiosk.push(ops, batch_id="b1").status_code == 200  # the same batch again
    assert kiosk.push(ops, batch_id="b2").status_code == 200  # its ops again: duplicates
    again = dict(poor, rating_id="0190a000-0000-7000-8000-000000000001")
    refused = kiosk.push([make_op(5, "rating", again)]).json()["results"][0]
    assert refused["code"] == "already_rated"
    assert sql(db_url, "SELECT rating_id FROM work_orders") == [(poor["rating_id"],)]


def test_the_counter_comes_from_the_rating_or_the_stations_call(server, db_url, kiosk):
    ticket, rating = served_rating(level=1, reasons=["attitude"])
    called = event_payload(type="ticket_called", at="2026-11-21T09:40:00+08:00",
                           detail={"ticket_id": ticket["ticket_id"], "number": ticket["number"], "counter_id": "w3"})
    assert kiosk.push([make_op(1, "ticket", ticket), make_op(2, "event", called),
                       make_op(3, "rating", rating)]).status_code == 200
    assert sql(db_url, "SELECT counter_id, unit FROM work_orders") == [("w3", None)]


def test_an_order_goes_from_pending_to_closed_and_every_step_is_recorded(server, db_url, kiosk, people):
    catalogue(db_url, SERVICES)
    order = order_of(db_url, poor_ratings(kiosk)[0]["rating_id"])
    steps = [("head", "assign", {}, "assigned"), ("renshe", "verify", {"note": "查看了录像"}, "verifying"),
             ("caller", "call_back", {"outcome": "not_reached"}, "called_back"),
             ("caller", "call_back", {"outcome": "reached", "resident_said": "窗口人员态度冷淡"}, "called_back"),
             ("renshe", "rectify", {"changes": "窗口增加引导员"}, "rectified"),
             ("caller", "re_rate", {"level": 4}, "re_rated"), ("head", "close", {}, "closed")]
    for who, action, body, state in steps:
        response = people[who].post(f"{API}/{order}/{action}", body)
        assert response.status_code == 200, (action, response.text)
        assert response.json()["state"] == state
    detail = people["admin"].get(f"{API}/{order}").json()
    assert detail["unit"] == UNIT and detail["closed_at"]
    assert [(s["action"], s["from"], s["to"], s["by"]) for s in detail["steps"]] == [
        ("assign", "pending", "assigned", "head"), ("verify", "assigned", "verifying", "renshe"),
        ("call_back", "verifying", "called_back", "caller"), ("call_back", "called_back", "called_back", "caller"),
        ("rectify", "called_back", "rectified", "renshe"), ("re_rate", "rectified", "re_rated", "caller"),
        ("close", "re_rated", "closed", "head")]
    assert all(s["at"] for s in detail["steps"])
    facts = detail["facts"]
    assert facts["call_back"]["outcome"] == "reached" and facts["call_attempts"] == 2
    assert facts["rectification"]["changes"] == "窗口增加引导员" and facts["re_rating"]["level"] == 4


VALID_BODY = {"assign": {"unit": UNIT}, "verify": {}, "call_back": {"outcome": "reached", "resident_said": "好"},
              "rectify": {"changes": "改了"}, "re_rate": {"level": 5}, "close": {},
              "appeal": {"kind": "malicious", "reason": "评价人未办理业务"},
              "decide_appeal": {"decision": "reject", "reason": "查无恶意"}}
MOVES = {("pending", "assign"), ("assigned", "assign"), ("assigned", "verify"), ("assigned", "appeal"),
         ("verifying", "call_back"), ("verifying", "appeal"), ("called_back", "call_back"),
         ("called_back", "rectify"), ("called_back", "appeal"), ("rectified", "re_rate"), ("re_rated", "close"),
         ("appealed", "decide_appeal")}
STATES = ("pending", "assigned", "verifying", "called_back", "rectified", "re_rated", "closed", "appealed")


def test_every_state_and_action_through_the_api(server, db_url, kiosk, people):
    """Allowed moves answer 200; every other pair 409 with the error body, and changes nothing."""
    order = order_of(db_url, poor_ratings(kiosk)[0]["rating_id"])
    for state in STATES:
        for action, body in VALID_BODY.items():
            force_state(db_url, order, state, appealed_from="verifying" if state == "appealed" else None)
            actor = people["renshe"] if action == "appeal" else people["admin"]
            sql(db_url, "UPDATE work_orders SET unit = :u WHERE order_id = :o", u=UNIT, o=order)
            response = actor.post(f"{API}/{order}/{action}", body)
            if (state, action) in MOVES:
                assert response.status_code == 200, (state, action, response.text)
            else:
                assert response.status_code == 409, (state, action, response.text)
                assert set(response.json()) == {"error", "detail"}
                assert response.json()["error"] == "illegal_transition"
                assert sql(db_url, "SELECT state FROM work_orders") == [(state,)]


def test_appeal_rejected_then_upheld_keeps_both_reasons(server, db_url, kiosk, people):
    catalogue(db_url, SERVICES)
    order = order_of(db_url, poor_ratings(kiosk)[0]["rating_id"])
    assert people["admin"].post(f"{API}/{order}/assign").status_code == 200
    assert people["renshe"].post(f"{API}/{order}/verify").status_code == 200
    appeal = {"kind": "mistaken", "reason": "评价人误触"}
    assert people["renshe"].post(f"{API}/{order}/appeal", appeal).json()["state"] == "appealed"
    assert people["renshe"].post(f"{API}/{order}/decide_appeal", {"decision": "uphold", "reason": "x"}).status_code == 403
    back = people["admin"].post(f"{API}/{order}/decide_appeal", {"decision": "reject", "reason": "录像显示确有等待"})
    assert back.json()["state"] == "verifying" and back.json()["facts"]["appeal"]["decision"] == "reject"
    assert people["renshe"].post(f"{API}/{order}/appeal", {"kind": "malicious", "reason": "同一人多次差评"}).status_code == 200
    upheld = people["admin"].post(f"{API}/{order}/decide_appeal", {"decision": "uphold", "reason": "确属恶意评价"}).json()
    assert upheld["state"] == "closed" and upheld["closed_at"]
    assert upheld["facts"]["appeal"]["decision_reason"] == "确属恶意评价"
    steps = people["admin"].get(f"{API}/{order}").json()["steps"]
    decided = [s["data"]["reason"] for s in steps if s["action"] == "decide_appeal"]
    assert decided == ["录像显示确有等待", "确属恶意评价"]


BAD_BODIES = [
    ("call_back", {"outcome": "maybe"}, "outcome"), ("call_back", {"outcome": "reached"}, "resident_said"),
    ("re_rate", {"level": 6}, "level"), ("re_rate", {"level": True}, "level"), ("rectify", {}, "changes"),
    ("appeal", {"kind": "malicious"}, "reason"), ("decide_appeal", {"decision": "maybe", "reason": "r"}, "decision"),
    ("rectify", {"changes": "x" * 2001}, "changes"), ("verify", ["not", "an", "object"], "object"),
]


def test_bad_bodies_are_422_and_change_nothing(server, db_url, kiosk, people):
    order = order_of(db_url, poor_ratings(kiosk)[0]["rating_id"])
    sql(db_url, "UPDATE work_orders SET unit = :u WHERE order_id = :o", u=UNIT, o=order)
    for action, body, words in BAD_BODIES:
        actor = people["renshe"] if action == "appeal" else people["admin"]
        response = actor.post(f"{API}/{order}/{action}", body)
        assert response.status_code == 422 and words in response.json()["detail"], (action, response.text)
    assert sql(db_url, "SELECT count(*) FROM work_order_steps") == [(0,)]


def test_assign_without_a_department_needs_a_unit(server, db_url, kiosk, people):
    order = order_of(db_url, poor_ratings(kiosk, service_code="NO-DEPT")[0]["rating_id"])
    assert people["admin"].post(f"{API}/{order}/assign").status_code == 422
    assert people["admin"].post(f"{API}/{order}/assign", {"unit": "区政务服务中心"}).json()["unit"] == "区政务服务中心"


def test_unknown_order_and_action(server, db_url, kiosk, people):
    assert people["admin"].post(f"{API}/nope/assign").status_code == 404
    order = order_of(db_url, poor_ratings(kiosk)[0]["rating_id"])
    assert people["admin"].post(f"{API}/{order}/delete").json()["error"] == "not_found"


def test_deadlines_and_overdue_in_the_api_and_followups(server, db_url, kiosk, people, clock, capsys):
    catalogue(db_url, {"config": {"followup_working_days": 5, "rectify_working_days": 15}})
    [national_day] = poor_ratings(kiosk, rated_at="2026-09-30T10:00:00+08:00")
    [new_year] = poor_ratings(kiosk, rated_at="2026-12-30T10:00:00+08:00", phone="13800000002")
    clock.now = 1791500000.0  # 2026-10-09 (Fri) 07:33 +08:00: the 回访 of 9-30 is not yet due
    views = {v["rating_id"]: v for v in people["admin"].get(API).json()["work_orders"]}
    first = views[national_day["rating_id"]]
    assert first["deadlines"]["call_back"]["due"] == "2026-10-13T10:00:00+08:00"
    assert first["deadlines"]["rectify"]["due"] == "2026-10-27T10:00:00+08:00"
    assert first["calendar"] == "official" and first["overdue"] is False
    assert views[new_year["rating_id"]]["calendar"] == "weekends_only"
    clock.now = 1791900000.0  # 2026-10-13 22:40 +08:00: past the 回访 deadline
    overdue = people["admin"].get(f"{API}?overdue=true").json()["work_orders"]
    assert [v["rating_id"] for v in overdue] == [national_day["rating_id"]]
    assert overdue[0]["deadlines"]["call_back"]["overdue"] and not overdue[0]["deadlines"]["rectify"]["overdue"]
    assert main(["followups", "--db", db_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "OVERDUE" in lines[0] and "weekends-only-calendar" in lines[1]


def test_the_rectify_period_comes_from_config(server, db_url, kiosk, people):
    catalogue(db_url, {"config": {"rectify_working_days": 3}})
    poor_ratings(kiosk, rated_at="2026-02-13T09:00:00+08:00")
    [view] = people["admin"].get(API).json()["work_orders"]
    assert view["deadlines"]["rectify"] == {"working_days": 3, "due": "2026-02-25T09:00:00+08:00",
                                            "done": False, "overdue": True}
