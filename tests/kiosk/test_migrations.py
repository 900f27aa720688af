"""The store's Alembic migrations both ways, on a real SQLite file: upgrade to head, downgrade to
base (no kiosk table left), upgrade again, and the head still matches the models."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from kiosk.domain.numbering import NumberingScheme
from kiosk.store import engine as store_engine
from kiosk.store.engine import HEAD_REVISION, MIGRATIONS_DIR
from kiosk.store.store import Store
from kiosk.store.tables import Base

KIOSK_TABLES = set(Base.metadata.tables)
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def alembic_config(path) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return cfg


def schema(path) -> tuple[set[str], set[str]]:
    """The tables and indexes in the file (SQLite's own objects left out)."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    return {n for t, n in rows if t == "table"}, {n for t, n in rows if t == "index"}


def revision(path) -> str | None:
    db = sqlite3.connect(path)
    try:
        return store_engine.schema_revision(db)
    finally:
        db.close()


def differences_from_models(path) -> list:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()


def test_upgrade_downgrade_to_base_and_upgrade_again(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    cfg = alembic_config(path)
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION

    store_engine.upgrade(path)  # the path the kiosk takes on a first start
    tables, indexes = schema(path)
    assert tables == KIOSK_TABLES | {"alembic_version"}
    assert indexes  # the models' indexes came with the tables
    assert revision(path) == HEAD_REVISION

    command.downgrade(cfg, "base")
    tables, indexes = schema(path)
    assert not tables & KIOSK_TABLES, f"left after downgrade: {sorted(tables & KIOSK_TABLES)}"
    assert tables <= {"alembic_version"} and not indexes
    assert revision(path) is None

    command.upgrade(cfg, "head")
    assert schema(path)[0] == KIOSK_TABLES | {"alembic_version"}
    assert revision(path) == HEAD_REVISION
    assert differences_from_models(path) == []


def test_a_store_downgraded_and_upgraded_again_works(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    store = Store(path)  # migrates to head
    try:
        store.issue_ticket(scheme=NumberingScheme(), station_id="yt-xiaozhai", service_code="SB-KSL", prefix="A",
                           now=NOW, day=NOW.date())
    finally:
        store.close()
    command.downgrade(alembic_config(path), "base")
    assert not schema(path)[0] & KIOSK_TABLES  # the tickets went with their table
    (tmp_path / "kiosk.issued.log").unlink()  # else the emptied store counts as lost (kiosk/store/continuity.py)

    store = Store(path)  # behind the head again: connect migrates it
    try:
        assert store.tickets_of_day(NOW.date()) == []
        ticket = store.issue_ticket(scheme=NumberingScheme(), station_id="yt-xiaozhai", service_code="SB-KSL",
                                    prefix="A", now=NOW, day=NOW.date())
        assert ticket.number == "A001"
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()
    assert differences_from_models(path) == []
