"""Upload against a real `district-server serve`: dedup, dead letters, kiosk clocks a day off."""

from __future__ import annotations

import json
import time

import pytest

from kiosk.domain.ids import uuid7
from kiosk.store.outbox import enqueue
from sync.client.backoff import Backoff
from sync.client.runner import RunOptions, SyncBusy, build_runner
from sync.client.transport import Transport, Unauthorized

from sync_client_support import fill_outbox, outbox_states, ticket_payload

pytestmark = pytest.mark.slow


def runner_for(store, tmp_path, **kwargs):
    kwargs.setdefault("backoff", Backoff(base=0.01, cap=0.1))
    return build_runner(store, lock_path=tmp_path / "sync.lock", app_version="1.0.0", **kwargs)


def test_push_applies_every_op_once_and_a_resend_is_duplicate(kiosk_store, district, tmp_path):
    fill_outbox(kiosk_store.db, 1200, days=2)
    summary = runner_for(kiosk_store, tmp_path).run()
    assert summary["acked"] == 1200 and summary["batches"] == 3 and summary["pending"] == 0
    assert summary["high_water"] == 1200
    assert district.op_counts() == (1200, 1200, 1200)
    kiosk_store.db.execute("UPDATE outbox SET state = 'pending'")  # as if every answer had been lost
    again = runner_for(kiosk_store, tmp_path, options=RunOptions(app_version="1.0.0", batch_ops=300)).run()
    assert again["acked"] == 1200 and again["duplicates"] == 1200 and again["batches"] == 4
    assert district.op_counts() == (1200, 1200, 1200)
    assert district.ticket_count() == 1200
    assert outbox_states(kiosk_store.db) == {"acked": 1200}


def test_one_permanently_invalid_op_is_dead_lettered_and_the_rest_apply(kiosk_store, district, tmp_path):
    fill_outbox(kiosk_store.db, 300, days=1)
    bad_id = uuid7()
    kiosk_store.db.execute("BEGIN IMMEDIATE")
    bad_seq = enqueue(kiosk_store.db, entity="ticket", entity_id=bad_id, created_at="2026-11-16T10:00:00+08:00",
                      payload={**ticket_payload(bad_id, "SB-KSL", "Z001", __import__("datetime").date(2026, 11, 16),
                                                "2026-11-16T10:00:00+08:00"), "status": "lost_in_space"})
    kiosk_store.db.execute("COMMIT")
    fill_outbox(kiosk_store.db, 300, days=1, first_day=__import__("datetime").date(2026, 11, 20))
    summary = runner_for(kiosk_store, tmp_path).run()
    assert summary["acked"] == 600 and summary["rejected"] == 1 and summary["pending"] == 0
    letters = kiosk_store.dead_letters()
    assert [(d.seq, d.entity_id, d.code) for d in letters] == [(bad_seq, bad_id, "invalid_payload")]
    assert "status" in letters[0].detail
    assert outbox_states(kiosk_store.db) == {"acked": 600, "rejected": 1}
    stored, distinct, _ = district.op_counts()
    assert (stored, distinct) == (601, 601)  # the server keeps the rejected op's history too
    assert district.ticket_count() == 600
    assert runner_for(kiosk_store, tmp_path).run()["rejected"] == 0  # never re-sent
    assert len(kiosk_store.dead_letters()) == 1


def test_an_op_whose_payload_is_not_json_is_dead_lettered(kiosk_store, district, tmp_path):
    fill_outbox(kiosk_store.db, 5, days=1)
    kiosk_store.db.execute("INSERT INTO outbox (op_id, entity, entity_id, kind, created_at, payload, state) "
                           "VALUES (?, 'ticket', ?, 'upsert', '2026-11-16T10:00:00+08:00', '{broken', 'pending')",
                           (uuid7(), uuid7()))
    fill_outbox(kiosk_store.db, 5, days=1, first_day=__import__("datetime").date(2026, 11, 21))
    summary = runner_for(kiosk_store, tmp_path).run()
    assert (summary["acked"], summary["rejected"], summary["pending"]) == (10, 1, 0)
    assert kiosk_store.dead_letters()[0].code == "invalid_payload"


@pytest.mark.parametrize("skew_s", [-86400, 86400])
def test_a_kiosk_clock_a_day_off_still_syncs(kiosk_store, district, tmp_path, skew_s):
    fill_outbox(kiosk_store.db, 50, days=1)
    runner = runner_for(kiosk_store, tmp_path, clock=lambda: time.time() + skew_s)
    summary = runner.run(reconcile=True)
    assert summary["acked"] == 50 and summary["pending"] == 0 and summary["still_mismatched"] == []
    assert abs(summary["clock_offset_s"] + skew_s) < 5
    assert district.op_counts()[0] == 50


def test_without_the_date_correction_a_day_off_clock_is_refused(kiosk_store, district):
    """The control for the test above: the server does enforce the 300 s window."""
    enrolment = kiosk_store.load_enrolment()
    transport = Transport(district.url, enrolment.kiosk_id, enrolment.secret, clock=lambda: time.time() + 86400)
    transport.offset.seconds = 0.0  # pretend the estimate says the clock is right
    transport.offset.observe = lambda *args: None
    try:
        with pytest.raises(Unauthorized, match="X-Timestamp"):
            transport.get(f"/v1/kiosks/{enrolment.kiosk_id}/changes?since=0")
    finally:
        transport.close()


def test_one_sync_worker_per_kiosk(kiosk_store, tmp_path):
    first = runner_for(kiosk_store, tmp_path)
    second = runner_for(kiosk_store, tmp_path)
    with first.lock:
        with pytest.raises(SyncBusy):
            second.run()
    second.run()


def test_an_unknown_secret_is_unauthorized_not_retried(kiosk_store, district, tmp_path):
    from dataclasses import replace

    from sync.client.port import Enrolment
    enrolment: Enrolment = kiosk_store.load_enrolment()
    kiosk_store.save_enrolment(replace(enrolment, secret="QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="))
    fill_outbox(kiosk_store.db, 3, days=1)
    runner = runner_for(kiosk_store, tmp_path, options=RunOptions(app_version="1.0.0", max_attempts=5))
    with pytest.raises(Unauthorized):
        runner.run()
    assert runner.retry.failures == 0
    assert json.loads(kiosk_store.secret_path.read_text())["kiosk_id"] == enrolment.kiosk_id
