"""Rebuilding a lost store from what the district holds of this kiosk (`kiosk store recover`).

The broken store and its -wal/-shm are moved aside, never deleted. The new store gets:

- every op the district holds of this kiosk, with its own seq and op_id, settled as the district
  settled it: the kiosk's seq goes on after them, and nightly reconciliation still agrees;
- the tickets, ratings and events those ops carry (personal fields left out: the district's copy of
  a phone number stays at the district): numbering resumes after the last number of each queue;
- for what `kiosk.issued.log` says was issued but never reached the district: a placeholder op for each
  missing seq (an `op_lost` event, so the district's high-water mark can move past the gap) and a
  cancelled placeholder ticket for each number, so that number is never handed out again.
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import datetime
from pathlib import Path

from sync.protocol import canonical_json

from kiosk.domain.ids import uuid7
from kiosk.store import continuity
from kiosk.store import events as event_rows
from kiosk.store.engine import StoreUnavailable, connect
from kiosk.store.transaction import write_transaction

NUMBER = re.compile(r"^(?P<queue>[A-Z]+)(?P<seq>[0-9]+)$")


def move_aside(database: Path) -> Path | None:
    """The store's files into `lost-<time>/` beside it; None when there was nothing to move."""
    files = [database.with_name(database.name + suffix) for suffix in ("", "-wal", "-shm")]
    present = [f for f in files if f.exists()]
    if not present:
        return None
    folder = database.parent / time.strftime("lost-%Y%m%d-%H%M%S")
    folder.mkdir(mode=0o750, exist_ok=True)
    for f in present:
        os.replace(f, folder / f.name)
    return folder


def _ticket_row(payload: dict) -> tuple | None:
    match = NUMBER.match(str(payload.get("number", "")))
    if not match:
        return None
    return (payload["ticket_id"], payload["station_id"], payload["service_code"], match["queue"], int(match["seq"]),
            payload["number"], payload["business_date"], payload["issued_at"], payload["updated_at"],
            payload.get("priority", "normal"), bool(payload.get("assistance")), payload.get("bundle_code"),
            payload.get("id_digest"), payload.get("id_masked"), payload.get("status", "waiting"),
            payload.get("holder_code"), payload.get("public_token"))


def rebuild(database: Path, history: dict, log: continuity.IssuedLog, station_id: str, now: datetime) -> dict:
    """A new store at ``database`` (which must not exist) from the district's ``history`` and the
    kiosk's ``log``; ``now`` is the station's time; returns what was restored."""
    if database.exists():
        raise StoreUnavailable(f"store {database} exists; move it aside first")
    db = connect(database)
    try:
        with write_transaction(db):
            summary = _restore(db, history, log, station_id, now)
        continuity.remove_log(database)
        continuity.after_open(db, database, continuity.IssuedLog())
    finally:
        db.close()
    return summary


def _restore(db, history: dict, log: continuity.IssuedLog, station_id: str, now: datetime) -> dict:
    latest_ticket: dict[str, tuple[int, dict]] = {}
    ratings = events = 0
    for op in history["ops"]:
        state = "rejected" if op["status"] == "rejected" else "acked"
        payload = op.get("payload")
        db.execute("INSERT INTO outbox (seq, op_id, entity, entity_id, kind, created_at, payload, state, "
                   "reject_code, settled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (op["seq"], op["op_id"], op.get("entity") or "event", op.get("entity_id") or op["op_id"],
                    op.get("kind") or "upsert", op.get("created_at") or "", canonical_json(payload),
                    state, op.get("code"), op.get("created_at")))
        if state == "rejected" or not isinstance(payload, dict):
            continue
        if op["entity"] == "ticket":
            if op["seq"] > latest_ticket.get(payload["ticket_id"], (0, {}))[0]:
                latest_ticket[payload["ticket_id"]] = (op["seq"], payload)
        elif op["entity"] == "rating":
            ratings += db.execute(
                "INSERT OR IGNORE INTO ratings (rating_id, ticket_id, station_id, service_code, level, reasons, "
                "rated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (payload["rating_id"], payload.get("ticket_id"), payload["station_id"], payload.get("service_code"),
                 payload["level"], json.dumps(payload.get("reasons") or []), payload["rated_at"])).rowcount
        elif op["entity"] == "event":
            events += db.execute("INSERT OR IGNORE INTO events (event_id, type, at, detail) VALUES (?, ?, ?, ?)",
                                 (payload["event_id"], payload["type"], payload["at"],
                                  json.dumps(payload.get("detail") or {}, ensure_ascii=False,
                                             sort_keys=True))).rowcount
    tickets = 0
    for _seq, payload in sorted(latest_ticket.values(), key=lambda item: item[0]):
        row = _ticket_row(payload)
        if row is not None:
            tickets += db.execute(
                "INSERT OR IGNORE INTO tickets (ticket_id, station_id, service_code, prefix, seq, number, "
                "business_date, issued_at, updated_at, priority, assistance, bundle_code, id_digest, id_masked, "
                "status, holder_code, public_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row).rowcount
    district_seq = max([op["seq"] for op in history["ops"]] + [int(history.get("last_seq", 0))])
    lost_seqs = _placeholder_ops(db, district_seq, log.last_seq, now)
    lost_numbers = _placeholder_numbers(db, log, station_id)
    return {"ops": len(history["ops"]), "tickets": tickets, "ratings": ratings, "events": events,
            "last_seq": max(district_seq, log.last_seq), "lost_seqs": lost_seqs, "lost_numbers": lost_numbers}


def _placeholder_ops(db, district_seq: int, logged_seq: int, now: datetime) -> int:
    """Seqs this kiosk gave out that the district never got: an `op_lost` event each, to send. The
    outbox's next seq follows the district's ops just inserted, so each event takes the seq it names."""
    for seq in range(district_seq + 1, logged_seq + 1):
        event_rows.insert(db, "op_lost", {"seq": seq}, now.isoformat(timespec="seconds"))
    return max(0, logged_seq - district_seq)


def _placeholder_numbers(db, log: continuity.IssuedLog, station_id: str) -> list[str]:
    """Numbers the log says were issued and the district never got: cancelled, so never issued again."""
    lost = []
    for (day, queue), number in sorted(log.numbers.items()):
        last = db.execute("SELECT max(seq) FROM tickets WHERE business_date = ? AND prefix = ?",
                          (day, queue)).fetchone()[0] or 0
        if number <= last:
            continue
        text = f"{queue}{number:03d}"
        stamp = f"{day}T00:00:00"
        db.execute("INSERT INTO tickets (ticket_id, station_id, service_code, prefix, seq, number, business_date, "
                   "issued_at, updated_at, priority, assistance, status) "
                   "VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, 'normal', 0, 'cancelled')",
                   (uuid7(), station_id, queue, number, text, day, stamp, stamp))
        lost.append(f"{day} {text}")
    return lost
