"""Opening the local store: a stdlib sqlite3 connection in WAL with synchronous=FULL.

The schema belongs to the SQLAlchemy models in `tables.py` and the Alembic migrations; SQLAlchemy
and Alembic are imported only when the file is behind the head revision (first start, upgrade).
At run time the store speaks SQL through sqlite3: importing SQLAlchemy costs 26-46 MB of resident
memory and its ORM session made a ticket 8.6x a raw insert (tests/bench), against targets of
1.5x and 3x.

secure_delete=FAST zeroes the old copy of a row that an update moves or a delete frees, so
personal fields cleared by the retention purge (retention.py) leave no stale copy in the file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.domain.errors import Kind, KioskError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HEAD_REVISION = "0003"


class StoreUnavailable(KioskError):
    """The data directory or database cannot be written (missing, read-only, full, corrupt)."""

    kind = Kind.STORE_UNAVAILABLE


def reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


def schema_revision(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def upgrade(path: Path) -> None:
    """Bring the file at ``path`` to the Alembic head."""
    from alembic import command
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    try:
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating and migrating if needed) the store at ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(f"data directory {path.parent} cannot be created: {exc.strerror}") from None
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        if schema_revision(db) != HEAD_REVISION:
            upgrade(path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA secure_delete=FAST")  # zero what an update or delete frees in a page (no extra I/O)
    except Exception as exc:  # sqlite3 and SQLAlchemy errors: disk full, read-only, not a database
        raise StoreUnavailable(f"store {path} cannot be prepared: {reason(exc)}") from None
    return db
