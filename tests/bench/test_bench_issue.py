"""Issuing a ticket (commit included) against a raw SQLite insert with synchronous=FULL, same disk.

Run: .venv/bin/pytest tests/bench/test_bench_issue.py -s
Target: median ≤ 3× the raw insert, over 1,000 tickets.
"""

import sqlite3
import statistics
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.app import issue_policy, open_store
from kiosk.config import DEMO_CONFIG, load
from kiosk.services.issue_ticket import IssueRequest, issue_ticket

N = 1000
SERVICES = ["SB-KSL", "HJ-QY", "LN-YDZ", "SY-DJ", "FL-YZ", "GT-DJ", "TY-YDK", "ZH-ZX"]


def raw_insert_times(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, number TEXT, payload TEXT)")
    times = []
    for i in range(N):
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?, ?, ?)", (f"id-{i}", f"A{i:03d}", "{}" * 100))
        db.execute("COMMIT")
        times.append(time.perf_counter() - start)
    db.close()
    return times


def test_issue_ticket_against_raw_insert(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    config = load(str(DEMO_CONFIG))
    store = open_store(config)
    catalogue = store.catalogue()
    policy = issue_policy(config)
    now = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    times = []
    try:
        for i in range(N):
            request = IssueRequest(service_code=SERVICES[i % len(SERVICES)])
            start = time.perf_counter()
            issue_ticket(store, catalogue, policy, request, lambda: now)
            times.append(time.perf_counter() - start)
    finally:
        store.close()
    raw = raw_insert_times(tmp_path / "raw.sqlite3")
    kiosk_ms, raw_ms = statistics.median(times) * 1000, statistics.median(raw) * 1000
    print(f"\nissue ticket median {kiosk_ms:.3f} ms, raw insert median {raw_ms:.3f} ms "
          f"(ratio {kiosk_ms / raw_ms:.2f}; target ≤ 3.0) over {N} each")
    assert kiosk_ms <= 3.0 * raw_ms
