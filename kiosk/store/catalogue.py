"""Catalogue rows: seeded from the catalogue file on first start, later replaced by sync."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kiosk.domain.catalogue import Catalogue, Service, Station
from kiosk.domain.errors import Kind, KioskError
from kiosk.store.transaction import write_transaction


class CatalogueFileError(KioskError):
    """The catalogue file is missing or not of the expected shape."""

    kind = Kind.STORE_UNAVAILABLE


def read_catalogue_file(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueFileError(f"catalogue file {path} cannot be read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise CatalogueFileError(f"catalogue file {path} is not JSON: {exc}") from None
    for key in ("services", "stations"):
        if not isinstance(data.get(key), list):
            raise CatalogueFileError(f"catalogue file {path}: '{key}' must be a list")
    return data


def _dump(item) -> str:
    return json.dumps(item, ensure_ascii=False)


def replace_catalogue(db: sqlite3.Connection, data: dict) -> None:
    """Replace services, bundles, stations and the district name (inside the caller's transaction)."""
    for table in ("services", "bundles", "stations"):
        db.execute(f"DELETE FROM {table}")
    db.executemany("INSERT INTO services (code, name, category, prefix, position, data) VALUES (?, ?, ?, ?, ?, ?)",
                   [(s["code"], s["name"], s.get("category", ""), s.get("prefix", "A"), i, _dump(s))
                    for i, s in enumerate(data["services"])])
    db.executemany("INSERT INTO bundles (code, name, data) VALUES (?, ?, ?)",
                   [(b["code"], b["name"], _dump(b)) for b in data.get("bundles", [])])
    db.executemany("INSERT INTO stations (id, name, data) VALUES (?, ?, ?)",
                   [(s["id"], s["name"], _dump(s)) for s in data["stations"]])
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('district', ?)", (_dump(data.get("district", {})),))
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('district_config', ?)",
               (_dump(data.get("config", {})),))


def seed_if_empty(db: sqlite3.Connection, path: Path) -> bool:
    """Load the catalogue file when the store has no services yet. Returns whether it loaded."""
    with write_transaction(db):
        if db.execute("SELECT count(*) FROM services").fetchone()[0]:
            return False
        replace_catalogue(db, read_catalogue_file(path))
    return True


def load_catalogue(db: sqlite3.Connection) -> Catalogue:
    services = tuple(Service.from_dict(json.loads(data)) for (data,) in
                     db.execute("SELECT data FROM services ORDER BY position"))
    stations = tuple(Station.from_dict(json.loads(data)) for (data,) in
                     db.execute("SELECT data FROM stations ORDER BY id"))
    bundles = tuple(json.loads(data) for (data,) in db.execute("SELECT data FROM bundles ORDER BY code"))
    settings = dict(db.execute("SELECT key, value FROM settings WHERE key IN ('district', 'district_config')"))
    district = json.loads(settings.get("district", "{}"))
    reasons = json.loads(settings.get("district_config", "{}")).get("rating_reasons")
    categories = tuple(dict.fromkeys(s.category for s in services))
    name_en = district.get("name_en")
    return Catalogue(services=services, stations=stations, district_name=district.get("name", ""),
                     district_name_en=name_en if isinstance(name_en, str) else "",
                     categories=categories, bundles=bundles,
                     rating_reasons=tuple(reasons) if isinstance(reasons, list) else None)


def catalogue_version(db: sqlite3.Connection) -> int | None:
    """The district's catalogue version this kiosk holds (config item ``catalogue_version``, synced);
    None before the first sync brought one (the catalogue file's seed)."""
    row = db.execute("SELECT value FROM settings WHERE key = 'config:catalogue_version'").fetchone()
    try:
        value = json.loads(row[0]).get("value") if row else None
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
