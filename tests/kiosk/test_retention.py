"""The retention purge of the local store: acked ops and the personal fields of synced rows go after
the retention period; pending ops, dead letters and the rows that still have one are kept."""

import json
import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.numbering import NumberingScheme
from kiosk.store import calls, retention
from kiosk.store.sync_store import SqliteSyncStore
from sync.client.port import Rejection

SHANGHAI = ZoneInfo("Asia/Shanghai")
CUTOFF = "2026-10-23"  # 30 days before 2026-11-22
OLD = datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)
RECENT = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
COUNTER = {"id": "c1", "name": "1号窗口", "services": []}


def masked(index: int) -> str:
    return f"610113********{index:04d}"


def issue(store, now, index=0):
    return store.issue_ticket(scheme=NumberingScheme(), station_id="yt-xiaozhai", service_code="SB-KSL",
                              prefix="A", now=now, day=now.date(), id_masked=masked(index), id_digest="ab" * 32)


def rate(store, ticket, now):
    return store.rate(station_id="yt-xiaozhai", ticket_id=ticket.ticket_id, service_code="SB-KSL", level=1,
                      holder={"by": "code", "code": ticket.holder_code},
                      reasons=("wait_too_long",), comment="王先生，请回电", contact_phone="13800138000", now=now)


@pytest.fixture
def sync_store(store, tmp_path):
    """The sync client's view of the same connection (to settle ops as the district answers)."""
    return SqliteSyncStore(store.db, tmp_path / "secret.json")


def ack_all(sync_store):
    sync_store.settle([op.seq for op in sync_store.pending_ops(100_000)], [], "2026-11-21T02:00:00+08:00")


def ops_of(store, entity_id):
    return store.db.execute("SELECT state, payload FROM outbox WHERE entity_id = ? ORDER BY seq",
                            (entity_id,)).fetchall()


def personal(store, table, key, columns, row_id):
    return store.db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = ?", (row_id,)).fetchone()


def ticket_personal(store, ticket_id):
    return personal(store, "tickets", "ticket_id", ("id_masked", "id_digest"), ticket_id)


def rating_personal(store, rating_id):
    return personal(store, "ratings", "rating_id", ("contact_phone", "comment"), rating_id)


def test_acked_ops_older_than_the_retention_period_are_deleted_recent_ones_kept(store, sync_store):
    old, recent = issue(store, OLD), issue(store, RECENT)
    ack_all(sync_store)
    purged = retention.purge(store.db, CUTOFF)
    assert purged["ops"] == 1
    assert ops_of(store, old.ticket_id) == []
    assert [state for state, _ in ops_of(store, recent.ticket_id)] == ["acked"]


def test_a_day_just_inside_the_period_is_kept_whole(store, sync_store):
    edge = issue(store, datetime(2026, 10, 23, 0, 0, 1, tzinfo=SHANGHAI), 1)
    before = issue(store, datetime(2026, 10, 22, 23, 59, 59, tzinfo=SHANGHAI), 2)
    ack_all(sync_store)
    retention.purge(store.db, CUTOFF)
    assert len(ops_of(store, edge.ticket_id)) == 1 and ticket_personal(store, edge.ticket_id)[0] == masked(1)
    assert ops_of(store, before.ticket_id) == [] and ticket_personal(store, before.ticket_id) == (None, None)


def test_pending_and_dead_letter_ops_are_kept_whatever_their_age(store, sync_store):
    acked, pending, rejected = issue(store, OLD, 1), issue(store, OLD + timedelta(minutes=1), 2), \
        issue(store, OLD + timedelta(minutes=2), 3)
    seqs = {op.entity_id: op.seq for op in sync_store.pending_ops(100)}
    sync_store.settle([seqs[acked.ticket_id]], [Rejection(seqs[rejected.ticket_id], "invalid_payload", "test")],
                      "2026-10-02T02:00:00+08:00")
    purged = retention.purge(store.db, CUTOFF)
    assert purged == {"tickets": 1, "ratings": 0, "ops": 1}
    assert ops_of(store, acked.ticket_id) == []
    for ticket, state, index in ((pending, "pending", 2), (rejected, "rejected", 3)):
        [(kept_state, payload)] = ops_of(store, ticket.ticket_id)
        assert kept_state == state and json.loads(payload)["id_masked"] == masked(index)
        assert ticket_personal(store, ticket.ticket_id) == (masked(index), "ab" * 32)
    assert [d.entity_id for d in sync_store.dead_letters()] == [rejected.ticket_id]
    assert sync_store.pending_count() == 1


def test_personal_fields_are_cleared_only_for_old_fully_synced_rows(store, sync_store):
    old, recent = issue(store, OLD, 1), issue(store, RECENT, 2)
    old_rating, recent_rating = rate(store, old, OLD + timedelta(hours=1)), rate(store, recent, RECENT)
    ack_all(sync_store)
    unsynced = issue(store, OLD + timedelta(minutes=5), 3)  # still pending: the district does not have it yet
    unsynced_rating = rate(store, unsynced, OLD + timedelta(hours=2))

    purged = retention.purge(store.db, CUTOFF)

    assert purged == {"tickets": 1, "ratings": 1, "ops": 2}
    assert ticket_personal(store, old.ticket_id) == (None, None)
    assert rating_personal(store, old_rating.rating_id) == (None, None)
    assert ticket_personal(store, recent.ticket_id) == (masked(2), "ab" * 32)
    assert rating_personal(store, recent_rating.rating_id) == ("13800138000", "王先生，请回电")
    assert ticket_personal(store, unsynced.ticket_id) == (masked(3), "ab" * 32)
    assert rating_personal(store, unsynced_rating.rating_id) == ("13800138000", "王先生，请回电")
    kept = store.db.execute("SELECT number, status, priority FROM tickets WHERE ticket_id = ?",
                            (old.ticket_id,)).fetchone()
    assert kept == ("A001", "waiting", "normal")
    level = store.db.execute("SELECT level, reasons FROM ratings WHERE rating_id = ?", (old_rating.rating_id,))
    assert level.fetchone() == (1, '["wait_too_long"]')


def test_tickets_stay_so_numbering_of_a_purged_day_goes_on(store, sync_store):
    issue(store, OLD, 1)
    issue(store, OLD + timedelta(minutes=1), 2)
    ack_all(sync_store)
    retention.purge(store.db, CUTOFF)
    assert store.db.execute("SELECT count(*) FROM tickets").fetchone()[0] == 2
    assert issue(store, OLD + timedelta(minutes=2), 3).number == "A003"


def test_a_row_with_an_old_acked_op_and_a_later_pending_one_keeps_its_personal_fields(store, sync_store):
    ticket = issue(store, OLD, 1)
    ack_all(sync_store)
    calls.call_next(store.db, COUNTER, now=OLD + timedelta(minutes=3), day=OLD.date())  # status op, pending
    retention.purge(store.db, CUTOFF)
    assert [state for state, _ in ops_of(store, ticket.ticket_id)] == ["pending"]
    assert ticket_personal(store, ticket.ticket_id) == (masked(1), "ab" * 32)


def test_the_purge_commits_in_small_transactions_and_lets_writers_in_between(store, sync_store, monkeypatch):
    monkeypatch.setattr(retention, "CHUNK", 3)
    for index in range(10):
        issue(store, OLD + timedelta(minutes=index), index)
    ack_all(sync_store)
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)  # fails at once if the purge held the lock
    checks = []

    def a_writer_gets_in() -> bool:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO settings (key, value) VALUES (?, '1')", (f"probe:{len(checks)}",))
        other.execute("COMMIT")
        checks.append(True)
        return False

    try:
        purged = retention.purge(store.db, CUTOFF, should_stop=a_writer_gets_in)
    finally:
        other.close()
    assert purged == {"tickets": 10, "ratings": 0, "ops": 10}
    assert len(checks) == 9  # a writer before each chunk: 4 of tickets (3+3+3+1), 1 of ratings, 4 of ops


def test_a_stop_request_ends_the_purge_between_chunks(store, sync_store, monkeypatch):
    monkeypatch.setattr(retention, "CHUNK", 3)
    for index in range(10):
        issue(store, OLD + timedelta(minutes=index), index)
    ack_all(sync_store)
    asked = []
    purged = retention.purge(store.db, CUTOFF, should_stop=lambda: asked.append(1) or len(asked) > 1)
    assert purged["tickets"] == 3 and purged["ops"] == 0
    assert store.db.execute("SELECT count(*) FROM tickets WHERE id_masked IS NOT NULL").fetchone()[0] == 7


def test_connections_zero_what_updates_free_and_the_purge_leaves_their_settings(store, sync_store):
    """FAST (2): a row moved by an update leaves no stale copy of its personal fields in the page,
    whatever the SQLite build's default; the purge itself runs with secure_delete fully on."""
    settings = ("PRAGMA secure_delete", "PRAGMA busy_timeout")
    assert [store.db.execute(pragma).fetchone()[0] for pragma in settings] == [2, 10_000]
    issue(store, OLD)
    ack_all(sync_store)
    assert retention.purge(store.db, CUTOFF)["ops"] == 1
    assert [store.db.execute(pragma).fetchone()[0] for pragma in settings] == [2, 10_000]


def test_a_purged_masked_id_is_gone_from_the_database_and_wal_files(store, sync_store):
    old = [issue(store, OLD + timedelta(minutes=index), 1000 + index) for index in range(40)]
    for index in range(20):  # status changes rewrite the rows and queue more ops carrying the masked ID
        calls.call_next(store.db, COUNTER, now=OLD + timedelta(hours=1, minutes=index), day=OLD.date())
        calls.mark_done(store.db, COUNTER, now=OLD + timedelta(hours=1, minutes=index, seconds=30))
    recent = issue(store, RECENT, 9999)
    ack_all(sync_store)
    files = [store.path, store.path.with_name(store.path.name + "-wal")]

    def found(value: str) -> bool:
        return any(value.encode() in path.read_bytes() for path in files if path.exists())

    assert all(found(masked(1000 + index)) for index in range(40))
    retention.purge(store.db, CUTOFF)
    assert [masked(1000 + index) for index in range(40) if found(masked(1000 + index))] == []
    assert found(masked(9999)) and ticket_personal(store, recent.ticket_id)[0] == masked(9999)
    assert store.db.execute("SELECT count(*) FROM tickets").fetchone()[0] == len(old) + 1

