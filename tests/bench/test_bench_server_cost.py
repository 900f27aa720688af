"""Cost benchmark (run explicitly): CPU seconds per op of `district-server serve` and its PostgreSQL
cluster, against the CPU seconds per row of a raw executemany of the same rows, in the same run.

    KIOSK_TEST_PG_URL=... .venv/bin/python -m pytest tests/bench/test_bench_server_cost.py -s -p no:randomly

Sizes: BENCH_KIOSKS (200) kiosks push BENCH_OPS (500) ops each at once, one signed batch each, into
`district-server serve --workers BENCH_SERVER_WORKERS` (2). BENCH_MAX_COST_RATIO (2.0): the bound.

What is measured, all from /proc (tests/bench/proc_stats.py), before and after each side:
- server side: user+system CPU seconds of the server's process tree (the uvicorn supervisor and its
  workers) plus those of the whole PostgreSQL cluster: the postmaster, every live child, and every
  child it reaped meanwhile (cutime/cstime). Backends come and go during the run (the pool's
  overflow connections are closed when returned), and a backend's own /proc entry disappears
  when it ends; the postmaster's cumulative children time is where its CPU seconds go then, so
  live children + reaped children counts each backend exactly once. The cluster is the bench's
  own (packaging/test-postgres, or the one of $KIOSK_TEST_PG_URL: keep it to this bench), so its
  aux processes (WAL writer, checkpointer, autovacuum) are this workload's too, on both sides.
  The load generator (client threads signing and sending) is not counted: it is the kiosks' cost.
- floor: the same number of rows, same columns, inserted by one psycopg connection with one
  executemany and one commit into a copy of the ops table with its indexes: the client process's
  CPU seconds (time.process_time: nothing else runs in it meanwhile) plus the cluster's, read the
  same way. It does none of the server's other work (HTTP, auth, nonce, validation, dedup, the
  tickets projection, the batch record).

The figure is (server CPU s / op) / (floor CPU s / row); wall throughput of both is reported with
the cores the process may use and the CPU seconds the rest of the machine took meanwhile (other
work on a shared machine stretches wall time, but not the CPU seconds counted here).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from district_process import DistrictServer, migrated_database, postgres_url
from proc_stats import cluster_cpu, cores, machine_busy_seconds, peak_rss_bytes, process_tree_cpu
from storm_load import enrol_kiosks, floor_rows, postmaster_pid, raw_executemany_floor, ticket_op

KIOSKS = int(os.environ.get("BENCH_KIOSKS", "200"))
OPS_PER_KIOSK = int(os.environ.get("BENCH_OPS", "500"))
WORKERS = int(os.environ.get("BENCH_SERVER_WORKERS", "2"))
MAX_COST_RATIO = float(os.environ.get("BENCH_MAX_COST_RATIO", "2.0"))

pytestmark = pytest.mark.timeout(1800)


@pytest.fixture(scope="module")
def pg_url():
    with postgres_url() as url:
        yield url


@pytest.fixture(scope="module")
def bench_db(pg_url):
    with migrated_database(pg_url, f"kiosk_cost_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="module")
def server(bench_db):
    server = DistrictServer(bench_db, workers=WORKERS).start(timeout=60)
    try:
        yield server
    finally:
        server.stop(timeout=20)


def backend_sessions(db_url) -> int:
    """Sessions (backends) opened on the bench database so far (pg_stat_database, PostgreSQL 14+)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT sessions FROM pg_stat_database "
                                     "WHERE datname = current_database()")).scalar()
    finally:
        engine.dispose()


def signed_post(session, base, kiosk_id, secret, body):
    target = f"/v1/kiosks/{kiosk_id}/ops"
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    message = "\n".join(["POST", target, timestamp, nonce, hashlib.sha256(body).hexdigest()]).encode()
    headers = {"Content-Type": "application/json", "X-Kiosk-Id": kiosk_id, "X-Timestamp": timestamp,
               "X-Nonce": nonce, "X-Signature": hmac.new(secret, message, hashlib.sha256).hexdigest()}
    return session.post(base + target, data=body, headers=headers, timeout=600)


def test_server_cpu_per_op_against_raw_executemany(server, bench_db):
    import base64

    kiosk_ids = [f"COST-{index:03d}" for index in range(KIOSKS)]
    secrets_by_kiosk = {k: base64.b64decode(s) for k, s in enrol_kiosks(server.url, bench_db, kiosk_ids).items()}
    kiosk_ops = {kiosk_id: [ticket_op(seq) for seq in range(1, OPS_PER_KIOSK + 1)] for kiosk_id in kiosk_ids}
    bodies = {kiosk_id: json.dumps({"batch_id": str(uuid.uuid4()), "schema_version": 1, "app_version": "bench",
                                    "ops": ops}).encode() for kiosk_id, ops in kiosk_ops.items()}
    start = threading.Barrier(len(bodies) + 1)
    postmaster = postmaster_pid(bench_db)
    root = server.process.pid

    def push(kiosk_id):
        with requests.Session() as session:
            start.wait()
            return kiosk_id, signed_post(session, server.url, kiosk_id, secrets_by_kiosk[kiosk_id], bodies[kiosk_id])

    sessions_before = backend_sessions(bench_db)
    time.sleep(0.5)
    with ThreadPoolExecutor(len(bodies)) as pool:
        futures = [pool.submit(push, kiosk_id) for kiosk_id in bodies]
        server_before, cluster_before = process_tree_cpu(root), cluster_cpu(postmaster)
        busy_before = machine_busy_seconds()
        own_before = time.process_time()
        began = time.perf_counter()
        start.wait()
        responses = [future.result() for future in futures]
        wall = time.perf_counter() - began
    time.sleep(0.5)  # the cluster's aux processes flush what the last commits left them
    server_cpu, pg_cpu = process_tree_cpu(root) - server_before, cluster_cpu(postmaster) - cluster_before
    others = machine_busy_seconds() - busy_before - server_cpu - pg_cpu - (time.process_time() - own_before)
    sessions = backend_sessions(bench_db) - sessions_before - 1
    for kiosk_id, response in responses:
        assert response.status_code == 200, (kiosk_id, response.status_code, response.text[:300])
        assert response.json()["high_water"] == OPS_PER_KIOSK

    total = KIOSKS * OPS_PER_KIOSK
    engine = create_engine(bench_db)
    with engine.connect() as conn:
        stored, distinct = conn.execute(text("SELECT count(*), count(DISTINCT (kiosk_id, seq)) FROM ops")).one()
        tickets = conn.execute(text("SELECT count(*) FROM tickets")).scalar()
    engine.dispose()
    assert (stored, distinct, tickets) == (total, total, total), "ops lost or duplicated"
    rss = peak_rss_bytes(root)

    floor = raw_executemany_floor(bench_db, floor_rows(kiosk_ops))
    per_op = (server_cpu + pg_cpu) / total
    per_row = (floor["client_cpu"] + floor["cluster_cpu"]) / floor["rows"]
    ratio = per_op / per_row
    print(f"\ncost: {KIOSKS} kiosks x {OPS_PER_KIOSK} ops = {total} ops, server workers {WORKERS}, "
          f"{cores()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"cost: server {server_cpu:.2f} CPU s + PostgreSQL {pg_cpu:.2f} CPU s = {per_op * 1e6:.0f} CPU us/op "
          f"(other processes on the machine meanwhile: {others:.1f} CPU s; "
          f"{sessions} PostgreSQL sessions opened)")
    print(f"cost: floor client {floor['client_cpu']:.2f} CPU s + PostgreSQL {floor['cluster_cpu']:.2f} CPU s "
          f"= {per_row * 1e6:.0f} CPU us/row")
    print(f"cost: ratio server/floor CPU per op = {ratio:.2f} (required <= {MAX_COST_RATIO})")
    print(f"wall: server {wall:.2f} s = {total / wall:,.0f} ops/s; floor {floor['wall']:.2f} s = "
          f"{floor['rows'] / floor['wall']:,.0f} rows/s; wall ratio server/floor throughput = "
          f"{(total / wall) / (floor['rows'] / floor['wall']):.2f}")
    print(f"memory: server peak RSS {sum(rss.values()) / 2**20:.0f} MiB over {len(rss)} processes "
          f"(largest {max(rss.values()) / 2**20:.0f} MiB)")
    assert ratio <= MAX_COST_RATIO
