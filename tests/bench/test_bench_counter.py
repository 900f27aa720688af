"""Benchmarks of the station queue service (run explicitly, they print figures):

    .venv/bin/pytest -s tests/bench/test_bench_counter.py
    COUNTER_BENCH_SECONDS=300 .venv/bin/pytest -s tests/bench/test_bench_counter.py -k concurrent

1. call-next round trip on loopback: API call -> state event received by a second HTTP client on
   /api/stream (many samples), and console click -> hall display updated in headless chromium
   (a smaller sample). Median and p99.
2. 20 counters calling (call next, then done) concurrently for COUNTER_BENCH_SECONDS (default 60)
   while a kiosk keeps issuing: 0 double calls, 0 lost tickets.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

_spec = importlib.util.spec_from_file_location(
    "counter_harness", Path(__file__).resolve().parents[1] / "counter" / "counter_harness.py")
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

SECONDS = float(os.environ.get("COUNTER_BENCH_SECONDS", "60"))
COUNTERS = int(os.environ.get("COUNTER_BENCH_COUNTERS", "20"))
API_SAMPLES = int(os.environ.get("COUNTER_BENCH_API_SAMPLES", "300"))
BROWSER_SAMPLES = int(os.environ.get("COUNTER_BENCH_BROWSER_SAMPLES", "30"))
TZ = ZoneInfo("Asia/Shanghai")
QUEUES = [("SB-KSL", "A"), ("HJ-QY", "B"), ("LN-YDZ", "C"), ("SY-DJ", "D"), ("FL-ZX", "E"), ("GT-DJ", "F"),
          ("TY-XX", "G"), ("ZH-ZX", "Z")]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def figures(name, seconds):
    ms = [s * 1000 for s in seconds]
    print(f"\n{name}: n={len(ms)} median={statistics.median(ms):.1f} ms p99={percentile(ms, 0.99):.1f} ms "
          f"max={max(ms):.1f} ms")


def issue_direct(db, count, queue=0):
    from kiosk.domain.numbering import NumberingScheme, business_date
    from kiosk.store import tickets

    scheme = NumberingScheme(first=1, last=9999, digits=4)
    issued = []
    for i in range(count):
        code, prefix = QUEUES[(queue + i) % len(QUEUES)]
        now = datetime.now(TZ)
        issued.append(tickets.issue(db, scheme=scheme, station_id="yt-xiaozhai", service_code=code, prefix=prefix,
                                    now=now, day=business_date(now, 4)).ticket_id)
    return issued


def test_call_next_round_trip(tmp_path):
    data_dir = tmp_path / "data"
    server = harness.CounterServer(data_dir)
    try:
        harness.add_counters(data_dir, ("w1", "1号窗口", "1111"))
        db = harness.open_db(data_dir)
        try:
            issue_direct(db, API_SAMPLES + BROWSER_SAMPLES + 5)
        finally:
            db.close()
        seen = []
        ready = threading.Event()
        stop = threading.Event()

        def listen():
            with httpx.stream("GET", server.url + "/api/stream", timeout=30) as stream:
                for line in stream.iter_lines():
                    if line.startswith("data:"):
                        state = json.loads(line[5:])
                        ready.set()
                        if state["calls"]:
                            seen.append((time.perf_counter(), state["calls"][0]["number"]))
                    if stop.is_set():
                        return

        listener = threading.Thread(target=listen, name="bench-sse")
        listener.start()
        rounds = []
        try:
            assert ready.wait(10)
            with harness.login(server.url, "w1", "1111") as client:
                for _ in range(API_SAMPLES):
                    start = time.perf_counter()
                    number = client.post("/api/call-next").json()["ticket"]["number"]
                    deadline = start + 5
                    while not any(n == number for _, n in seen[-3:]) and time.perf_counter() < deadline:
                        time.sleep(0.0005)
                    arrived = next(t for t, n in reversed(seen) if n == number)
                    rounds.append(arrived - start)
                    assert client.post("/api/done").status_code == 200
        finally:
            stop.set()
            with harness.login(server.url, "w1", "1111") as client:  # one more event wakes the listener
                client.post("/api/call-next")
                client.post("/api/done")
            listener.join(10)
        figures("API call-next -> SSE event at a second client", rounds)

        browser_rounds = browser_round_trips(tmp_path, server.url)
        figures("console click -> hall display updated (chromium)", browser_rounds)
        assert percentile(browser_rounds, 0.5) < 1.0
    finally:
        server.stop()


def browser_round_trips(tmp_path, url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    display = harness.chromium_driver(tmp_path)
    console = harness.chromium_driver(tmp_path)
    try:
        display.get(url + "/display")
        console.get(url + "/")
        time.sleep(1)
        Select(console.find_element(By.ID, "counter-select")).select_by_value("w1")
        console.find_element(By.ID, "pin").send_keys("1111")
        console.find_element(By.ID, "login-button").click()
        rounds = []
        for _ in range(BROWSER_SAMPLES):
            for _ in range(200):
                if console.find_element(By.ID, "call-next").is_enabled():
                    break
                time.sleep(0.01)
            before = display.find_element(By.ID, "current-number").text
            start = time.perf_counter()
            console.find_element(By.ID, "call-next").click()
            while display.find_element(By.ID, "current-number").text == before:
                assert time.perf_counter() - start < 5, "display did not update"
            rounds.append(time.perf_counter() - start)
            for _ in range(200):
                if console.find_element(By.ID, "done").is_enabled():
                    break
                time.sleep(0.01)
            console.find_element(By.ID, "done").click()
        return rounds
    finally:
        display.quit()
        console.quit()


@pytest.mark.timeout(SECONDS + 300)
def test_concurrent_counters(tmp_path):
    data_dir = tmp_path / "data"
    server = harness.CounterServer(data_dir)
    counters = [(f"c{i:02d}", f"{i + 1}号窗口", f"{1000 + i}") for i in range(COUNTERS)]
    try:
        harness.add_counters(data_dir, *counters)
        db = harness.open_db(data_dir)
        issued = issue_direct(db, 3000)
        db.close()
        got: dict[str, list[str]] = {cid: [] for cid, _, _ in counters}
        failures: list[str] = []
        empty = Counter()
        stop = threading.Event()
        start = threading.Barrier(COUNTERS + 2)  # the counters, the kiosk and this thread

        def counter_loop(counter_id, pin):
            try:
                with harness.login(server.url, counter_id, pin) as client:
                    start.wait()
                    while not stop.is_set():
                        answer = client.post("/api/call-next")
                        if answer.status_code == 404:
                            empty[counter_id] += 1
                            time.sleep(0.05)
                            continue
                        if answer.status_code != 200:
                            failures.append(f"{counter_id} call-next {answer.status_code} {answer.text}")
                            time.sleep(0.05)
                            continue
                        got[counter_id].append(answer.json()["ticket"]["ticket_id"])
                        done = client.post("/api/done")
                        if done.status_code != 200:
                            failures.append(f"{counter_id} done {done.status_code} {done.text}")
            except BaseException as exc:
                failures.append(f"{counter_id}: {exc!r}")
                start.abort()

        def kiosk_loop():
            kiosk_db = harness.open_db(data_dir)
            try:
                start.wait()
                queue = 0
                while not stop.is_set():
                    issued.extend(issue_direct(kiosk_db, 1, queue))
                    queue += 1
                    time.sleep(0.01)
            except BaseException as exc:
                failures.append(f"kiosk: {exc!r}")
                start.abort()
            finally:
                kiosk_db.close()

        threads = [threading.Thread(target=counter_loop, args=(cid, pin), name=f"bench-{cid}") for cid, _, pin in counters]
        threads.append(threading.Thread(target=kiosk_loop, name="bench-kiosk"))
        for thread in threads:
            thread.start()
        began = time.perf_counter()
        try:
            start.wait()
            time.sleep(SECONDS)
        finally:
            stop.set()
            for thread in threads:
                thread.join(60)
        elapsed = time.perf_counter() - began

        called = [t for tickets in got.values() for t in tickets]
        doubles = sum(n - 1 for n in Counter(called).values() if n > 1)
        db = harness.open_db(data_dir)
        try:
            status = dict(db.execute("SELECT ticket_id, status FROM tickets").fetchall())
            call_events = Counter(json.loads(d)["ticket_id"] for (d,) in db.execute(
                "SELECT detail FROM events WHERE type = 'ticket_called'"))
            ops = Counter(db.execute("SELECT entity FROM outbox").fetchall())
        finally:
            db.close()
        lost = [t for t in issued if t not in status or status[t] not in ("waiting", "done")]
        lost += [t for t in called if status.get(t) != "done"]
        never_called_done = [t for t, s in status.items() if s == "done" and t not in set(called)]
        per_counter = sorted(len(v) for v in got.values())
        print(f"\n{COUNTERS} counters for {elapsed:.0f} s: {len(called)} calls ({len(called) / elapsed:.1f}/s), "
              f"{len(issued)} tickets issued, {sum(1 for s in status.values() if s == 'waiting')} still waiting, "
              f"double calls {doubles}, lost tickets {len(lost)}, failures {len(failures)}, "
              f"calls per counter min {per_counter[0]} max {per_counter[-1]}, outbox ops {dict(ops)}")
        assert not failures, failures[:5]
        assert doubles == 0
        assert max(call_events.values()) == 1
        assert not lost and not never_called_done
        assert len(called) > COUNTERS
    finally:
        server.stop()
