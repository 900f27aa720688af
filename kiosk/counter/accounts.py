"""Counters (窗口) and their PINs: the settings row "counters" of the local store.

``{"<counter_id>": {"name": "1号窗口", "pin_hash": "pbkdf2_sha256$...", "services": ["SB-KSL", ...]}}``;
an empty ``services`` list serves every service. Only the salted PBKDF2 hash is kept.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Sequence

from kiosk.domain.pin import hash_pin
from kiosk.store import station_settings
from kiosk.store.transaction import write_transaction

COUNTER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


def add_counter(db: sqlite3.Connection, counter_id: str, name: str, pin: str,
                services: Sequence[str] = ()) -> dict:
    """Add a counter or replace its name, PIN and services. Returns it (without the hash)."""
    if not COUNTER_ID.match(counter_id):
        raise ValueError(f"counter id {counter_id!r}: 1-32 letters, digits, '-' or '_'")
    if not name.strip():
        raise ValueError("a counter needs a name, e.g. 1号窗口")
    pin_hash = hash_pin(pin)
    with write_transaction(db):
        known = {code for (code,) in db.execute("SELECT code FROM services")}
        unknown = [code for code in services if code not in known]
        if unknown:
            raise ValueError(f"unknown service codes: {', '.join(unknown)}")
        counters = station_settings.counters(db)
        counters[counter_id] = {"name": name.strip(), "pin_hash": pin_hash, "services": list(services)}
        station_settings.put_counters(db, counters)
    return public(counter_id, counters[counter_id])


def public(counter_id: str, counter: dict) -> dict:
    return {"id": counter_id, "name": counter["name"], "services": list(counter.get("services", []))}


def listed(counters: dict[str, dict]) -> list[dict]:
    """The counters without their hashes, by id."""
    return [public(cid, c) for cid, c in sorted(counters.items())]


def counters(db: sqlite3.Connection) -> dict[str, dict]:
    """counter_id -> {"name", "pin_hash", "services"}."""
    return station_settings.counters(db)


def list_counters(db: sqlite3.Connection) -> list[dict]:
    return listed(counters(db))
