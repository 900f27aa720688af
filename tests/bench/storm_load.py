"""Shared pieces of the district-server benchmarks, and the load generator of the reconnect storm.

As a module: ticket ops shaped like a kiosk's, enrolment of many kiosks, and the raw executemany
floor (wall and CPU seconds) the benchmarks compare the server with.

As a program (`python tests/bench/storm_load.py JOB.json RESULT.json`), run in its own process so
its CPU is not the server's: every kiosk of the job is one thread with an in-memory outbox of
`ops` pending ops; it sleeps until its start time (uniform in [0, spread_s), seeded), then
drains its outbox with the real client, sync.client.push.Pusher over sync.client.transport.Transport
(signed requests, gzip, batches of at most `batch_ops`, the batch_id kept across retries) and
sync.client.backoff.Retrier (full-jitter back-off honouring Retry-After on 409/429/5xx and
connection errors). When a run gives up (its retries spent) the kiosk starts another after a
back-off delay, as its sync timer would. Every request's status and latency is recorded.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

STATION = "yt-xiaozhai"


def ticket_op(seq: int) -> dict[str, Any]:
    """A ticket issued at the kiosk, one a second from 08:00 (an op's created_at, issued_at and
    updated_at are the same instant, as when the kiosk issues it; each op's differs)."""
    ticket_id = str(uuid.uuid4())
    at = f"2026-11-21T{8 + seq // 3600:02d}:{seq // 60 % 60:02d}:{seq % 60:02d}+08:00"
    return {"seq": seq, "op_id": str(uuid.uuid4()), "entity": "ticket", "entity_id": ticket_id, "kind": "upsert",
            "created_at": at,
            "payload": {"ticket_id": ticket_id, "station_id": STATION, "service_code": "A-shebao",
                        "number": f"A{seq:03d}", "issued_at": at,
                        "business_date": "2026-11-21", "priority": "normal", "assistance": False,
                        "bundle_code": None, "id_digest": None, "id_masked": None, "status": "waiting",
                        "updated_at": at}}


def enrol_kiosks(base: str, db_url: str, kiosk_ids: list[str]) -> dict[str, str]:
    """Enrol the kiosks through POST /v1/enrol (tokens made in-process); their base64 secrets."""
    import requests
    from sqlalchemy.orm import sessionmaker

    from sync.server.catalogue import ensure_station
    from sync.server.db import make_engine, transaction
    from sync.server.enrolment import create_token

    engine = make_engine(db_url)
    tokens = {}
    with transaction(sessionmaker(engine)) as session:
        ensure_station(session, STATION, time.time())
        for kiosk_id in kiosk_ids:
            tokens[kiosk_id] = create_token(session, STATION, kiosk_id, time.time(), 3600)
    engine.dispose()
    secrets = {}
    with requests.Session() as session:
        for kiosk_id, token in tokens.items():
            response = session.post(base + "/v1/enrol", json={"token": token, "kiosk_id": kiosk_id}, timeout=60)
            assert response.status_code == 201, response.text
            secrets[kiosk_id] = response.json()["secret"]
    return secrets


def floor_rows(kiosk_ops: dict[str, list[dict[str, Any]]]) -> list[tuple]:
    rows = []
    for kiosk_id, ops in kiosk_ops.items():
        for op in ops:
            rows.append((kiosk_id, op["seq"], op["op_id"], "applied", op["entity"], op["entity_id"], op["kind"],
                         op["created_at"], op["created_at"][:10], json.dumps(op["payload"]), time.time()))
    return rows


def raw_executemany_floor(db_url: str, rows: list[tuple]) -> dict[str, float]:
    """The rows inserted by one psycopg connection with one executemany and one commit, into a copy
    of the ops table with its indexes: wall seconds, the client's CPU seconds (this process; nothing
    else runs in it meanwhile) and the cluster's CPU seconds (proc_stats.cluster_cpu)."""
    import psycopg
    from sqlalchemy.engine import make_url

    from proc_stats import cluster_cpu, postmaster_of

    dsn = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute("CREATE TABLE bench_raw (LIKE ops INCLUDING ALL)")
        conn.commit()
        postmaster = postmaster_of(conn.info.backend_pid)
        time.sleep(0.2)
        cluster_before, client_before = cluster_cpu(postmaster), time.process_time()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_raw (kiosk_id, seq, op_id, status, entity, entity_id, kind, created_at, op_day, "
                "payload, received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::json, %s)", rows)
        conn.commit()
        wall = time.perf_counter() - started
        client = time.process_time() - client_before
        time.sleep(0.2)  # let the cluster's aux processes flush what the commit left them
        cluster = cluster_cpu(postmaster) - cluster_before
        assert conn.execute("SELECT count(*) FROM bench_raw").fetchone()[0] == len(rows)
        conn.execute("DROP TABLE bench_raw")
        conn.commit()
    return {"wall": wall, "client_cpu": client, "cluster_cpu": cluster, "rows": len(rows)}


def postmaster_pid(db_url: str) -> int:
    import psycopg
    from sqlalchemy.engine import make_url

    from proc_stats import postmaster_of

    dsn = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        return postmaster_of(conn.info.backend_pid)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# ---- the load generator (its own process) ----


class MemoryOutbox:
    """The SyncPort slice a Pusher uses: pending ops in seq order, settled by seq."""

    def __init__(self, ops: list[Any]):
        self.pending = {op.seq: op for op in ops}
        self.acked: list[int] = []
        self.rejected: list[Any] = []
        self.lock = threading.Lock()

    def pending_ops(self, limit: int, after_seq: int = 0) -> list[Any]:
        with self.lock:
            return [self.pending[seq] for seq in sorted(self.pending) if seq > after_seq][:limit]

    def pending_count(self) -> int:
        return len(self.pending)

    def settle(self, acked: list[int], rejected: list[Any], settled_at: str) -> None:
        with self.lock:
            for seq in acked:
                self.pending.pop(seq, None)
                self.acked.append(seq)
            for rejection in rejected:
                self.pending.pop(rejection.seq, None)
                self.rejected.append(rejection)


def run_storm(job: dict[str, Any]) -> dict[str, Any]:
    from sync.client.backoff import Backoff, Retrier
    from sync.client.push import Pusher
    from sync.client.transport import TRANSIENT, Transport, TransportError
    from sync.protocol import OutboxOp, compact_json

    target, ops_per_kiosk, spread = job["target"], job["ops"], job["spread_s"]
    rng = random.Random(job.get("seed", 1))
    kiosks = sorted(job["kiosks"])
    starts = {kiosk_id: rng.uniform(0, spread) if spread > 0 else 0.0 for kiosk_id in kiosks}

    def outbox_of(count: int) -> MemoryOutbox:
        ops = []
        for seq in range(1, count + 1):
            op = ticket_op(seq)
            ops.append(OutboxOp(op["seq"], op["op_id"], op["entity"], op["entity_id"], op["kind"], op["created_at"],
                                compact_json(op["payload"])))
        return MemoryOutbox(ops)

    outboxes = {kiosk_id: outbox_of(ops_per_kiosk) for kiosk_id in kiosks}
    records: list[tuple[str, int | str, float]] = []  # (kiosk, status, seconds), one per POST of ops
    records_lock = threading.Lock()

    class TimedTransport(Transport):
        def _exchange(self, method, path, body, headers, *, signed=True):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            try:
                answer = super()._exchange(method, path, body, headers, signed=signed)
            except TransportError as exc:
                with records_lock:
                    records.append((self.kiosk_id, exc.status or f"unreachable:{exc.kind}",
                                    time.perf_counter() - began))
                raise
            if method == "POST":
                with records_lock:
                    records.append((self.kiosk_id, 200, time.perf_counter() - began))
            return answer

    def drain(kiosk_id: str, secret: str, outbox: MemoryOutbox, batch_ops: int) -> None:
        """What the kiosk's sync timer does until the outbox is empty: runs of the real Pusher."""
        transport = TimedTransport(target, kiosk_id, secret)
        backoff = Backoff()
        runs = 0
        try:
            while outbox.pending_count():
                retry = Retrier(backoff, transient=TRANSIENT, max_attempts=8)
                try:
                    Pusher(outbox, transport, app_version="storm", retry=retry, max_ops=batch_ops).push_all()
                except TransportError as exc:
                    failed_runs[kiosk_id] += 1
                    runs += 1
                    if runs > job.get("max_runs", 20):
                        raise RuntimeError(f"gave up after {runs} runs: {exc.detail[:200]}") from None
                    time.sleep(backoff.delay(runs))
        finally:
            transport.close()

    failed_runs: Counter[str] = Counter()
    probe_latencies = []
    if job.get("probe"):
        # one kiosk alone, before the storm: the latency of a push of the same size on an idle server
        probe_id, probe_secret = job["probe"]
        probe = outbox_of(ops_per_kiosk * job.get("probe_batches", 5))
        drain(probe_id, probe_secret, probe, ops_per_kiosk)
        probe_latencies = [seconds for kiosk, status, seconds in records if kiosk == probe_id and status == 200]
        records.clear()

    drained_at: dict[str, float] = {}
    errors: list[str] = []
    t0 = time.perf_counter() + 1.0  # every thread is started before the first kiosk reconnects

    def kiosk(kiosk_id: str) -> None:
        try:
            time.sleep(max(0.0, t0 + starts[kiosk_id] - time.perf_counter()))
            drain(kiosk_id, job["kiosks"][kiosk_id], outboxes[kiosk_id], job["batch_ops"])
            drained_at[kiosk_id] = time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001 (reported, the test fails on it)
            errors.append(f"{kiosk_id}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=kiosk, args=(kiosk_id,), daemon=True) for kiosk_id in kiosks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pushes = [seconds for _kiosk, status, seconds in records if status == 200]
    statuses = Counter(str(status) for _kiosk, status, _seconds in records)
    return {
        "kiosks": len(kiosks), "ops": ops_per_kiosk, "spread_s": spread,
        "last_start_s": max(starts.values()), "drained": len(drained_at),
        "last_empty_s": max(drained_at.values(), default=float("nan")),
        "acked": sum(len(o.acked) for o in outboxes.values()),
        "acked_distinct": sum(len(set(o.acked)) for o in outboxes.values()),
        "rejected": sum(len(o.rejected) for o in outboxes.values()),
        "pending": sum(o.pending_count() for o in outboxes.values()),
        "requests": len(records), "statuses": dict(statuses), "failed_runs": sum(failed_runs.values()),
        "push_p50_s": percentile(pushes, 0.50), "push_p99_s": percentile(pushes, 0.99),
        "push_max_s": max(pushes, default=float("nan")),
        "probe_p50_s": percentile(probe_latencies, 0.50), "errors": errors[:20],
    }


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[1]).read_text())
    result = run_storm(job)
    Path(argv[2]).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
