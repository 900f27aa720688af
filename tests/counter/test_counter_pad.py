"""The window rating pad (窗口评价器) over the JSON API: against the real server process and store."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from counter_harness import issue_cli, login, open_db
from test_counter_assistance import relayed

from sync.protocol import RATING_FIELDS
from sync.protocol.ratings import WORDS

STATION_TZ = ZoneInfo("Asia/Shanghai")


def body_of(response) -> set:
    return set(response.json())


def served_by(client, count: int = 1) -> list[dict]:
    """Call and mark done ``count`` tickets at the client's counter; returns the done tickets."""
    done = []
    for _ in range(count):
        assert client.post("/api/call-next").status_code == 200
        answer = client.post("/api/done")
        assert answer.status_code == 200, answer.text
        done.append(answer.json()["ticket"])
    return done


def rating_rows(data_dir) -> list[tuple]:
    db = open_db(data_dir)
    try:
        return db.execute("SELECT r.ticket_id, r.level, r.reasons, r.channel, r.counter_id, o.payload FROM ratings r "
                          "LEFT JOIN outbox o ON o.entity = 'rating' AND o.entity_id = r.rating_id "
                          "ORDER BY r.rowid").fetchall()
    finally:
        db.close()


def test_the_pad_rates_the_ticket_just_done_once(server, data_dir):
    issue_cli(data_dir, count=2)
    with login(server.url, "w1", "1111") as w1:
        pad = w1.get("/api/pad").json()
        assert pad["ticket"] is None and pad["counter"] == {"id": "w1", "name": "1号窗口"}
        assert pad["station_name"] == "小寨路街道便民服务中心"
        assert [(l["level"], l["label"]) for l in pad["levels"]] == [
            (5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")]
        assert pad["low_level_max"] == 2 and {"code": "attitude", "label": "服务态度差"} in pad["reasons"]

        (ticket,) = served_by(w1)
        offer = w1.get("/api/pad").json()["ticket"]
        assert offer["ticket_id"] == ticket["ticket_id"] and offer["number"] == ticket["number"]
        assert offer["service_name"] == "社会保障卡申领"
        answer = w1.post("/api/pad/rating", json={"ticket_id": ticket["ticket_id"], "level": 2,
                                                  "reasons": ["wait_too_long", "attitude"]})
        assert answer.status_code == 200, answer.text
        rating = answer.json()["rating"]
        assert (rating["channel"], rating["counter_id"], rating["level"]) == ("window_pad", "w1", 2)

        second = w1.post("/api/pad/rating", json={"ticket_id": ticket["ticket_id"], "level": 5})
        assert second.status_code == 409 and second.json() == {"error": "already_rated", "detail": WORDS["already_rated"]}
        assert w1.post("/api/pad/rating", json={"level": 5}).json()["error"] == "already_rated"
        assert w1.get("/api/pad").json()["ticket"] is None  # rated: the pad waits again

    ((ticket_id, level, reasons, channel, counter_id, payload),) = rating_rows(data_dir)
    assert (ticket_id, level, json.loads(reasons), channel, counter_id) == (
        ticket["ticket_id"], 2, ["wait_too_long", "attitude"], "window_pad", "w1")
    op = json.loads(payload)
    assert set(RATING_FIELDS) <= set(op)
    assert op["channel"] == "window_pad" and op["counter_id"] == "w1"
    assert op["holder"] == {"by": "counter", "counter_id": "w1"}
    assert op["station_id"] == "yt-xiaozhai" and op["service_code"] == "SB-KSL" and op["rating_id"] == rating["rating_id"]


def test_the_rating_op_is_one_the_district_accepts_from_its_station(server, data_dir):
    from sync.protocol import DEFAULT_REASON_CODES
    from sync.protocol.ratings import TicketFacts, refusal
    from sync.server.payloads import check_rating

    issue_cli(data_dir, count=1)
    with login(server.url, "w1", "1111") as w1:
        (ticket,) = served_by(w1)
        assert w1.post("/api/pad/rating", json={"level": 4}).status_code == 200  # the last done one
    ((_t, _l, _r, _c, _w, payload),) = rating_rows(data_dir)
    op = json.loads(payload)
    check_rating(op, frozenset(DEFAULT_REASON_CODES))  # raises PayloadError when the district would refuse it
    facts = TicketFacts(ticket["ticket_id"], "yt-xiaozhai", "done", ticket["updated_at"][:10])
    assert refusal(facts, op, station_id="yt-xiaozhai", may_speak_for_counter=True) is None
    assert refusal(facts, op, station_id="yt-xiaozhai", may_speak_for_counter=False)[0] == "not_holder"


def test_nothing_done_nothing_to_rate(server, data_dir):
    issued = issue_cli(data_dir, count=2)
    with login(server.url, "w1", "1111") as w1, login(server.url, "w2", "2222") as w2:
        nothing = w1.post("/api/pad/rating", json={"level": 5})
        assert nothing.status_code == 409 and nothing.json()["error"] == "nothing_done"
        waiting = w1.post("/api/pad/rating", json={"ticket_id": issued[1]["ticket_id"], "level": 5})
        assert waiting.status_code == 409 and waiting.json() == {"error": "not_served", "detail": WORDS["not_served"]}
        unknown = w1.post("/api/pad/rating", json={"ticket_id": "01900000-0000-7000-8000-000000000000", "level": 5})
        assert unknown.status_code == 404 and unknown.json() == {"error": "no_ticket", "detail": WORDS["no_ticket"]}

        (ticket,) = served_by(w1)
        assert w2.get("/api/pad").json()["ticket"] is None  # another counter's pad shows only its own
        others = w2.post("/api/pad/rating", json={"ticket_id": ticket["ticket_id"], "level": 5})
        assert others.status_code == 409 and others.json()["error"] == "not_last_done"
        assert w2.post("/api/pad/rating", json={"level": 5}).json()["error"] == "nothing_done"

        assert w1.post("/api/call-next").status_code == 200  # the next resident is called ...
        assert w1.get("/api/pad").json()["ticket"]["ticket_id"] == ticket["ticket_id"]  # ... the last one may still rate
        assert w1.post("/api/serving").status_code == 200  # ... and now sits at the counter
        assert w1.get("/api/pad").json()["ticket"] is None
        late = w1.post("/api/pad/rating", json={"ticket_id": ticket["ticket_id"], "level": 5})
        assert late.status_code == 200  # a tap already under way is still the last done ticket's
    assert len(rating_rows(data_dir)) == 1


def test_a_rating_from_another_channel_closes_the_pad(server, data_dir):
    from kiosk.domain.ids import uuid7

    issue_cli(data_dir, count=1)
    with login(server.url, "w1", "1111") as w1:
        (ticket,) = served_by(w1)
        now = datetime.now(STATION_TZ).isoformat(timespec="seconds")
        rating_id = uuid7()
        relayed(data_dir, "K02", ("rating", {  # the resident rated on a kiosk first, by the code on the ticket
            "rating_id": rating_id, "station_id": "yt-xiaozhai", "ticket_id": ticket["ticket_id"],
            "service_code": "SB-KSL", "level": 5, "reasons": [], "comment": None, "contact_phone": None,
            "channel": "kiosk", "rated_at": now, "holder": {"by": "code", "code": "123456"}}))
        assert w1.get("/api/pad").json()["ticket"] is None
        refused = w1.post("/api/pad/rating", json={"ticket_id": ticket["ticket_id"], "level": 1,
                                                   "reasons": ["other"]})
        assert refused.status_code == 409 and refused.json()["detail"] == WORDS["already_rated"]
    assert [(r[3], r[4]) for r in rating_rows(data_dir)] == [("kiosk", None)]


def test_the_offer_ends_some_minutes_after_done(server, data_dir):
    from kiosk.domain.numbering import business_date
    from kiosk.store import window_ratings

    issue_cli(data_dir, count=1)
    with login(server.url, "w1", "1111") as w1:
        (ticket,) = served_by(w1)
    done_at = datetime.fromisoformat(ticket["updated_at"])
    day = business_date(done_at, 4)
    db = open_db(data_dir)
    try:
        soon = window_ratings.offered(db, "w1", now=done_at + timedelta(minutes=4), day=day)
        later = window_ratings.offered(db, "w1", now=done_at + timedelta(minutes=window_ratings.OFFER_MINUTES, seconds=1),
                                       day=day)
        next_day = window_ratings.offered(db, "w1", now=done_at, day=day + timedelta(days=1))
    finally:
        db.close()
    assert soon is not None and soon.ticket_id == ticket["ticket_id"]
    assert later is None and next_day is None


def test_pad_endpoints_refuse_bad_input_without_login_and_without_the_token(server, data_dir):
    assert httpx.get(server.url + "/api/pad").status_code == 401
    anonymous = httpx.post(server.url + "/api/pad/rating", json={"level": 5})
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "not_logged_in"
    issue_cli(data_dir, count=1)
    with login(server.url, "w1", "1111") as w1:
        (ticket,) = served_by(w1)
        for body in ({}, {"level": "5"}, {"level": True}, {"level": 5.0}, {"level": 5, "reasons": "attitude"},
                     {"level": 5, "reasons": [1]}, {"level": 5, "ticket_id": ""}, {"level": 5, "ticket_id": 7},
                     {"level": 5, "comment": "好"}, {"level": 2, "reasons": ["x" * 65]}, [5]):
            answer = w1.post("/api/pad/rating", json=body)
            assert answer.status_code == 422 and body_of(answer) == {"error", "detail"}, (body, answer.text)
        for body, code in (({"level": 0}, "level_out_of_range"), ({"level": 6}, "level_out_of_range"),
                           ({"level": 2}, "reasons_required"), ({"level": 1, "reasons": ["bribes"]}, "unknown_reason")):
            answer = w1.post("/api/pad/rating", json=body)
            assert answer.status_code == 422 and answer.json()["error"] == code, (body, answer.text)
            assert body_of(answer) == {"error", "detail"}
        token = w1.headers.pop("X-CSRF-Token")
        refused = w1.post("/api/pad/rating", json={"level": 5})
        assert refused.status_code == 403 and refused.json()["error"] == "csrf"
        assert w1.get("/api/pad").json()["ticket"]["ticket_id"] == ticket["ticket_id"]  # reading needs no token
        w1.headers["X-CSRF-Token"] = token
        foreign = w1.post("/api/pad/rating", json={"level": 5}, headers={"origin": "http://127.0.0.1:9"})
        assert foreign.status_code == 403 and foreign.json()["error"] == "cross_origin"
    assert rating_rows(data_dir) == []
