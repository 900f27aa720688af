"""The one way the store writes: a BEGIN IMMEDIATE transaction, committed or rolled back whole.

BEGIN IMMEDIATE takes the write lock before the first read, so a read-then-write (the last
number of a queue, the ticket a counter calls next, whether a ticket was rated) cannot race
another connection or process. The connection is opened by `engine.connect` in WAL with
synchronous=FULL, so when the block has left without an exception its rows (with their outbox
ops) are on disk: only then may a caller show, print or answer what it wrote.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def write_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``with write_transaction(db): ...``: COMMIT when the block ends, ROLLBACK when it raises."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
