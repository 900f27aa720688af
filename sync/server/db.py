"""Engines and transactions for SQLite (default, WAL) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Engine, and_, create_engine, event, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from sync.server.models import Batch, FeedState, Kiosk
from sync.server.private_files import private_sqlite_file


def normalise_url(db_url: str) -> str:
    """Accept a plain file path (SQLite) and `postgresql://` (meaning psycopg 3)."""
    if "://" not in db_url:
        return "sqlite:///" + str(Path(db_url).expanduser().absolute())
    if db_url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db_url.split("://", 1)[1]
    return db_url


def make_engine(db_url: str, *, pool_size: int = 10) -> Engine:
    url = make_url(normalise_url(db_url))
    if url.get_backend_name() == "sqlite":
        private_sqlite_file(url.database)  # 0600 before SQLite makes it, whatever the umask
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # type: ignore[no-untyped-def]
            # Writers take the write lock up front (serialised, never upgraded mid-way); readers
            # (engine.execution_options(read_only=True)) use a deferred BEGIN and never wait under WAL.
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")

        return engine
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    raise ValueError(f"unsupported database URL scheme {url.drivername!r}")


def reader_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions for read-only work: on SQLite they do not take the write lock."""
    return sessionmaker(engine.execution_options(read_only=True), expire_on_commit=False)


def is_postgres(engine_or_session: Engine | Session) -> bool:
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "postgresql"


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One database transaction: committed on success, rolled back on any exception."""
    with factory() as session, session.begin():
        yield session


@dataclass(frozen=True)
class LockedKiosk:
    """A kiosk row locked for one upload, with what is stored for the upload's batch_id (if anything)."""

    kiosk_id: str
    high_water: int
    batch_sha256: str | None
    batch_response: Any
    station_id: str = ""
    role: str = "kiosk"


def lock_kiosk(session: Session, kiosk_id: str, batch_id: str) -> LockedKiosk | None:
    """Row-lock the kiosk so that its ops are applied by one request at a time (SQLite: the write
    lock taken by BEGIN IMMEDIATE), and read the stored batch of that batch_id, in one statement."""
    stmt = (
        select(Kiosk.high_water, Batch.body_sha256, Batch.response, Kiosk.station_id, Kiosk.role)
        .outerjoin(Batch, and_(Batch.kiosk_id == Kiosk.kiosk_id, Batch.batch_id == batch_id))
        .where(Kiosk.kiosk_id == kiosk_id)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(of=Kiosk)
    row = session.execute(stmt).one_or_none()
    return None if row is None else LockedKiosk(kiosk_id, row.high_water, row.body_sha256, row.response,
                                                    row.station_id, row.role)


def take_cursors(session: Session, count: int) -> int:
    """Reserve `count` change cursors; returns the first. The feed_state row lock is held until
    commit, so a change committed later never gets a smaller cursor than one already served."""
    row = session.execute(
        update(FeedState)
        .where(FeedState.id == 1)
        .values(last_cursor=FeedState.last_cursor + count)
        .returning(FeedState.last_cursor)
    ).one()
    return int(row[0]) - count + 1
