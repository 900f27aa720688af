import json
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from kiosk.domain.numbering import NumberingScheme
from kiosk.domain.tickets import Priority
from kiosk.store.engine import HEAD_REVISION, MIGRATIONS_DIR, StoreUnavailable
from kiosk.store.store import Store
from kiosk.store.tables import Base

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)


def issue(store, scheme=NumberingScheme(), prefix="A", now=NOW, station="yt-xiaozhai", **extra):
    return store.issue_ticket(scheme=scheme, station_id=station, service_code="SB-KSL", prefix=prefix,
                              now=now, day=now.date(), **extra)


def test_migration_head_matches_models(store):
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION
    engine = create_engine(f"sqlite:///{store.path}")
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()


def test_connection_uses_wal_and_full_sync(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_ticket_and_outbox_op_are_committed_together(store):
    ticket = issue(store, priority=Priority.ELDERLY, id_masked="610113********1234")
    with sqlite3.connect(store.path) as db:
        rows = db.execute("SELECT number, status, priority FROM tickets").fetchall()
        ops = db.execute("SELECT seq, entity, entity_id, payload, state FROM outbox").fetchall()
    assert rows == [("A001", "waiting", "elderly")]
    assert len(ops) == 1
    seq, entity, entity_id, payload, state = ops[0]
    assert (seq, entity, entity_id, state) == (1, "ticket", ticket.ticket_id, "pending")
    payload = json.loads(payload)
    assert payload["number"] == "A001" and payload["id_masked"] == "610113********1234"
    assert payload["business_date"] == "2026-11-23" and payload["issued_at"].endswith("+08:00")


def test_numbers_follow_per_queue_and_restart_each_day(store):
    assert [issue(store).number for _ in range(3)] == ["A001", "A002", "A003"]
    assert issue(store, prefix="B").number == "B001"
    tomorrow = NOW.replace(day=24)
    assert issue(store, now=tomorrow).number == "A001"
    assert issue(store).waiting_ahead == 3


def test_two_kiosks_of_one_station_number_in_their_own_blocks(config, tmp_path):
    kiosk1 = Store(tmp_path / "k1.sqlite3")
    kiosk2 = Store(tmp_path / "k2.sqlite3")
    try:
        ones = [issue(kiosk1, NumberingScheme(first=1, last=499)).number for _ in range(2)]
        twos = [issue(kiosk2, NumberingScheme(first=501, last=999)).number for _ in range(2)]
        letters = issue(kiosk2, NumberingScheme(mode="letter", letter="K")).number
    finally:
        kiosk1.close()
        kiosk2.close()
    assert ones == ["A001", "A002"] and twos == ["A501", "A502"] and letters == "AK001"


def test_disk_full_is_store_unavailable_and_nothing_half_written(store):
    issue(store)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count={pages}")  # the file may not grow: SQLite reports it full
    with pytest.raises(StoreUnavailable, match="full"):
        for _ in range(500):
            issue(store, id_masked="x" * 30)
    store.close()
    with sqlite3.connect(store.path) as db:
        tickets = db.execute("SELECT count(*) FROM tickets").fetchone()[0]
        ops = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    assert tickets == ops


def test_a_file_that_is_not_a_database_is_store_unavailable(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable, match="not a database"):
        Store(path)


def test_catalogue_is_seeded_once(store, config):
    catalogue = store.catalogue()
    assert catalogue.service("SB-KSL").name == "社会保障卡申领"
    assert catalogue.station("yt-xiaozhai").noon_open
    assert "社保医保" in catalogue.categories
    assert store.seed_catalogue(config.catalogue.file) is False
