"""Helpers of the sync-client tests: an enrolled kiosk store and an outbox filled through
kiosk.store functions. The district server they sync with is tests/district_process.py's."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from district_process import KIOSK_ID, STATION, DistrictServer, free_port  # noqa: F401 (the tests import them from here)
from kiosk.domain.ids import uuid7
from kiosk.store.outbox import enqueue
from kiosk.store.sync_store import SqliteSyncStore
from sync.client.enrol import enrol

REPO = Path(__file__).resolve().parents[3]
CATALOGUE = REPO / "assets" / "catalogue" / "yanta.json"
SERVICES = [("SB-KSL", "A"), ("HJ-QY", "B"), ("LN-YDZ", "C"), ("SY-DJ", "D")]


def open_kiosk_store(data_dir: Path) -> SqliteSyncStore:
    return SqliteSyncStore.open(data_dir / "kiosk.sqlite3")


def enrol_store(store: SqliteSyncStore, server: DistrictServer, kiosk_id: str = KIOSK_ID) -> None:
    store.save_enrolment(enrol(server.url, server.token(kiosk_id), kiosk_id, "1.0.0"))


def ticket_payload(ticket_id: str, service: str, number: str, day: date, stamp: str) -> dict:
    return {"ticket_id": ticket_id, "station_id": STATION, "service_code": service, "number": number,
            "issued_at": stamp, "business_date": day.isoformat(), "priority": "normal", "assistance": False,
            "bundle_code": None, "id_digest": None, "id_masked": None, "status": "waiting", "updated_at": stamp}


def fill_outbox(db: sqlite3.Connection, count: int, first_day: date | None = None, days: int = 5) -> None:
    """`count` ticket ops with distinct numbers (service queue x number x day), in one transaction.

    The days end yesterday unless ``first_day`` is given: a nightly `kiosk sync --reconcile` purges
    acknowledged ops older than the retention period (30 days), so fixed dates would age out.
    """
    first_day = first_day or date.today() - timedelta(days=days)
    per_day = -(-count // days)
    db.execute("BEGIN IMMEDIATE")
    for index in range(count):
        day = first_day + timedelta(days=index // per_day)
        within = index % per_day
        service, prefix = SERVICES[within // 999]
        stamp = (datetime(day.year, day.month, day.day, 9) + timedelta(seconds=within)).isoformat() + "+08:00"
        ticket_id = uuid7()
        enqueue(db, entity="ticket", entity_id=ticket_id, created_at=stamp,
                payload=ticket_payload(ticket_id, service, f"{prefix}{within % 999 + 1:03d}", day, stamp))
    db.execute("COMMIT")


def outbox_states(db: sqlite3.Connection) -> dict[str, int]:
    return dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())


def write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path
