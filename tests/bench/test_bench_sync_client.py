"""Benchmark (run explicitly): the sync client pushing 10,000 queued ops to a local
`district-server serve`, against plain requests POSTing the same gzipped bodies to a fresh server.

    .venv/bin/python -m pytest tests/bench/test_bench_sync_client.py -s

Each side gets a fresh server database, so both really apply every op. Ratio = client / plain, the median of BENCH_SYNC_ROUNDS rounds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync" / "client"))

from sync_client_support import enrol_store, fill_outbox, open_kiosk_store  # noqa: E402

from district_process import DistrictServer  # noqa: E402

from sync.client.runner import RunOptions, SyncRunner  # noqa: E402
from sync.client.signing import decode_secret, signed_headers  # noqa: E402
from sync.client.transport import Transport  # noqa: E402

OPS = int(os.environ.get("BENCH_SYNC_OPS", "10000"))
ROUNDS = int(os.environ.get("BENCH_SYNC_ROUNDS", "3"))
MAX_RATIO = 1.5


class RecordingTransport(Transport):
    """The real transport, keeping each upload exactly as sent (gzipped body and headers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploads: list[tuple[str, bytes, dict[str, str]]] = []

    def _exchange(self, method, path, body, headers, *, signed=True):
        if path.endswith("/ops"):
            self.uploads.append((path, body, dict(headers)))
        return super()._exchange(method, path, body, headers, signed=signed)


def client_push(tmp_path: Path) -> tuple[float, list, int]:
    server = DistrictServer(tmp_path / "client-district.db").start()
    store = open_kiosk_store(tmp_path / "kiosk")
    try:
        enrol_store(store, server)
        fill_outbox(store.db, OPS, days=5)
        enrolment = store.load_enrolment()
        transport = RecordingTransport(server.url, enrolment.kiosk_id, enrolment.secret)
        runner = SyncRunner(store, transport, lock_path=tmp_path / "sync.lock", options=RunOptions(app_version="1.0.0"))
        started = time.perf_counter()
        summary = runner.run()
        elapsed = time.perf_counter() - started
        transport.close()
        assert summary["acked"] == OPS and summary["pending"] == 0
        assert server.op_counts() == (OPS, OPS, OPS)
        return elapsed, transport.uploads, transport.bytes_sent
    finally:
        store.close()
        server.stop()


def plain_posts(tmp_path: Path, uploads: list) -> float:
    server = DistrictServer(tmp_path / "plain-district.db").start()
    store = open_kiosk_store(tmp_path / "plain-kiosk")
    try:
        enrol_store(store, server)
        enrolment = store.load_enrolment()
        secret = decode_secret(enrolment.secret)
        session = requests.Session()
        started = time.perf_counter()
        for path, body, headers in uploads:
            signed = {**headers, **signed_headers(secret, enrolment.kiosk_id, "POST", path, int(time.time()), body)}
            response = session.post(server.url + path, data=body, headers=signed, timeout=(5, 30))
            assert response.status_code == 200, response.text
            response.json()
        elapsed = time.perf_counter() - started
        session.close()
        assert server.op_counts() == (OPS, OPS, OPS)
        return elapsed
    finally:
        store.close()
        server.stop()


@pytest.mark.slow
def test_bench_sync_client_push_against_plain_requests(tmp_path):
    ratios = []
    for round_ in range(ROUNDS):
        directory = tmp_path / f"round{round_}"
        directory.mkdir()
        client_s, uploads, sent = client_push(directory)
        plain_s = plain_posts(directory, uploads)
        ratios.append(client_s / plain_s)
        print(f"\nround {round_}: {OPS} ops in {len(uploads)} batches ({sent / 1e6:.2f} MB gzipped): "
              f"client {client_s:.3f} s ({OPS / client_s:,.0f} ops/s), plain requests {plain_s:.3f} s "
              f"({OPS / plain_s:,.0f} ops/s), ratio {client_s / plain_s:.2f}")
    median = statistics.median(ratios)
    print(f"ratio client/plain: median {median:.2f}, all {', '.join(f'{r:.2f}' for r in ratios)} (limit {MAX_RATIO})")
    assert median <= MAX_RATIO
