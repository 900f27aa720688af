"""Benchmark of fleet health (run explicitly; figures printed beside a floor measured in the same run):

    KIOSK_TEST_PG_URL=... .venv/bin/pytest -s tests/bench/test_bench_heartbeats.py
    HEARTBEAT_BENCH_SECONDS=300 .venv/bin/pytest -s tests/bench/test_bench_heartbeats.py

900 kiosks heartbeating every minute (15 signed heartbeats a second, spread evenly) into
`district-server serve` on PostgreSQL for HEARTBEAT_BENCH_SECONDS (default 60: each kiosk once).

- CPU: the server process's user+system time from /proc/<pid>/stat over the run, as a share of one
  core; the floor is the wall time of one psycopg executemany writing the same rows (the latest per
  kiosk upserted into a copy of device_health, the history into a copy of device_heartbeats) and
  one commit: no HTTP, no signature, no validation, no alerts.
- Beside it, the same server answering as many signed requests that store nothing (an empty
  reconciliation): what signing, authentication and HTTP cost a request of any kind.
- Growth: a day of history of a fleet that is well (the server keeps every heartbeat that changed
  something and one per device every 10 minutes: 900 x 144 rows, the bodies the kiosks sent)
  written straight into device_heartbeats, its size (table, indexes, TOAST) measured before and
  after: the bytes a day adds, and what the retention period (fleet_heartbeat_retention_days,
  default 7) keeps at most; then the purge removes the rows older than the period, timed.
- The console's fleet view over the 900 devices (the alerts refreshed, every device's state), timed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from district_process import DistrictServer, migrated_database, postgres_url
from proc_stats import process_tree_cpu
from sync.server.fleet.heartbeat import HISTORY_EVERY_S

KIOSKS = int(os.environ.get("HEARTBEAT_BENCH_KIOSKS", "900"))
SECONDS = float(os.environ.get("HEARTBEAT_BENCH_SECONDS", "60"))
EVERY_S = 60.0
STATION = "yt-xiaozhai"
MAX_CPU_SHARE = 0.5  # of one core, at 15 heartbeats a second


@pytest.fixture(scope="module")
def pg_url():
    with postgres_url() as url:
        yield url


@pytest.fixture(scope="module")
def bench_db(pg_url):
    with migrated_database(pg_url, f"kiosk_beat_{os.getpid()}") as url:
        yield url


def dsn(db_url: str) -> str:
    return make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)


def enrol_all(base: str, db_url: str) -> dict[str, bytes]:
    from sync.server.catalogue import ensure_station
    from sync.server.db import make_engine, transaction
    from sync.server.enrolment import create_token

    engine = make_engine(db_url)
    with transaction(sessionmaker(engine)) as session:
        ensure_station(session, STATION, time.time())
        tokens = {f"BEAT-{i:03d}": create_token(session, STATION, f"BEAT-{i:03d}", time.time(), 3600)
                  for i in range(KIOSKS)}
    engine.dispose()

    def enrol(item):
        kiosk_id, token = item
        answer = requests.post(base + "/v1/enrol", json={"token": token, "kiosk_id": kiosk_id}, timeout=30)
        assert answer.status_code == 201, answer.text
        return kiosk_id, base64.b64decode(answer.json()["secret"])

    with ThreadPoolExecutor(8) as pool:
        return dict(pool.map(enrol, tokens.items()))


def body(index: int) -> bytes:
    now = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    return json.dumps({"at": now, "app_version": "1.4.0", "catalogue_version": 12, "last_sync_at": now,
                       "outbox": index % 3, "dead_letters": 0, "printer": "paper_near_end" if index % 50 == 0 else "ok",
                       "reader": "ok", "disk_free_mb": 20480 + index, "clock_offset_s": -0.4}).encode()


def signed_post(session: requests.Session, base: str, kiosk_id: str, secret: bytes, data: bytes,
                path: str = "heartbeat"):
    target = f"/v1/kiosks/{kiosk_id}/{path}"
    stamp, nonce = str(int(time.time())), secrets.token_hex(16)
    message = "\n".join(["POST", target, stamp, nonce, hashlib.sha256(data).hexdigest()]).encode()
    headers = {"Content-Type": "application/json", "X-Kiosk-Id": kiosk_id, "X-Timestamp": stamp, "X-Nonce": nonce,
               "X-Signature": hmac.new(secret, message, hashlib.sha256).hexdigest()}
    return session.post(base + target, data=data, headers=headers, timeout=30)


def floor_seconds(db_url: str, sent: list[tuple[str, bytes]]) -> float:
    """The same rows, one executemany each for the latest and the history, one commit."""
    now = time.time()
    with psycopg.connect(dsn(db_url)) as conn:
        conn.execute("CREATE TABLE floor_health (LIKE device_health INCLUDING ALL)")
        conn.execute("CREATE TABLE floor_beats (LIKE device_heartbeats INCLUDING ALL)")
        conn.commit()
        health = [(k, STATION, "kiosk", now, json.loads(b)["at"], "1.4.0", 12, json.loads(b)["printer"], "ok",
                   json.loads(b)["outbox"], 0, b.decode()) for k, b in sent]
        beats = [(k, now, b.decode()) for k, b in sent]
        started = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO floor_health (kiosk_id, station_id, role, received_at, sent_at, app_version, "
                "catalogue_version, printer, reader, outbox, dead_letters, data) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::json) ON CONFLICT (kiosk_id) DO UPDATE SET "
                "received_at = excluded.received_at, data = excluded.data", health)
            cursor.executemany("INSERT INTO floor_beats (kiosk_id, received_at, data) VALUES (%s, %s, %s::json)", beats)
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE floor_health")
        conn.execute("DROP TABLE floor_beats")
        conn.commit()
    return elapsed


def table_bytes(conn) -> int:
    return conn.execute("SELECT pg_total_relation_size('device_heartbeats')").fetchone()[0]


def test_900_kiosks_heartbeating_every_minute(bench_db):
    server = DistrictServer(bench_db).start(timeout=60)
    try:
        secrets_by_kiosk = enrol_all(server.url, bench_db)
        kiosks = sorted(secrets_by_kiosk)
        total = int(KIOSKS * SECONDS / EVERY_S)
        gap = EVERY_S / KIOSKS
        sent: list[tuple[str, bytes]] = []
        failures: list[str] = []
        local = threading.local()

        def beat(n: int) -> None:
            due = began + n * gap
            time.sleep(max(0.0, due - time.perf_counter()))
            if not hasattr(local, "http"):
                local.http = requests.Session()
            kiosk_id = kiosks[n % KIOSKS]
            data = body(n)
            answer = signed_post(local.http, server.url, kiosk_id, secrets_by_kiosk[kiosk_id], data)
            if answer.status_code != 200:
                failures.append(answer.text[:200])
            sent.append((kiosk_id, data))

        pid = server.process.pid
        cpu_before = process_tree_cpu(pid)
        began = time.perf_counter()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(beat, range(total)))
        wall = time.perf_counter() - began
        cpu = process_tree_cpu(pid) - cpu_before
        assert not failures, failures[:3]

        def empty(n: int) -> int:
            if not hasattr(local, "http"):
                local.http = requests.Session()
            kiosk_id = kiosks[n % KIOSKS]
            return signed_post(local.http, server.url, kiosk_id, secrets_by_kiosk[kiosk_id], b'{"days": []}',
                               "reconcile").status_code

        cpu_before = process_tree_cpu(pid)
        with ThreadPoolExecutor(16) as pool:
            assert set(pool.map(empty, range(total))) == {200}
        signed_cpu = process_tree_cpu(pid) - cpu_before

        floor = floor_seconds(bench_db, sent[-KIOSKS:])
        per_minute_cpu = cpu / wall * EVERY_S
        floor_per_minute = floor * (KIOSKS / min(KIOSKS, len(sent)))
        print(f"\nheartbeats: {total} from {KIOSKS} kiosks in {wall:.1f} s ({total / wall:.1f}/s)")
        print(f"heartbeats: server CPU {cpu:.2f} s = {cpu / wall:.1%} of one core; "
              f"{cpu / total * 1000:.2f} ms per heartbeat")
        print(f"heartbeats: a signed request that stores nothing: {signed_cpu / total * 1000:.2f} ms CPU "
              f"(the heartbeat {cpu / signed_cpu:.2f}x that)")
        print(f"heartbeats: floor (one executemany of a minute's rows, latest + history) {floor * 1000:.0f} ms; "
              f"server CPU per minute of load {per_minute_cpu:.2f} s = {per_minute_cpu / floor_per_minute:.1f}x the floor")

        with psycopg.connect(dsn(bench_db)) as conn:
            before = table_bytes(conn)
            rows = KIOSKS * int(86400 / HISTORY_EVERY_S)
            old = time.time() - 8 * 86400
            conn.execute("INSERT INTO device_heartbeats (kiosk_id, received_at, data) "
                         "SELECT 'BEAT-' || lpad((n %% %s)::text, 3, '0'), %s + n * (86400.0 / %s), %s::json "
                         "FROM generate_series(0, %s - 1) AS n",
                         (KIOSKS, old, rows, sent[0][1].decode(), rows))
            conn.commit()
            conn.execute("ANALYZE device_heartbeats")
            added = table_bytes(conn) - before
        print(f"heartbeats: history {rows} rows a day, {added / rows:.0f} bytes each = {added / 2 ** 20:.0f} MiB a day "
              f"(every heartbeat kept would be {added * 10 / 2 ** 20:.0f} MiB); bounded by 7 days' retention at "
              f"{7 * added / 2 ** 20:.0f} MiB")

        from sync.server.db import make_engine, transaction
        from sync.server.fleet.routes import fleet_view
        from sync.server.retention import purge_fleet

        engine = make_engine(bench_db)
        try:
            started = time.perf_counter()
            with transaction(sessionmaker(engine)) as session:
                counts = purge_fleet(session, time.time())
            purge_s = time.perf_counter() - started
            started = time.perf_counter()
            with transaction(sessionmaker(engine)) as session:
                view = fleet_view(session, time.time(), None)
            view_s = time.perf_counter() - started
        finally:
            engine.dispose()
        assert counts["heartbeats"] == rows  # everything older than the period, nothing newer
        assert len(view["devices"]) == KIOSKS
        print(f"heartbeats: purge of {rows} rows past the period {purge_s:.2f} s; "
              f"console fleet view of {KIOSKS} devices {view_s * 1000:.0f} ms")
        assert cpu / wall < MAX_CPU_SHARE
    finally:
        server.stop(timeout=20)
