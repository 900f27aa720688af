"""Nightly reconciliation against a real server: per-day count and digest, mismatched days re-sent."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from kiosk.domain.ids import uuid7
from kiosk.store.outbox import enqueue
from sync.client.backoff import Backoff
from sync.client.port import day_digest
from sync.client.runner import build_runner

from sync_client_support import fill_outbox, outbox_states, ticket_payload

pytestmark = pytest.mark.slow


def runner(store, tmp_path):
    return build_runner(store, lock_path=tmp_path / "sync.lock", app_version="1.0.0", backoff=Backoff(0.01, 0.1))


def test_days_the_server_lost_are_found_and_sent_again(tmp_path, district, kiosk_store):
    fill_outbox(kiosk_store.db, 600, first_day=date(2026, 11, 19), days=3)
    bad = uuid7()
    kiosk_store.db.execute("BEGIN IMMEDIATE")
    enqueue(kiosk_store.db, entity="ticket", entity_id=bad, created_at="2026-11-20T23:59:59+08:00",
            payload={**ticket_payload(bad, "SB-KSL", "Z999", date(2026, 11, 20), "2026-11-20T23:59:59+08:00"),
                     "priority": "vip"})
    kiosk_store.db.execute("COMMIT")
    first = runner(kiosk_store, tmp_path).run(reconcile=True)
    assert first["mismatched"] == [] and first["reconciled_days"] == 3 and first["rejected"] == 1

    days = {d.date: d for d in kiosk_store.day_counts()}
    assert sorted(days) == ["2026-11-19", "2026-11-20", "2026-11-21"]
    assert days["2026-11-20"].count == 200  # the rejected op is left out
    ids = [r[0] for r in kiosk_store.db.execute(
        "SELECT op_id FROM outbox WHERE created_at LIKE '2026-11-20%' AND state = 'acked'")]
    assert days["2026-11-20"].digest == day_digest(ids)

    with sqlite3.connect(district.db_path) as db:  # the district restored a backup missing part of a day
        db.execute("DELETE FROM ops WHERE op_day = '2026-11-20' AND seq % 3 = 0")
    assert district.op_counts()[0] < 601
    second = runner(kiosk_store, tmp_path).run(reconcile=True)
    assert second["mismatched"] == ["2026-11-20"]
    assert second["requeued"] == 200
    assert second["still_mismatched"] == [] and second["pending"] == 0
    assert district.op_counts() == (601, 601, 601)
    assert outbox_states(kiosk_store.db) == {"acked": 600, "rejected": 1}
