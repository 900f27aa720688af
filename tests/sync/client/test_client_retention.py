"""Retention against a real district server: the nightly run reconciles only the days of the
retention period, then purges older acked ops and the personal data they carried; pending ops are
kept, also when the server is down, and the next rounds still reconcile clean."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.config import parse
from kiosk.domain.numbering import NumberingScheme
from kiosk.store import tickets as ticket_rows
from kiosk.commands.sync import EXIT_OK, run_sync
from sync.client.backoff import Backoff
from sync.client.reconcile import Reconciler, retention_start
from sync.client.runner import RunOptions, build_runner
from sync.client.transport import Unreachable

from sync_client_support import STATION, enrol_store, open_kiosk_store, outbox_states

pytestmark = pytest.mark.slow

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 22)
OLD_DAY = TODAY - timedelta(days=45)


def options(**extra) -> RunOptions:
    return RunOptions(app_version="1.0.0", retention_days=30, today=lambda: TODAY, **extra)


def runner(store, tmp_path, **extra):
    return build_runner(store, lock_path=tmp_path / "sync.lock", app_version="1.0.0", backoff=Backoff(0.01, 0.05),
                        options=options(**extra))


def issue(store, day: date, count: int, first_minute: int = 0) -> list[str]:
    """`count` tickets read from an ID card, issued on `day`; their masked IDs."""
    ids = []
    for index in range(first_minute, first_minute + count):
        now = datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI) + timedelta(minutes=index)
        ids.append(f"610113********{day.day:02d}{index:02d}")
        ticket_rows.issue(store.db, scheme=NumberingScheme(), station_id=STATION, service_code="SB-KSL",
                          prefix="A", now=now, day=day, id_masked=ids[-1], id_digest="cd" * 32)
    return ids


def masked_ids(store) -> set[str]:
    return {row[0] for row in store.db.execute("SELECT id_masked FROM tickets WHERE id_masked IS NOT NULL")}


def op_days(store) -> dict[str, int]:
    return dict(store.db.execute("SELECT substr(created_at, 1, 10), count(*) FROM outbox GROUP BY 1"))


def test_retention_start_is_the_first_day_of_the_period():
    assert retention_start(TODAY, 30) == "2026-10-23"
    assert retention_start(TODAY, 1) == "2026-11-21"
    assert retention_start(TODAY, None) == ""


def test_day_counts_leave_out_the_days_before_since(tmp_path):
    store = open_kiosk_store(tmp_path / "kiosk")
    try:
        issue(store, OLD_DAY, 2)
        issue(store, TODAY - timedelta(days=1), 3)
        assert [d.date for d in store.day_counts()] == [OLD_DAY.isoformat(), "2026-11-21"]
        assert [(d.date, d.count) for d in store.day_counts("2026-10-23")] == [("2026-11-21", 3)]
    finally:
        store.close()


def test_the_nightly_run_reconciles_the_period_then_purges_older_acked_ops(tmp_path, district, kiosk_store):
    old = issue(kiosk_store, OLD_DAY, 5)
    recent = issue(kiosk_store, TODAY - timedelta(days=2), 4) + issue(kiosk_store, TODAY - timedelta(days=1), 3)

    first = runner(kiosk_store, tmp_path).run(reconcile=True)

    assert first["acked"] == 12 and first["reconciled_since"] == "2026-10-23"
    assert first["reconciled_days"] == 2 and first["still_mismatched"] == []
    assert first["purged"] == {"tickets": 5, "ratings": 0, "ops": 5}
    assert op_days(kiosk_store) == {"2026-11-20": 4, "2026-11-21": 3}
    assert masked_ids(kiosk_store) == set(recent) and not set(old) & masked_ids(kiosk_store)
    assert kiosk_store.db.execute("SELECT count(*) FROM tickets").fetchone()[0] == 12
    assert district.op_counts() == (12, 12, 12)  # the district keeps what it received

    again = runner(kiosk_store, tmp_path).run(reconcile=True)
    assert again["reconciled_days"] == 2 and again["mismatched"] == [] and again["requeued"] == 0
    assert again["purged"] == {"tickets": 0, "ratings": 0, "ops": 0}


def test_without_reconcile_nothing_is_purged(tmp_path, district, kiosk_store):
    issue(kiosk_store, OLD_DAY, 2)
    summary = runner(kiosk_store, tmp_path).run()
    assert "purged" not in summary and outbox_states(kiosk_store.db) == {"acked": 2}
    assert len(masked_ids(kiosk_store)) == 2


def test_offline_the_purge_keeps_pending_ops_and_later_rounds_reconcile_clean(tmp_path, district, kiosk_store):
    issue(kiosk_store, OLD_DAY, 3)
    runner(kiosk_store, tmp_path).run()  # synced: acked, not purged (no nightly run yet)
    late = issue(kiosk_store, OLD_DAY, 2, first_minute=3)  # same old day, written after that sync
    district.kill()

    with pytest.raises(Unreachable):
        runner(kiosk_store, tmp_path, max_attempts=2).run(reconcile=True)
    assert outbox_states(kiosk_store.db) == {"pending": 2}  # the acked ops went, the unsent stay
    assert masked_ids(kiosk_store) == set(late)

    district.start()
    runner(kiosk_store, tmp_path).run()  # the old day's last ops reach the district
    assert district.op_counts() == (5, 5, 5)
    claim_all = Reconciler(kiosk_store, runner(kiosk_store, tmp_path).transport, retry=lambda call: call())
    assert claim_all.mismatched_days()[1] == [OLD_DAY.isoformat()]  # why a purged day must not be claimed

    nightly = runner(kiosk_store, tmp_path).run(reconcile=True)
    assert nightly["mismatched"] == [] and nightly["still_mismatched"] == [] and nightly["requeued"] == 0
    assert nightly["purged"] == {"tickets": 2, "ratings": 0, "ops": 2}
    assert outbox_states(kiosk_store.db) == {} and masked_ids(kiosk_store) == set()
    assert district.op_counts() == (5, 5, 5)


def test_kiosk_sync_reconcile_purges_by_the_configured_retention(tmp_path, district):
    data = tmp_path / "data"
    config = parse({"kiosk": {"data_dir": str(data)},
                    "sync": {"server": district.url, "retention_days": 7}}, base=Path("/"))
    store = open_kiosk_store(data)
    try:
        enrol_store(store, district)
        today = datetime.now(config.tz).date()
        old = issue(store, today - timedelta(days=8), 2)
        kept = issue(store, today - timedelta(days=7), 2, first_minute=2)
        out, err = io.StringIO(), io.StringIO()
        assert run_sync(config, now=True, reconcile=True, progress=False, out=out, err=err) == EXIT_OK, err.getvalue()
        summary = json.loads(out.getvalue())
        assert summary["reconciled_since"] == (today - timedelta(days=7)).isoformat()
        assert summary["purged"]["ops"] == 2 and summary["still_mismatched"] == []
        assert masked_ids(store) == set(kept) and not set(old) & masked_ids(store)
    finally:
        store.close()
