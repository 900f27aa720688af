"""The station's counter state in the settings table: local, never synced.

``counters`` (each counter's name, PIN hash and services), ``counter_state:<id>`` (its current
ticket, paused), ``call_fairness`` (the station's priority turn, shared by all counters),
``counter_transfers`` (waiting tickets sent to a given counter) and ``call_ratio`` ("1:2").
"""

from __future__ import annotations

import json
import sqlite3

from kiosk.domain.calling import CallRatio

COUNTERS = "counters"
FAIRNESS = "call_fairness"
TRANSFERS = "counter_transfers"
RATIO = "call_ratio"
DISTRICT_RATIO = "config:call_ratio"  # the district's, published through the changes feed


def setting(db: sqlite3.Connection, key: str, default):
    row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def put_setting(db: sqlite3.Connection, key: str, value) -> None:
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
               (key, json.dumps(value, ensure_ascii=False, sort_keys=True)))


def counters(db: sqlite3.Connection) -> dict[str, dict]:
    """counter_id -> {"name", "pin_hash", "services"}."""
    return setting(db, COUNTERS, {})


def put_counters(db: sqlite3.Connection, value: dict[str, dict]) -> None:
    put_setting(db, COUNTERS, value)


def raw_counter_state(db: sqlite3.Connection, counter_id: str) -> dict:
    """The stored state as it is (keys may be missing), for changing it."""
    return setting(db, f"counter_state:{counter_id}", {})


def put_counter_state(db: sqlite3.Connection, counter_id: str, state: dict) -> None:
    put_setting(db, f"counter_state:{counter_id}", state)


def counter_state(db: sqlite3.Connection, counter_id: str) -> dict:
    state = raw_counter_state(db, counter_id)
    return {"current": state.get("current"), "paused": bool(state.get("paused", False))}


def transfers(db: sqlite3.Connection) -> dict[str, str]:
    """ticket_id -> the counter it was sent to."""
    return setting(db, TRANSFERS, {})


def put_transfers(db: sqlite3.Connection, value: dict[str, str]) -> None:
    put_setting(db, TRANSFERS, value)


def call_ratio(db: sqlite3.Connection, default: CallRatio = CallRatio()) -> CallRatio:
    """The station's ratio: its own settings key "call_ratio" ("1:2") when set there, else the
    district's as published in the catalogue (config item ``call_ratio``, synced as
    "config:call_ratio"), else ``default``. A value that does not parse counts as unset."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", (RATIO,)).fetchone()
    if row is not None:
        try:
            return CallRatio.parse(json.loads(row[0]) if row[0].startswith('"') else row[0])
        except (ValueError, json.JSONDecodeError):
            pass
    row = db.execute("SELECT value FROM settings WHERE key = ?", (DISTRICT_RATIO,)).fetchone()
    try:
        value = json.loads(row[0]).get("value") if row is not None else None
        return CallRatio.parse(value) if isinstance(value, str) else default
    except (ValueError, AttributeError):
        return default
