"""Load benchmark (run explicitly): 200 kiosks x 500 ops pushing at once into `district-server serve`
on PostgreSQL; every op stored once; throughput compared with a raw executemany of the same rows.

    KIOSK_TEST_PG_URL=... .venv/bin/python -m pytest tests/bench/test_bench_server.py -s

What each side measures (both on the same machine, database and cluster, in the same run):
- server: wall time from starting the 200 client threads until the last response is in. Request
  bodies (JSON text) are built before the clock starts; inside it each kiosk signs its body (one
  SHA-256 and HMAC), sends it over HTTP, and the server authenticates it, records the nonce,
  parses and validates every op, dedups, stores the ops, projects the tickets table, and commits
  before it answers. The client side costs about 3 ms of CPU per request (0.5 to 0.8 s per run),
  a few per cent of the machine, so the load generator is not what limits the figure.
- floor: one psycopg connection inserting the same 100,000 rows (same columns, into a copy of the
  ops table with its indexes) with one executemany and one commit. Its rows are built before its
  clock starts too. It does none of the server's other work (no HTTP, auth, validation, dedup,
  tickets projection), so the ratio is the share of raw insert speed the whole server keeps.
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
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from sync.server.catalogue import ensure_station
from sync.server.db import make_engine, transaction
from sync.server.enrolment import create_token

from district_process import DistrictServer, migrated_database, postgres_url

KIOSKS = int(os.environ.get("BENCH_KIOSKS", "200"))
OPS_PER_KIOSK = int(os.environ.get("BENCH_OPS", "500"))
WORKERS = int(os.environ.get("BENCH_SERVER_WORKERS", "2"))
MIN_RATIO = 0.5


@pytest.fixture(scope="module")
def pg_url():
    with postgres_url() as url:
        yield url


@pytest.fixture(scope="module")
def bench_db(pg_url):
    with migrated_database(pg_url, f"kiosk_bench_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="module")
def live_server(bench_db):
    server = DistrictServer(bench_db, workers=WORKERS).start(timeout=60)
    try:
        yield server.url
    finally:
        server.stop(timeout=20)


def ticket_op(seq):
    ticket_id = str(uuid.uuid4())
    return {"seq": seq, "op_id": str(uuid.uuid4()), "entity": "ticket", "entity_id": ticket_id, "kind": "upsert",
            "created_at": "2026-11-21T09:30:00+08:00",
            "payload": {"ticket_id": ticket_id, "station_id": "yt-xiaozhai", "service_code": "A-shebao",
                        "number": f"A{seq:03d}", "issued_at": "2026-11-21T09:30:00+08:00",
                        "business_date": "2026-11-21", "priority": "normal", "assistance": False,
                        "bundle_code": None, "id_digest": None, "id_masked": None, "status": "waiting",
                        "updated_at": "2026-11-21T09:30:00+08:00"}}


def signed_post(session, base, kiosk_id, secret, body):
    target = f"/v1/kiosks/{kiosk_id}/ops"
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    message = "\n".join(["POST", target, timestamp, nonce, hashlib.sha256(body).hexdigest()]).encode()
    headers = {"Content-Type": "application/json", "X-Kiosk-Id": kiosk_id, "X-Timestamp": timestamp,
               "X-Nonce": nonce, "X-Signature": hmac.new(secret, message, hashlib.sha256).hexdigest()}
    return session.post(base + target, data=body, headers=headers, timeout=600)


def enrol_all(base, db_url):
    engine = make_engine(db_url)
    tokens = {}
    with transaction(sessionmaker(engine)) as session:
        ensure_station(session, "yt-xiaozhai", time.time())
        for index in range(KIOSKS):
            kiosk_id = f"BENCH-{index:03d}"
            tokens[kiosk_id] = create_token(session, "yt-xiaozhai", kiosk_id, time.time(), 3600)
    engine.dispose()
    secrets_by_kiosk = {}
    with requests.Session() as session:
        for kiosk_id, token in tokens.items():
            response = session.post(base + "/v1/enrol", json={"token": token, "kiosk_id": kiosk_id}, timeout=30)
            assert response.status_code == 201, response.text
            secrets_by_kiosk[kiosk_id] = base64.b64decode(response.json()["secret"])
    return secrets_by_kiosk


def raw_executemany_seconds(db_url, bodies):
    """The same number of rows, same columns, one executemany over one psycopg connection."""
    rows = []
    for kiosk_id, body in bodies.items():
        for op in json.loads(body)["ops"]:
            rows.append((kiosk_id, op["seq"], op["op_id"], "applied", op["entity"], op["entity_id"], op["kind"],
                         op["created_at"], op["created_at"][:10], json.dumps(op["payload"]), time.time()))
    dsn = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute("CREATE TABLE bench_raw (LIKE ops INCLUDING ALL)")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_raw (kiosk_id, seq, op_id, status, entity, entity_id, kind, created_at, op_day, "
                "payload, received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::json, %s)", rows)
        conn.commit()
        elapsed = time.perf_counter() - started
        assert conn.execute("SELECT count(*) FROM bench_raw").fetchone()[0] == len(rows)
        conn.execute("DROP TABLE bench_raw")
    return elapsed


def test_200_kiosks_push_at_once_nothing_lost_nothing_duplicated(live_server, bench_db):
    secrets_by_kiosk = enrol_all(live_server, bench_db)
    bodies = {
        kiosk_id: json.dumps({"batch_id": str(uuid.uuid4()), "schema_version": 1, "app_version": "bench",
                              "ops": [ticket_op(seq) for seq in range(1, OPS_PER_KIOSK + 1)]}).encode()
        for kiosk_id in secrets_by_kiosk
    }
    start = threading.Barrier(len(bodies))

    def push(kiosk_id):
        with requests.Session() as session:
            start.wait()
            return kiosk_id, signed_post(session, live_server, kiosk_id, secrets_by_kiosk[kiosk_id], bodies[kiosk_id])

    began = time.perf_counter()
    with ThreadPoolExecutor(len(bodies)) as pool:
        responses = list(pool.map(push, bodies))
    server_seconds = time.perf_counter() - began
    for kiosk_id, response in responses:
        assert response.status_code == 200, (kiosk_id, response.status_code, response.text[:300])
        body = response.json()
        assert body["high_water"] == OPS_PER_KIOSK
        assert {r["status"] for r in body["results"]} == {"applied"}

    total = KIOSKS * OPS_PER_KIOSK
    engine = create_engine(bench_db)
    with engine.connect() as conn:
        stored, distinct = conn.execute(text("SELECT count(*), count(DISTINCT (kiosk_id, seq)) FROM ops")).one()
        tickets = conn.execute(text("SELECT count(*) FROM tickets")).scalar()
    engine.dispose()
    assert (stored, distinct, tickets) == (total, total, total), "ops lost or duplicated"

    raw_seconds = raw_executemany_seconds(bench_db, bodies)
    server_rate, raw_rate = total / server_seconds, total / raw_seconds
    ratio = server_rate / raw_rate
    print(f"\nbench: {KIOSKS} kiosks x {OPS_PER_KIOSK} ops = {total} ops, server workers {WORKERS}")
    print(f"bench: server {server_seconds:.2f} s = {server_rate:,.0f} ops/s (0 lost, 0 duplicated)")
    print(f"bench: raw executemany {raw_seconds:.2f} s = {raw_rate:,.0f} rows/s")
    print(f"bench: ratio server/raw = {ratio:.2f} (required >= {MIN_RATIO})")
    assert ratio >= MIN_RATIO
