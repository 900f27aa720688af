"""The station's side of its kiosks' ops: they join the station's queue, and wait to go up.

When the station service has accepted a batch of a kiosk (kiosk.station.front), `take_in` writes,
in one transaction, each new op into ``relay_ops`` (kept until the district has settled it) and
its record into the station's own tables: a ticket joins the queue (with the kiosk that issued
it), a rating closes its ticket's rating, an event (a 帮办代办 request) shows on the consoles.
Ops already taken in are skipped, so a batch handed over twice changes nothing.

``after_own_seq`` (the station's last own outbox seq when the op arrived) orders the relayed ops
among the station's own, so the district gets them in the order the station committed them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from sync.protocol import OutboxOp, Rejection, canonical_json
from sync.protocol.ratings import TicketFacts

from kiosk.store import events
from kiosk.store.transaction import write_transaction

NUMBER_RE = re.compile(r"([A-Z]+)([0-9]+)")
PENDING_ORDER = " ORDER BY after_own_seq, rowid"


def _own_last_seq(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    return int(row[0]) if row else 0


def take_in(db: sqlite3.Connection, kiosk_id: str, ops: list[dict[str, Any]], accepted: set[int]) -> int:
    """Take in the accepted ops (by seq) of one kiosk's batch; returns how many were new."""
    new = 0
    with write_transaction(db):
        marker = _own_last_seq(db)
        for op in ops:
            if op["seq"] not in accepted:
                continue
            payload = op["payload"]
            inserted = db.execute(
                "INSERT OR IGNORE INTO relay_ops (kiosk_id, seq, op_id, entity, entity_id, kind, created_at, "
                "payload, after_own_seq, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                (kiosk_id, op["seq"], op["op_id"], op["entity"], op["entity_id"], op["kind"], op["created_at"],
                 canonical_json(payload), marker)).rowcount
            if not inserted:
                continue
            new += 1
            if op["entity"] == "ticket":
                _join_queue(db, kiosk_id, payload)
            elif op["entity"] == "rating":
                _rating(db, kiosk_id, payload)
            elif op["entity"] == "event":
                db.execute("INSERT OR IGNORE INTO events (event_id, type, at, detail, kiosk_id) VALUES (?, ?, ?, ?, ?)",
                           (payload["event_id"], payload["type"], payload["at"],
                            json.dumps(payload["detail"], ensure_ascii=False, sort_keys=True), kiosk_id))
    return new


def _join_queue(db: sqlite3.Connection, kiosk_id: str, t: dict[str, Any]) -> None:
    """A kiosk's ticket joins the queue; a later op of the same ticket (the kiosk's own copy) does
    not change what the counters have done with it."""
    match = NUMBER_RE.fullmatch(t["number"])
    prefix, seq = (match.group(1), int(match.group(2))) if match else (t["number"][:1], 0)
    try:
        db.execute(
            "INSERT INTO tickets (ticket_id, station_id, service_code, prefix, seq, number, business_date, issued_at, "
            "updated_at, priority, assistance, bundle_code, id_digest, id_masked, status, kiosk_id, holder_code, "
            "public_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING",
            (t["ticket_id"], t["station_id"], t["service_code"], prefix, seq, t["number"], t["business_date"],
             t["issued_at"], t["updated_at"], t["priority"], t["assistance"], t["bundle_code"], t["id_digest"],
             t["id_masked"], t["status"], kiosk_id, t.get("holder_code"), t.get("public_token")))
    except sqlite3.IntegrityError:  # the number is another kiosk's today: the front refuses this, so it is a fault
        events.insert(db, "number_conflict", {"kiosk_id": kiosk_id, "ticket_id": t["ticket_id"],
                                              "number": t["number"], "business_date": t["business_date"]},
                      t["issued_at"])


def _rating(db: sqlite3.Connection, kiosk_id: str, r: dict[str, Any]) -> None:
    db.execute(
        "INSERT OR IGNORE INTO ratings (rating_id, ticket_id, station_id, service_code, level, reasons, comment, "
        "contact_phone, rated_at, channel, counter_id, kiosk_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (r["rating_id"], r["ticket_id"], r["station_id"], r["service_code"], r["level"], json.dumps(r["reasons"]),
         r["comment"], r["contact_phone"], r["rated_at"], r["channel"], r.get("counter_id"), kiosk_id))


def taken_in(db: sqlite3.Connection, kiosk_id: str) -> set[int]:
    return {row[0] for row in db.execute("SELECT seq FROM relay_ops WHERE kiosk_id = ?", (kiosk_id,))}


# -- going up ----------------------------------------------------------------------------------------------

def next_run(db: sqlite3.Connection, limit: int) -> tuple[str | None, int, str, list[OutboxOp]]:
    """What goes up next, in the station's commit order.

    Returns ("own", last_seq, "", []) when the station's own ops up to ``last_seq`` come first (-1
    for all of them), ("relay", 0, kiosk_id, ops) for a run of one kiosk's ops, or
    (None, 0, "", []) when nothing is pending."""
    head = db.execute("SELECT kiosk_id, after_own_seq FROM relay_ops WHERE state = 'pending'" + PENDING_ORDER +
                      " LIMIT 1").fetchone()
    own = db.execute("SELECT min(seq) FROM outbox WHERE state = 'pending'").fetchone()[0]
    if head is None:
        return ("own", -1, "", []) if own is not None else (None, 0, "", [])
    kiosk_id, marker = head
    if own is not None and own <= marker:
        return "own", marker, "", []
    rows = db.execute(
        "SELECT kiosk_id, seq, op_id, entity, entity_id, kind, created_at, payload, after_own_seq FROM relay_ops "
        "WHERE state = 'pending'" + PENDING_ORDER + " LIMIT ?", (limit,)).fetchall()
    run = []
    for row in rows:
        if row[0] != kiosk_id or (own is not None and own <= row[8]):
            break
        run.append(OutboxOp(seq=row[1], op_id=row[2], entity=row[3], entity_id=row[4], kind=row[5],
                            created_at=row[6], payload=row[7]))
    return "relay", 0, kiosk_id, run


def settle(db: sqlite3.Connection, kiosk_id: str, acked: list[int], rejected: list[Rejection], at: str) -> None:
    with write_transaction(db):
        db.executemany("UPDATE relay_ops SET state = 'acked', settled_at = ? WHERE kiosk_id = ? AND seq = ?",
                       [(at, kiosk_id, seq) for seq in acked])
        db.executemany("UPDATE relay_ops SET state = 'rejected', reject_code = ?, reject_detail = ?, settled_at = ? "
                       "WHERE kiosk_id = ? AND seq = ?",
                       [(r.code, r.detail, at, kiosk_id, r.seq) for r in rejected])


def pending_count(db: sqlite3.Connection) -> int:
    return db.execute("SELECT count(*) FROM relay_ops WHERE state = 'pending'").fetchone()[0]


def refused(db: sqlite3.Connection, limit: int = 50) -> list[dict]:
    """Relayed ops the district refused (kept, for the technician)."""
    rows = db.execute("SELECT kiosk_id, seq, entity, reject_code, reject_detail FROM relay_ops "
                      "WHERE state = 'rejected' ORDER BY settled_at DESC LIMIT ?", (limit,))
    return [{"kiosk_id": k, "seq": s, "entity": e, "code": c, "detail": d} for k, s, e, c, d in rows]


# -- what the rating rule needs ----------------------------------------------------------------------------

def ticket_facts(db: sqlite3.Connection, ticket_ids: list[str]) -> dict[str, TicketFacts]:
    found = {}
    for ticket_id in set(ticket_ids):
        row = db.execute("SELECT t.station_id, t.status, t.business_date, t.holder_code, t.id_digest, "
                         "r.rating_id IS NOT NULL OR p.ticket_id IS NOT NULL FROM tickets t "
                         "LEFT JOIN ratings r ON r.ticket_id = t.ticket_id "
                         "LEFT JOIN rated_on_phone p ON p.ticket_id = t.ticket_id "
                         "WHERE t.ticket_id = ?", (ticket_id,)).fetchone()
        if row is not None:
            found[ticket_id] = TicketFacts(ticket_id, row[0], row[1], row[2], row[3], row[4], bool(row[5]))
    return found


def find_ticket(db: sqlite3.Connection, station_id: str, number: str, business_date: str) -> str | None:
    row = db.execute("SELECT ticket_id FROM tickets WHERE station_id = ? AND number = ? AND business_date = ?",
                     (station_id, number, business_date)).fetchone()
    return row[0] if row else None



def purge_before(db: sqlite3.Connection, day: str) -> dict[str, int]:
    """Forget what the district already holds from before ``day`` (YYYY-MM-DD, the retention
    period's start): the relayed ops it settled, and the phone numbers and comments of ratings
    whose ops it has acknowledged (DESIGN: personal data lives only as long as it is needed)."""
    with write_transaction(db):
        ops = db.execute("DELETE FROM relay_ops WHERE state = 'acked' AND substr(created_at, 1, 10) < ?",
                         (day,)).rowcount
        cleared = db.execute(
            "UPDATE ratings SET contact_phone = NULL, comment = NULL WHERE substr(rated_at, 1, 10) < ? "
            "AND (contact_phone IS NOT NULL OR comment IS NOT NULL) "
            "AND rating_id NOT IN (SELECT entity_id FROM relay_ops WHERE entity = 'rating' AND state != 'acked') "
            "AND rating_id NOT IN (SELECT entity_id FROM outbox WHERE entity = 'rating' AND state != 'acked')",
            (day,)).rowcount
    return {"relayed_ops": ops, "ratings_cleared": cleared}
