"""The local store as the sync client sees it (the port of sync.client.port), over stdlib sqlite3.

Each write is one write transaction (transaction.py): a page of changes with its cursor, a batch's
settlement, a snapshot replacing every synced row; the retention purge (retention.py) commits in
small chunks of its own. The enrolment secret lives in a file of its own, mode 0600, readable
only by the kiosk user.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

from sync.protocol import DayCount, DeadLetter, Enrolment, OutboxOp, Rejection, day_digest

from kiosk.store import retention
from kiosk.store.engine import connect
from kiosk.store.private_files import write_private_file
from kiosk.store.transaction import write_transaction

CURSOR_KEY = "sync.cursor"
SETTING_PREFIXES = {"notice": "notice:", "config": "config:"}
DISTRICT_CONFIG_KEY = "district"
SECRET_FILE = "sync-secret.json"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class SqliteSyncStore:
    def __init__(self, db: sqlite3.Connection, secret_path: Path, *, owns_connection: bool = False):
        self.db = db
        self.secret_path = Path(secret_path)
        self._owns = owns_connection

    @classmethod
    def open(cls, database_path: Path, secret_path: Path | None = None) -> "SqliteSyncStore":
        """A connection of its own (for the sync thread or process)."""
        database_path = Path(database_path)
        return cls(connect(database_path), secret_path or database_path.parent / SECRET_FILE, owns_connection=True)

    def close(self) -> None:
        if self._owns:
            self.db.close()

    def _write(self, fn, *args) -> Any:
        with write_transaction(self.db):
            return fn(*args)

    # -- upload -------------------------------------------------------------------------------

    def pending_ops(self, limit: int, after_seq: int = 0) -> list[OutboxOp]:
        rows = self.db.execute(
            "SELECT seq, op_id, entity, entity_id, kind, created_at, payload FROM outbox "
            "WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?", (after_seq, limit))
        return [OutboxOp(*row) for row in rows]

    def pending_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]

    def settle(self, acked: list[int], rejected: list[Rejection], settled_at: str) -> None:
        def run() -> None:
            self.db.executemany("UPDATE outbox SET state = 'acked', settled_at = ? WHERE seq = ? AND state = 'pending'",
                                [(settled_at, seq) for seq in acked])
            self.db.executemany(
                "UPDATE outbox SET state = 'rejected', reject_code = ?, reject_detail = ?, settled_at = ? "
                "WHERE seq = ? AND state != 'rejected'",
                [(r.code, r.detail, settled_at, r.seq) for r in rejected])
        self._write(run)

    def dead_letters(self) -> list[DeadLetter]:
        rows = self.db.execute(
            "SELECT seq, op_id, entity, entity_id, created_at, coalesce(reject_code, ''), "
            "coalesce(reject_detail, ''), coalesce(settled_at, '') FROM outbox WHERE state = 'rejected' ORDER BY seq")
        return [DeadLetter(*row) for row in rows]

    # -- download -----------------------------------------------------------------------------

    def cursor(self) -> int:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (CURSOR_KEY,)).fetchone()
        return int(row[0]) if row else 0

    def apply_changes(self, changes: list[dict[str, Any]], next_cursor: int) -> None:
        def run() -> None:
            positions = self._next_position()
            for change in changes:
                self._apply(change, positions)
            self._set_cursor(next_cursor)
        self._write(run)

    def replace_snapshot(self, changes: list[dict[str, Any]], next_cursor: int) -> None:
        def run() -> None:
            kept_positions = dict(self.db.execute("SELECT code, position FROM services"))
            for table in ("services", "bundles", "stations"):
                self.db.execute(f"DELETE FROM {table}")
            for prefix in SETTING_PREFIXES.values():
                self.db.execute("DELETE FROM settings WHERE key >= ? AND key < ?", (prefix, prefix[:-1] + ";"))
            positions = [max(kept_positions.values(), default=-1) + 1]
            for change in changes:
                if change.get("op", "upsert") == "upsert":
                    self._apply(change, positions, kept_positions)
            self._set_cursor(next_cursor)
        self._write(run)

    def _next_position(self) -> list[int]:
        return [self.db.execute("SELECT coalesce(max(position), -1) + 1 FROM services").fetchone()[0]]

    def _set_cursor(self, cursor: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (CURSOR_KEY, str(int(cursor))))

    def _apply(self, change: dict[str, Any], positions: list[int], kept: dict[str, int] | None = None) -> None:
        entity, item_id, data = change.get("entity"), str(change.get("id")), change.get("data")
        delete = change.get("op") == "delete" or data is None
        db = self.db
        if entity == "service":
            if delete:
                db.execute("DELETE FROM services WHERE code = ?", (item_id,))
                return
            row = db.execute("SELECT position FROM services WHERE code = ?", (item_id,)).fetchone()
            position = row[0] if row else (kept or {}).get(item_id)
            if position is None:
                position = positions[0]
                positions[0] += 1
            db.execute("INSERT OR REPLACE INTO services (code, name, category, prefix, position, data) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (item_id, data.get("name", item_id), data.get("category", ""), data.get("prefix", "A"),
                        position, _dump({**data, "code": item_id})))
        elif entity == "bundle":
            if delete:
                db.execute("DELETE FROM bundles WHERE code = ?", (item_id,))
            else:
                db.execute("INSERT OR REPLACE INTO bundles (code, name, data) VALUES (?, ?, ?)",
                           (item_id, data.get("name", item_id), _dump(data)))
        elif entity == "station":
            if delete:
                db.execute("DELETE FROM stations WHERE id = ?", (item_id,))
            else:
                data = {**data, "id": item_id, "name": data.get("name") or item_id}
                db.execute("INSERT OR REPLACE INTO stations (id, name, data) VALUES (?, ?, ?)",
                           (item_id, data["name"], _dump(data)))
        elif entity in SETTING_PREFIXES:
            key = SETTING_PREFIXES[entity] + item_id
            if delete:
                db.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, _dump(data)))
            if entity == "config" and item_id == DISTRICT_CONFIG_KEY and not delete and isinstance(data, dict):
                db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('district', ?)",
                           (_dump(data.get("value", {})),))
        # Entities this kiosk does not know are skipped: a newer server may send more.

    def setting(self, entity: str, item_id: str) -> Any:
        """A synced notice or config item (its data object), or None."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?",
                              (SETTING_PREFIXES[entity] + item_id,)).fetchone()
        return json.loads(row[0]) if row else None

    # -- reconciliation -----------------------------------------------------------------------

    def day_counts(self, since: str = "") -> list[DayCount]:
        days: dict[str, list[str]] = defaultdict(list)
        for day, op_id in self.db.execute(
                "SELECT substr(created_at, 1, 10), op_id FROM outbox WHERE state != 'rejected' "
                "AND substr(created_at, 1, 10) >= ?", (since,)):
            days[day].append(op_id)
        return [DayCount(day, len(ids), day_digest(ids)) for day, ids in sorted(days.items())]

    def requeue_days(self, days: list[str]) -> int:
        if not days:
            return 0

        def run() -> int:
            marks = ", ".join("?" for _ in days)
            return self.db.execute(
                f"UPDATE outbox SET state = 'pending', settled_at = NULL WHERE state = 'acked' "
                f"AND substr(created_at, 1, 10) IN ({marks})", list(days)).rowcount
        return self._write(run)

    # -- retention ----------------------------------------------------------------------------

    def purge_before(self, day: str, should_stop: Callable[[], bool] = lambda: False) -> dict[str, int]:
        return retention.purge(self.db, day, should_stop=should_stop)

    # -- enrolment ----------------------------------------------------------------------------

    def load_enrolment(self) -> Enrolment | None:
        try:
            data = json.loads(self.secret_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Enrolment(server_url=data["server_url"], kiosk_id=data["kiosk_id"],
                         station_id=data["station_id"], secret=data["secret"])

    def save_enrolment(self, enrolment: Enrolment) -> None:
        write_private_file(self.secret_path, _dump(enrolment.__dict__).encode("utf-8"))

    def save_station_queue(self, view: dict | None) -> None:
        save_station_queue(self.db, view)

    def station_queue(self) -> dict | None:
        """The station's queue view as last fetched; None for a kiosk without a station."""
        return station_queue_view(self.db)


STATION_QUEUE_KEY = "station_queue"


def save_station_queue(db: sqlite3.Connection, view: dict | None) -> None:
    """Keep the station service's queue view (None: this kiosk has no station; forget it)."""
    with write_transaction(db):
        if view is None:
            db.execute("DELETE FROM settings WHERE key = ?", (STATION_QUEUE_KEY,))
        else:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                       "excluded.value", (STATION_QUEUE_KEY, json.dumps(view, ensure_ascii=False)))



def station_queue_view(db: sqlite3.Connection) -> dict | None:
    """The station's queue view as the sync worker last kept it, or None (no station, or unreadable)."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", (STATION_QUEUE_KEY,)).fetchone()
    if row is None:
        return None
    try:
        view = json.loads(row[0])
    except ValueError:
        return None
    return view if isinstance(view, dict) else None
