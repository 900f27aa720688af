"""The SQLite engine: WAL, synchronous=FULL, and BEGIN IMMEDIATE so writers queue instead of failing.

Opening also brings the schema to the Alembic head; Alembic is imported only when the file is behind.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HEAD_REVISION = "0001"


class StoreUnavailable(Exception):
    """The data directory or database cannot be written (missing, read-only, full, corrupt)."""


def _on_connect(dbapi_connection, _record):
    dbapi_connection.isolation_level = None  # transactions are begun explicitly below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _on_begin(connection):
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def schema_revision(path: Path) -> str | None:
    """The Alembic revision stamped in the file, read with the standard library only."""
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def open_engine(path: Path) -> Engine:
    """Open (creating if needed) the store at ``path`` and migrate it to the head."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(f"data directory {path.parent} cannot be created: {exc.strerror}") from None
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    if schema_revision(path) != HEAD_REVISION:
        try:
            upgrade(engine)
        except Exception as exc:  # sqlite3/SQLAlchemy errors: disk full, read-only, not a database
            engine.dispose()
            raise StoreUnavailable(f"store {path} cannot be prepared: {_reason(exc)}") from None
    return engine


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]
