"""10,000 ops through a proxy that resets 20% of requests (before the request, after the server
committed, mid-body): the server holds each op exactly once and the queue drains."""

from __future__ import annotations

import pytest

from sync.client.backoff import Backoff
from sync.client.reconcile import Reconciler
from sync.client.runner import RunOptions, SyncRunner
from sync.client.transport import TRANSIENT, Transport

from fault_proxy import KINDS, FaultProxy
from sync_client_support import fill_outbox, outbox_states

pytestmark = pytest.mark.slow

OPS = 10_000
FAULT_RATE = 0.2


def test_ten_thousand_ops_through_twenty_percent_faults_arrive_exactly_once(tmp_path, district, kiosk_store):
    fill_outbox(kiosk_store.db, OPS, days=5)
    enrolment = kiosk_store.load_enrolment()
    with FaultProxy(district.port, rate=FAULT_RATE, seed=20261122) as proxy:
        transport = Transport(proxy.url, enrolment.kiosk_id, enrolment.secret)
        runner = SyncRunner(kiosk_store, transport, lock_path=tmp_path / "sync.lock",
                            backoff=Backoff(base=0.005, cap=0.05),
                            options=RunOptions(app_version="1.0.0", max_attempts=40, batch_ops=100))
        runs = 0
        try:
            while kiosk_store.pending_count() and runs < 10:
                runs += 1
                try:
                    runner.run()
                except TRANSIENT:
                    pass
            faulted = dict(proxy.counts)
            proxy.set_rate(0.0)
            final = runner.run(reconcile=True)
            mismatched = Reconciler(kiosk_store, transport, retry=runner.retry).mismatched_days()
        finally:
            transport.close()
    print(f"\nfault test: {OPS} ops, {faulted['requests']} requests, "
          + ", ".join(f"{kind} {faulted.get(kind, 0)}" for kind in KINDS)
          + f", client retries {runner.retry.failures}, final queue {final['pending']}")
    stored, distinct_ops, distinct_seqs = district.op_counts()
    assert (stored, distinct_ops, distinct_seqs) == (OPS, OPS, OPS), "lost or duplicated ops"
    assert district.ticket_count() == OPS
    assert final["pending"] == 0 and final["still_mismatched"] == [] and final["requeued"] == 0
    assert mismatched == (5, [])
    assert outbox_states(kiosk_store.db) == {"acked": OPS}
    assert all(faulted.get(kind, 0) >= 2 for kind in KINDS), faulted  # every kind of fault was exercised
    assert sum(faulted.get(kind, 0) for kind in KINDS) >= 0.1 * faulted["requests"]
