"""Retention: what the kiosk forgets once the district holds it and the retention period is over.

sync-v1: acknowledged ops stay for reconciliation during the retention period (`sync.retention_days`),
then are deleted with the personal data they carried; the rows they wrote keep everything except
their personal fields. Pending ops and dead letters (rejected ops) are never purged, whatever their
age, and a row that still has one keeps its personal fields: nothing is forgotten before the
district holds it. Tickets stay (numbering reads them); only their personal fields are cleared.

A day is purged whole (the date part of `created_at`, as reconciliation counts it), so the days
the client still reconciles are exactly the days it still holds.

The work is done in transactions of at most CHUNK rows, so a writer on another thread (a ticket
being issued) waits for one chunk at most. secure_delete overwrites the freed bytes, and a final
checkpoint empties the WAL: the purged values are gone from the files, not only from the tables.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Callable

from kiosk.store.transaction import write_transaction

CHUNK = 200
SECURE_DELETE_MODES = ("OFF", "ON", "FAST")  # by the number `PRAGMA secure_delete` answers
CHECKPOINT_WAIT_MS = 1000


@dataclass(frozen=True)
class PersonalFields:
    """The personal columns of a table whose rows are synced as `entity` ops keyed by `key`."""

    table: str
    key: str
    entity: str
    stamp: str  # the time of the row's last change, in kiosk local time
    columns: tuple[str, ...]


# id_masked and id_digest identify the resident; a rating's phone number is for the follow-up call
# and its comment is free text, where residents write names and numbers too.
PERSONAL = (
    PersonalFields("tickets", "ticket_id", "ticket", "updated_at", ("id_masked", "id_digest")),
    PersonalFields("ratings", "rating_id", "rating", "rated_at", ("contact_phone", "comment")),
)

DELETE_ACKED_OPS = (
    "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE state = 'acked' "
    "AND substr(created_at, 1, 10) < ? ORDER BY seq LIMIT ?)")


def clear_statement(personal: PersonalFields) -> str:
    """Null the personal columns of up to `?` rows last changed before day `?` whose ops are all
    acknowledged (none pending or rejected for them)."""
    nulls = ", ".join(f"{column} = NULL" for column in personal.columns)
    held = " OR ".join(f"{column} IS NOT NULL" for column in personal.columns)
    return (f"UPDATE {personal.table} SET {nulls} WHERE {personal.key} IN ("
            f"SELECT {personal.key} FROM {personal.table} WHERE ({held}) AND substr({personal.stamp}, 1, 10) < ? "
            f"AND {personal.key} NOT IN (SELECT entity_id FROM outbox WHERE entity = '{personal.entity}' "
            f"AND state != 'acked') LIMIT ?)")


def in_chunks(db: sqlite3.Connection, statement: str, before_day: str, should_stop: Callable[[], bool]) -> int:
    """Run `statement` (its last parameter is the chunk size) one short transaction at a time until
    it changes fewer rows than a chunk; returns the rows changed."""
    total = 0
    while not should_stop():
        with write_transaction(db):
            changed = db.execute(statement, (before_day, CHUNK)).rowcount
        total += changed
        if changed < CHUNK:
            break
    return total


def purge(db: sqlite3.Connection, before_day: str, *, should_stop: Callable[[], bool] = lambda: False) -> dict[str, int]:
    """Forget what was synced before `before_day` (YYYY-MM-DD, kiosk local date).

    Returns the number of rows whose personal fields were cleared, per table, and of ops deleted.
    """
    secure = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        purged = {p.table: in_chunks(db, clear_statement(p), before_day, should_stop) for p in PERSONAL}
        purged["ops"] = in_chunks(db, DELETE_ACKED_OPS, before_day, should_stop)
    finally:
        db.execute(f"PRAGMA secure_delete = {SECURE_DELETE_MODES[secure]}")
    if any(purged.values()):
        checkpoint(db)
    return purged


def checkpoint(db: sqlite3.Connection) -> None:
    """Copy the WAL into the database file and empty it: its older frames still hold the purged values.

    Writers wait while it waits for readers, so it waits a second at most; when readers are still
    busy by then, SQLite's own checkpoints copy the frames later and the next purge empties the file.
    """
    patience = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(patience)}")
