"""Reconnect-storm benchmark (run explicitly): a whole city's kiosks come back after a network
outage, each with a day's backlog, and push it with the real client, to one district server and
then to two behind HAProxy, on one PostgreSQL.

    KIOSK_TEST_PG_URL=... .venv/bin/python -m pytest tests/bench/test_bench_reconnect_storm.py -s -p no:randomly

Sizes (environment, full size by default): STORM_KIOSKS (900) kiosks with STORM_OPS (300) pending
ops each reconnect at times uniform in [0, STORM_SPREAD_S) (60 s); each pushes in batches of at most
STORM_BATCH_OPS (500, the client's default: a 300-op backlog is one batch). Each district server is
`district-server serve --workers STORM_SERVER_WORKERS` (1): "two against one" is two such processes
against one. The two-server storm needs haproxy (packaging/install-deps --test installs it).

The load generator is a separate process (tests/bench/storm_load.py: one thread per kiosk running
sync.client.push.Pusher over sync.client.transport.Transport with sync.client.backoff's retries),
so its CPU is not the server's. Every figure is read against a floor measured in the same run:
- throughput (storm ops / seconds until the last kiosk is empty) against one psycopg executemany of
  as many rows into a copy of the ops table (raw_executemany_floor);
- p50/p99 push latency against the latency of the same push by one kiosk alone on the idle server
  just before the storm (the probe: STORM_OPS ops a batch, five batches, the median);
- the time until the last kiosk is empty against the time the last kiosk reconnected;
- the server processes' peak RSS (VmHWM, the kernel's high-water mark: no sampling misses a peak)
  against their RSS when idle before the storm;
- CPU seconds per op of the server processes and the PostgreSQL cluster (proc_stats) against the
  floor's client and cluster CPU seconds per row.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from district_process import DistrictServer, free_port, migrated_database, postgres_url
from proc_stats import cluster_cpu, cores, peak_rss_bytes, process_tree_cpu, tree_pids
from storm_load import enrol_kiosks, floor_rows, postmaster_pid, raw_executemany_floor, ticket_op

KIOSKS = int(os.environ.get("STORM_KIOSKS", "900"))
OPS = int(os.environ.get("STORM_OPS", "300"))
SPREAD_S = float(os.environ.get("STORM_SPREAD_S", "60"))
BATCH_OPS = int(os.environ.get("STORM_BATCH_OPS", "500"))
WORKERS = int(os.environ.get("STORM_SERVER_WORKERS", "1"))
LOADER = Path(__file__).with_name("storm_load.py")

pytestmark = pytest.mark.timeout(3600)


@pytest.fixture(scope="module")
def pg_url():
    with postgres_url() as url:
        yield url


def rss_now(pid: int) -> int:
    total = 0
    for current in tree_pids(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except FileNotFoundError:
            continue
    return total


class HAProxy:
    """haproxy in the foreground on 127.0.0.1, round-robin over the given servers (config in a tmp dir)."""

    def __init__(self, backends: list[str], workdir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.socket_path = workdir / "haproxy.sock"
        servers = "\n".join(f"    server district{index} {backend.removeprefix('http://')} check"
                            for index, backend in enumerate(backends))
        self.config = workdir / "haproxy.cfg"
        self.config.write_text(f"""global
    maxconn 8192
    stats socket {self.socket_path} mode 600 level admin

defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    timeout http-request 60s
    timeout check 30s
    retries 3
    option redispatch

frontend kiosks
    bind 127.0.0.1:{self.port}
    default_backend districts

backend districts
    balance roundrobin
    option httpchk GET /v1/health
    # a server busy with a storm answers its health check late, not never: a check that took 2 s
    # must not take it out (all of them out is haproxy's own 503 to every kiosk)
    default-server inter 5s fall 5 rise 1
{servers}
""")
        self.process: subprocess.Popen | None = None

    def start(self) -> "HAProxy":
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        checked = subprocess.run([binary, "-c", "-f", str(self.config)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr + checked.stdout
        self.process = subprocess.Popen([binary, "-db", "-f", str(self.config)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        import requests

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            assert self.process.poll() is None, self.process.stderr.read()
            time.sleep(0.1)
        raise AssertionError("haproxy did not answer")

    def requests_per_server(self) -> dict[str, dict[str, int]]:
        """Per server: requests sent, 5xx answers, times marked down by the health check."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.socket_path))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        lines = data.decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        counts = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(",")))
            if row.get("pxname") == "districts" and row.get("svname", "").startswith("district"):
                counts[row["svname"]] = {"requests": int(row.get("req_tot") or row.get("stot") or 0),
                                         "5xx": int(row.get("hrsp_5xx") or 0),
                                         "down": int(row.get("chkdown") or 0)}
        return counts

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        self.process = None


def run_storm(pg_url: str, servers: int, label: str) -> dict:
    """One storm against ``servers`` district servers (through HAProxy when more than one), on a
    database of its own; verified (0 lost, 0 duplicated, no 5xx); its figures and its floors."""
    with migrated_database(pg_url, f"kiosk_storm_{label}_{os.getpid()}") as db, \
            tempfile.TemporaryDirectory(prefix="storm-") as tmp:
        started = [DistrictServer(db, workers=WORKERS).start(timeout=60) for _ in range(servers)]
        proxy = None
        try:
            kiosk_ids = [f"STORM-{index:04d}" for index in range(KIOSKS)]
            secrets = enrol_kiosks(started[0].url, db, [*kiosk_ids, "PROBE-0000"])
            target = started[0].url
            if servers > 1:
                proxy = HAProxy([server.url for server in started], Path(tmp)).start()
                target = proxy.url
            job = {"target": target, "kiosks": {k: secrets[k] for k in kiosk_ids}, "ops": OPS, "spread_s": SPREAD_S,
                   "batch_ops": BATCH_OPS, "seed": 7, "probe": ["PROBE-0000", secrets["PROBE-0000"]]}
            job_path, result_path = Path(tmp) / "job.json", Path(tmp) / "result.json"
            job_path.write_text(json.dumps(job))
            roots = [server.process.pid for server in started]
            postmaster = postmaster_pid(db)
            idle_rss = sum(rss_now(root) for root in roots)
            cpu_before = sum(process_tree_cpu(root) for root in roots), cluster_cpu(postmaster)
            loader = subprocess.run([sys.executable, str(LOADER), str(job_path), str(result_path)],
                                    capture_output=True, text=True, timeout=3600)
            assert loader.returncode == 0, loader.stderr[-3000:]
            time.sleep(0.5)
            server_cpu = sum(process_tree_cpu(root) for root in roots) - cpu_before[0]
            pg_cpu = cluster_cpu(postmaster) - cpu_before[1]
            result = json.loads(result_path.read_text())
            peaks = {}
            for root in roots:
                peaks.update(peak_rss_bytes(root))
            if proxy is not None:
                result["per_server_requests"] = proxy.requests_per_server()
        finally:
            if proxy is not None:
                proxy.stop()
            for server in started:
                server.stop(timeout=30)
        total = KIOSKS * OPS
        engine = create_engine(db)
        with engine.connect() as conn:
            stored, distinct, ids = conn.execute(text(
                "SELECT count(*), count(DISTINCT (kiosk_id, seq)), count(DISTINCT op_id) FROM ops "
                "WHERE kiosk_id LIKE 'STORM-%'")).one()
            tickets = conn.execute(text("SELECT count(*) FROM tickets WHERE kiosk_id LIKE 'STORM-%'")).scalar()
            not_full = conn.execute(text("SELECT count(*) FROM kiosks WHERE kiosk_id LIKE 'STORM-%' "
                                         "AND high_water <> :ops"), {"ops": OPS}).scalar()
        engine.dispose()
        floor = raw_executemany_floor(db, floor_rows({k: [ticket_op(s) for s in range(1, OPS + 1)] for k in kiosk_ids}))
    result.update(stored=stored, distinct=distinct, distinct_op_ids=ids, tickets=tickets, not_full=not_full,
                  total=total, server_cpu=server_cpu, pg_cpu=pg_cpu, floor=floor, idle_rss=idle_rss,
                  peak_rss=sum(peaks.values()), peak_rss_largest=max(peaks.values()), processes=len(peaks),
                  servers=servers, probe_ops=5 * OPS)
    report(label, result)
    fives = {status: count for status, count in result["statuses"].items() if status.isdigit() and int(status) >= 500}
    assert not result["errors"], result["errors"]
    assert result["drained"] == KIOSKS and result["pending"] == 0 and result["rejected"] == 0
    assert result["acked"] == result["acked_distinct"] == total, "acknowledged twice or not at all"
    assert (stored, distinct, ids, tickets, not_full) == (total, total, total, total, 0), "ops lost or duplicated"
    assert not fives, f"5xx answers: {fives}"
    return result


def report(label: str, r: dict) -> None:
    floor = r["floor"]
    throughput = r["total"] / r["last_empty_s"]
    floor_rate = floor["rows"] / floor["wall"]
    per_op = (r["server_cpu"] + r["pg_cpu"]) / (r["total"] + r["probe_ops"])  # the probe's pushes count too
    per_row = (floor["client_cpu"] + floor["cluster_cpu"]) / floor["rows"]
    r["throughput"], r["floor_rate"], r["cpu_ratio"] = throughput, floor_rate, per_op / per_row
    print(f"\nstorm[{label}]: {r['kiosks']} kiosks x {r['ops']} ops = {r['total']} ops, spread {r['spread_s']:g} s, "
          f"{r['servers']} server(s) x {WORKERS} worker(s), {cores()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"storm[{label}]: drained {r['drained']}/{r['kiosks']}; stored {r['stored']} (distinct {r['distinct']}), "
          f"tickets {r['tickets']}: 0 lost, 0 duplicated; answers {r['statuses']}; failed runs {r['failed_runs']}")
    against_start = f"ratio {r['last_empty_s'] / r['last_start_s']:.2f}" if r["last_start_s"] > 0 else "all at once"
    print(f"storm[{label}]: last kiosk empty at {r['last_empty_s']:.1f} s, "
          f"last reconnect at {r['last_start_s']:.1f} s: {against_start}; the floor inserts as many rows in "
          f"{floor['wall']:.1f} s: ratio {r['last_empty_s'] / floor['wall']:.2f}")
    print(f"storm[{label}]: throughput {throughput:,.0f} ops/s; floor (raw executemany) {floor_rate:,.0f} rows/s: "
          f"ratio {throughput / floor_rate:.2f}")
    print(f"storm[{label}]: push latency p50 {r['push_p50_s'] * 1000:.0f} ms, p99 {r['push_p99_s'] * 1000:.0f} ms, "
          f"max {r['push_max_s'] * 1000:.0f} ms; alone on the idle server {r['probe_p50_s'] * 1000:.0f} ms: "
          f"p50 ratio {r['push_p50_s'] / r['probe_p50_s']:.1f}, p99 ratio {r['push_p99_s'] / r['probe_p50_s']:.1f}")
    print(f"storm[{label}]: server peak RSS {r['peak_rss'] / 2**20:.0f} MiB over {r['processes']} processes "
          f"(largest {r['peak_rss_largest'] / 2**20:.0f} MiB); idle {r['idle_rss'] / 2**20:.0f} MiB: "
          f"ratio {r['peak_rss'] / r['idle_rss']:.2f}")
    print(f"storm[{label}]: CPU server {r['server_cpu']:.1f} s + PostgreSQL {r['pg_cpu']:.1f} s = "
          f"{per_op * 1e6:.0f} us/op; floor {per_row * 1e6:.0f} us/row: ratio {r['cpu_ratio']:.2f}")
    if "per_server_requests" in r:
        print(f"storm[{label}]: requests per server (HAProxy round-robin) {r['per_server_requests']}")


@pytest.fixture(scope="module")
def one_server(pg_url):
    return run_storm(pg_url, 1, "one")


def test_a_city_reconnects_to_one_district_server(one_server):
    assert one_server["drained"] == KIOSKS


def test_two_district_servers_behind_haproxy(pg_url, one_server):
    if not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        pytest.fail("haproxy is not installed: run packaging/install-deps --test", pytrace=False)
    two = run_storm(pg_url, 2, "two")
    assert all(server["requests"] > 0 for server in two["per_server_requests"].values()), two["per_server_requests"]
    print(f"\nstorm: two servers against one: throughput {two['throughput'] / one_server['throughput']:.2f}x "
          f"(each against its floor: {two['throughput'] / two['floor_rate']:.2f} and "
          f"{one_server['throughput'] / one_server['floor_rate']:.2f}), "
          f"p99 latency {two['push_p99_s'] / one_server['push_p99_s']:.2f}x, "
          f"CPU per op {two['cpu_ratio'] / one_server['cpu_ratio']:.2f}x")
