"""帮办代办 at the counters (接待, 完成), the station clock, the other counters' state and the hall
display's no-shows: the JSON API against the real server process and store file."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from counter_harness import issue_cli, login, open_db

STATION_TZ = ZoneInfo("Asia/Shanghai")  # the demo configuration's kiosk.timezone


def body_of(response) -> set:
    return set(response.json())


def own_request(data_dir, reasons, **detail) -> str:
    """What this machine's kiosk records when a resident asks for help."""
    from kiosk.store import events

    db = open_db(data_dir)
    try:
        return events.record(db, "assistance_request", {"reasons": reasons, "ticket_id": None} | detail,
                             datetime.now(STATION_TZ))
    finally:
        db.close()


def relayed(data_dir, kiosk_id: str, *ops: tuple[str, dict]) -> None:
    """Ops of another kiosk of the station, taken in as the station service does."""
    from kiosk.domain.ids import uuid7
    from kiosk.store import relay_queue

    db = open_db(data_dir)
    try:
        seq = 1 + max(relay_queue.taken_in(db, kiosk_id), default=0)
        batch = [{"seq": seq + i, "op_id": uuid7(), "entity": entity, "kind": "upsert",
                  "entity_id": payload.get("event_id") or payload.get("ticket_id") or payload.get("rating_id"),
                  "created_at": datetime.now(STATION_TZ).isoformat(timespec="seconds"), "payload": payload}
                 for i, (entity, payload) in enumerate(ops)]
        relay_queue.take_in(db, kiosk_id, batch, {op["seq"] for op in batch})
    finally:
        db.close()


def relayed_request(data_dir, kiosk_id: str, reasons, ticket_id=None, number=None) -> str:
    from kiosk.domain.ids import uuid7

    event_id = uuid7()
    detail = {"reasons": reasons, "ticket_id": ticket_id} | ({"number": number} if number else {})
    relayed(data_dir, kiosk_id, ("event", {"event_id": event_id, "type": "assistance_request",
                                           "at": datetime.now(STATION_TZ).isoformat(timespec="seconds"),
                                           "detail": detail}))
    return event_id


def relayed_ticket(data_dir, kiosk_id: str, number: str, *, assistance: bool) -> dict:
    from kiosk.domain.ids import uuid7

    now = datetime.now(STATION_TZ)
    from kiosk.domain.numbering import business_date

    ticket = {"ticket_id": uuid7(), "station_id": "yt-xiaozhai", "service_code": "SB-KSL", "number": number,
              "issued_at": now.isoformat(timespec="seconds"), "business_date": business_date(now, 4).isoformat(),
              "priority": "normal", "assistance": assistance, "bundle_code": None, "id_digest": None,
              "id_masked": None, "status": "waiting", "updated_at": now.isoformat(timespec="seconds"),
              "holder_code": "482913"}
    relayed(data_dir, kiosk_id, ("ticket", ticket))
    return ticket


def synced_events(data_dir, event_type: str) -> list[dict]:
    db = open_db(data_dir)
    try:
        rows = db.execute("SELECT e.detail, o.payload FROM events e JOIN outbox o ON o.entity = 'event' "
                          "AND o.entity_id = e.event_id WHERE e.type = ? ORDER BY e.rowid", (event_type,)).fetchall()
    finally:
        db.close()
    for detail, payload in rows:
        assert json.loads(payload)["detail"] == json.loads(detail)
    return [json.loads(detail) for detail, _payload in rows]


def test_requests_say_which_kiosk_and_are_taken_then_closed(server, data_dir):
    mine = own_request(data_dir, ["cannot_operate"])
    theirs = relayed_request(data_dir, "K02", ["mobility", "proxy"])
    with login(server.url, "w1", "1111") as w1, login(server.url, "w2", "2222") as w2:
        requests = {r["event_id"]: r for r in w1.get("/api/me").json()["assistance"]["requests"]}
        assert requests[mine]["kiosk_id"] is None and requests[theirs]["kiosk_id"] == "K02"
        assert requests[theirs]["reasons"] == ["mobility", "proxy"] and requests[theirs]["received"] is None

        taken = w1.post("/api/assistance/receive", json={"request_id": theirs})
        assert taken.status_code == 200, taken.text
        assert taken.json()["received"]["counter_id"] == "w1"
        assert w1.post("/api/assistance/receive", json={"request_id": theirs}).status_code == 200  # a double tap
        other = w2.post("/api/assistance/receive", json={"request_id": theirs})
        assert other.status_code == 409 and other.json()["error"] == "taken" and "1号窗口" in other.json()["detail"]
        seen = {r["event_id"]: r for r in w2.get("/api/me").json()["assistance"]["requests"]}
        assert seen[theirs]["received"]["counter_name"] == "1号窗口" and seen[mine]["received"] is None

        assert w1.post("/api/assistance/done", json={"request_id": theirs}).status_code == 200
        again = w2.post("/api/assistance/done", json={"request_id": theirs})
        assert again.status_code == 409 and again.json()["error"] == "already_done"
        assert w2.post("/api/assistance/receive", json={"request_id": theirs}).json()["error"] == "already_done"
        left = [r["event_id"] for r in w2.get("/api/me").json()["assistance"]["requests"]]
        assert left == [mine]
        assert w2.post("/api/assistance/done", json={"request_id": mine}).status_code == 200  # closed without 接待
        assert w2.get("/api/me").json()["assistance"]["requests"] == []

    received = synced_events(data_dir, "assistance_received")
    assert received == [{"request_event_id": theirs, "counter_id": "w1", "counter_name": "1号窗口", "kiosk_id": "K02",
                         "ticket_id": None, "number": None}]
    done = synced_events(data_dir, "assistance_done")
    assert [(d["request_event_id"], d["counter_id"], d["kiosk_id"]) for d in done] == [(theirs, "w1", "K02"),
                                                                                        (mine, "w2", None)]


def test_a_request_for_a_ticket_shows_once_with_the_ticket_and_ends_when_it_is_served(server, data_dir):
    ticket = relayed_ticket(data_dir, "K03", "C001", assistance=True)
    request = relayed_request(data_dir, "K03", ["materials"], ticket_id=ticket["ticket_id"], number="C001")
    lone = relayed_ticket(data_dir, "K03", "C002", assistance=True)  # its request has not come yet
    with login(server.url, "w1", "1111") as w1:
        help_now = w1.get("/api/me").json()["assistance"]
        assert [(r["event_id"], r["number"], r["ticket_status"]) for r in help_now["requests"]] == [
            (request, "C001", "waiting")]
        assert [(t["number"], t["kiosk_id"]) for t in help_now["tickets"]] == [("C002", "K03")]
        assert w1.post("/api/call", json={"number": "C001"}).status_code == 200
        assert w1.post("/api/done").status_code == 200
        help_now = w1.get("/api/me").json()["assistance"]
        assert help_now["requests"] == [] and [t["ticket_id"] for t in help_now["tickets"]] == [lone["ticket_id"]]


def test_assistance_steps_refuse_bad_input_without_login_and_without_the_token(server, data_dir):
    request = own_request(data_dir, ["other"])
    for path in ("/api/assistance/receive", "/api/assistance/done"):
        anonymous = httpx.post(server.url + path, json={"request_id": request})
        assert anonymous.status_code == 401 and anonymous.json()["error"] == "not_logged_in"
    issue_cli(data_dir, count=1)
    with login(server.url, "w1", "1111") as w1:
        called = w1.post("/api/call-next").json()["ticket"]
        call_event = httpx.get(server.url + "/api/display").json()["calls"][0]
        assert call_event["number"] == called["number"]
        for path in ("/api/assistance/receive", "/api/assistance/done"):
            for body in ({}, {"request_id": 5}, {"request_id": ""}, {"request_id": "x" * 65},
                         {"request_id": request, "counter": "w2"}, [request]):
                answer = w1.post(path, json=body)
                assert answer.status_code == 422 and body_of(answer) == {"error", "detail"}, (path, body, answer.text)
            unknown = w1.post(path, json={"request_id": "01900000-0000-7000-8000-000000000000"})
            assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
            token = w1.headers.pop("X-CSRF-Token")
            refused = w1.post(path, json={"request_id": request})
            w1.headers["X-CSRF-Token"] = token
            assert refused.status_code == 403 and refused.json()["error"] == "csrf"
        db = open_db(data_dir)
        try:
            other_event = db.execute("SELECT event_id FROM events WHERE type = 'ticket_called'").fetchone()[0]
        finally:
            db.close()
        assert w1.post("/api/assistance/receive", json={"request_id": other_event}).status_code == 404
    assert synced_events(data_dir, "assistance_received") == []


def test_the_station_clock_is_the_servers(server):
    before = datetime.now(STATION_TZ).replace(microsecond=0)
    answer = httpx.get(server.url + "/api/station").json()
    after = datetime.now(STATION_TZ)
    now = datetime.fromisoformat(answer["now"])
    assert now.utcoffset() == timedelta(hours=8) and before <= now <= after
    # the business day turns at 04:00 (day_rollover_hour): at 00:30 it is still yesterday's
    assert answer["station_name"] == "小寨路街道便民服务中心"
    assert answer["business_date"] == (now - timedelta(hours=4)).date().isoformat()


def test_other_counters_show_called_apart_from_serving(server, data_dir):
    issue_cli(data_dir, count=1)
    with login(server.url, "w1", "1111") as w1, login(server.url, "w2", "2222") as w2:
        number = w1.post("/api/call-next").json()["ticket"]["number"]
        seen = {c["id"]: c for c in w2.get("/api/me").json()["counters"]}
        assert (seen["w1"]["current"], seen["w1"]["current_status"]) == (number, "called")
        assert (seen["w2"]["current"], seen["w2"]["current_status"]) == (None, None)
        w1.post("/api/serving")
        assert {c["id"]: c for c in w2.get("/api/me").json()["counters"]}["w1"]["current_status"] == "serving"


def test_the_display_marks_a_call_whose_ticket_became_a_no_show(server, data_dir):
    issued = issue_cli(data_dir, count=2)
    with login(server.url, "w1", "1111") as w1:
        w1.post("/api/call-next")
        calls = httpx.get(server.url + "/api/display").json()["calls"]
        assert [(c["number"], c["no_show"]) for c in calls] == [(issued[0]["number"], False)]
        w1.post("/api/no-show")
        w1.post("/api/call-next")
    calls = httpx.get(server.url + "/api/display").json()["calls"]
    assert [(c["number"], c["no_show"]) for c in calls] == [(issued[1]["number"], False), (issued[0]["number"], True)]
