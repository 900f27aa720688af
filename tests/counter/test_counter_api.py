"""The JSON API of the queue service, against the real server process and store file."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

import httpx

from counter_harness import add_counters, issue_cli, login, open_db


def test_pages_and_public_endpoints(server):
    for path in ("/", "/display", "/pad", "/static/console.js", "/static/display.js", "/static/counter.css",
                 "/static/pad.js", "/static/pad.css"):
        response = httpx.get(server.url + path)
        assert response.status_code == 200, path
    assert "default-src 'self'" in httpx.get(server.url + "/").headers["content-security-policy"]
    assert [c["id"] for c in httpx.get(server.url + "/api/counters").json()["counters"]] == ["w1", "w2"]
    assert "pin_hash" not in httpx.get(server.url + "/api/counters").text
    assert httpx.post(server.url + "/api/call-next").status_code == 401
    assert httpx.get(server.url + "/api/display").json()["calls"] == []


def test_login_cookie_and_lock_after_five_wrong_pins(server):
    response = httpx.post(server.url + "/api/login", json={"counter_id": "w1", "pin": "1111"})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    answers = [httpx.post(server.url + "/api/login", json={"counter_id": "w2", "pin": "9999"}) for _ in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 423]
    assert answers[0].json()["tries_left"] == 4
    locked = httpx.post(server.url + "/api/login", json={"counter_id": "w2", "pin": "2222"})
    assert locked.status_code == 423 and int(locked.headers["retry-after"]) > 200
    assert httpx.post(server.url + "/api/login", json={"counter_id": "w1", "pin": "1111"}).status_code == 200
    assert httpx.post(server.url + "/api/login", json={"counter_id": "nope", "pin": "1111"}).status_code == 404


def test_call_serve_and_the_served_list(server, data_dir):
    issued = issue_cli(data_dir, count=3)
    with login(server.url, "w1", "1111") as w1:
        first = w1.post("/api/call-next").json()["ticket"]
        assert first["number"] == issued[0]["number"] and first["status"] == "called"
        assert w1.post("/api/call-next").json()["error"] == "busy"
        assert w1.post("/api/recall").status_code == 200
        assert w1.post("/api/serving").json()["ticket"]["status"] == "serving"
        done = w1.post("/api/done").json()["ticket"]
        assert done["status"] == "done"
        assert w1.post("/api/call", json={"number": issued[2]["number"].lower()}).json()["ticket"]["status"] == "called"
        assert w1.post("/api/no-show").json()["ticket"]["status"] == "no_show"
        assert w1.post("/api/transfer", json={"to_service": "HJ-QY"}).json()["error"] == "no_current"
        assert w1.post("/api/pause", json={"paused": True}).json()["paused"] is True
        assert w1.post("/api/call-next").json()["error"] == "paused"
        me = w1.get("/api/me").json()
        assert me["paused"] and [t["number"] for t in me["waiting"]] == [issued[1]["number"]]
        assert me["one_hour"]["served"] == 1
    served = httpx.get(server.url + "/api/served").json()["served"]
    assert [s["ticket_id"] for s in served] == [issued[0]["ticket_id"]]
    calls = httpx.get(server.url + "/api/display").json()["calls"]
    assert [c["number"] for c in calls] == [issued[2]["number"], issued[0]["number"], issued[0]["number"]]
    db = open_db(data_dir)
    try:
        statuses = [json.loads(p)["status"] for (p,) in db.execute(
            "SELECT payload FROM outbox WHERE entity = 'ticket' AND entity_id = ? ORDER BY seq", (issued[0]["ticket_id"],))]
    finally:
        db.close()
    assert statuses == ["waiting", "called", "serving", "done"]


def test_a_call_reaches_a_stream_subscriber_within_a_second(server, data_dir):
    issue_cli(data_dir, count=1)
    received = []
    ready = threading.Event()

    def listen():
        with httpx.stream("GET", server.url + "/api/stream", timeout=5) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    state = json.loads(line[5:])
                    ready.set()
                    if state["calls"]:
                        received.append((time.perf_counter(), state["calls"][0]["number"]))
                        return

    listener = threading.Thread(target=listen, name="sse-listener")
    listener.start()
    try:
        assert ready.wait(5)
        with login(server.url, "w1", "1111") as w1:
            sent = time.perf_counter()
            number = w1.post("/api/call-next").json()["ticket"]["number"]
    finally:
        listener.join(10)
    assert received and received[0][1] == number
    assert received[0][0] - sent < 1.0


def test_counters_calling_at_once_never_get_the_same_ticket(server, data_dir):
    counters = [(f"c{i}", f"{i}号窗口", f"{1000 + i}") for i in range(6)]
    add_counters(data_dir, *counters)
    issued = issue_cli(data_dir, count=90)
    got: dict[str, list[str]] = {cid: [] for cid, _, _ in counters}
    errors = []
    start = threading.Barrier(len(counters))

    def work(counter_id, pin):
        try:
            with login(server.url, counter_id, pin) as client:
                start.wait()
                while True:
                    answer = client.post("/api/call-next")
                    if answer.status_code == 404:
                        return
                    assert answer.status_code == 200, answer.text
                    got[counter_id].append(answer.json()["ticket"]["ticket_id"])
                    assert client.post("/api/done").status_code == 200
        except BaseException as exc:  # reported below; the thread must end
            errors.append(exc)
            start.abort()

    threads = [threading.Thread(target=work, args=(cid, pin), name=f"counter-{cid}") for cid, _, pin in counters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    called = [t for tickets in got.values() for t in tickets]
    assert max(Counter(called).values()) == 1
    assert sorted(called) == sorted(t["ticket_id"] for t in issued)
    assert sum(1 for tickets in got.values() if tickets) > 1
