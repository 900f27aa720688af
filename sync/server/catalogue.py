"""The district catalogue (services, bundles, stations, notices, config) and its import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import DISTRICT_CONFIG_KEY, REASONS_CONFIG_KEY
from sync.server.changes import prune_changes, record_changes
from sync.server.models import CatalogueItem
from sync.server.publishing.versions import IMPORT_AUTHOR, VERSION_KEY, lock_feed, publish_changes
from sync.server.settings import DEFAULT_REASON_CODES

SECTIONS = {"services": ("service", "code"), "bundles": ("bundle", "code"),
            "stations": ("station", "id"), "notices": ("notice", "id")}
REASONS_KEY = REASONS_CONFIG_KEY
DISTRICT_KEY = DISTRICT_CONFIG_KEY

# Texts the resident reads, each with its optional English twin (``<field>_en``): a twin has the
# same type as its Chinese field. Fields not listed here pass as they are.
TEXT_FIELDS = {"services": ("name", "category", "fee", "time_limit", "department", "window"),
               "bundles": ("name", "description", "window"), "stations": ("name", "address"),
               "notices": ("title", "text"), "district": ("name",)}
TEXT_LIST_FIELDS = {"services": ("materials",)}


class CatalogueError(ValueError):
    pass


def config_value(session: Session, key: str, default: Any = None) -> Any:
    item = session.get(CatalogueItem, ("config", key))
    return default if item is None else item.data.get("value", default)


def reason_codes(session: Session) -> frozenset[str]:
    """The district's list when config has one (codes, {code: label} or [{"code": ...}]), else the default."""
    value = config_value(session, REASONS_KEY)
    if isinstance(value, dict):
        return frozenset(str(code) for code in value)
    if isinstance(value, list) and value:
        return frozenset(str(entry["code"]) if isinstance(entry, dict) and "code" in entry else str(entry)
                         for entry in value)
    return frozenset(DEFAULT_REASON_CODES)


def ensure_station(session: Session, station_id: str, now: float) -> bool:
    """Create a bare station row (and its change) when unknown; True when it was created."""
    if session.get(CatalogueItem, ("station", station_id)) is not None:
        return False
    record_changes(session, [("station", station_id, {"id": station_id})], now)
    return True


def load_catalogue_file(path: Path) -> dict[str, dict[str, Any]]:
    """Parse the file into {entity: {id: data}}; only sections present in the file are returned."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise CatalogueError(f"{path} is not valid JSON: {exc}") from None
    return parse_catalogue(document)


def parse_catalogue(document: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(document, dict):
        raise CatalogueError("the catalogue must be a JSON object")
    unknown = sorted(set(document) - set(SECTIONS) - {"district", "config"})
    if unknown:
        raise CatalogueError(f"unknown top-level key(s): {', '.join(unknown)}")
    parsed: dict[str, dict[str, Any]] = {}
    for section, (entity, key) in SECTIONS.items():
        if section not in document:
            continue
        items = document[section]
        if not isinstance(items, list):
            raise CatalogueError(f"{section} must be a list")
        parsed[entity] = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get(key), (str, int)) or isinstance(item.get(key), bool):
                raise CatalogueError(f"{section}[{index}] must be an object with a string {key!r}")
            item_id = str(item[key])
            if not item_id or len(item_id) > 128:
                raise CatalogueError(f"{section}[{index}].{key} must be 1 to 128 characters")
            if item_id in parsed[entity]:
                raise CatalogueError(f"{section}: duplicate {key} {item_id!r}")
            check_texts(section, f"{section}[{index}]", item)
            parsed[entity][item_id] = item
    if "config" in document or "district" in document:
        config = document.get("config", {})
        if not isinstance(config, dict):
            raise CatalogueError("config must be an object of key: value")
        if DISTRICT_KEY in config and "district" in document:
            raise CatalogueError("config must not hold a 'district' key when the file has a district section")
        entries = dict(config)
        if "district" in document:
            if not isinstance(document["district"], dict):
                raise CatalogueError("district must be an object")
            check_texts("district", "district", document["district"])
            entries[DISTRICT_KEY] = document["district"]
        if VERSION_KEY in entries:
            raise CatalogueError(f"config must not hold {VERSION_KEY!r}: the district counts its versions itself")
        parsed["config"] = {key: {"key": key, "value": value} for key, value in entries.items()}
    return parsed


def check_texts(section: str, where: str, item: dict) -> None:
    """The resident's texts and their English twins: strings, or lists of strings (materials)."""
    for name in TEXT_FIELDS.get(section, ()):
        for field in (name, f"{name}_en"):
            if field in item and not isinstance(item[field], str):
                raise CatalogueError(f"{where}.{field} must be a string")
    for name in TEXT_LIST_FIELDS.get(section, ()):
        for field in (name, f"{name}_en"):
            value = item.get(field)
            if field in item and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise CatalogueError(f"{where}.{field} must be a list of strings")


def import_catalogue(session: Session, parsed: dict[str, dict[str, Any]], now: float,
                     retention_s: float | None = None, *, author: str = IMPORT_AUTHOR,
                     note: str | None = None) -> dict[str, int]:
    """Upsert new or changed items, delete items gone from a present section; each change is
    versioned and, when anything changed, the catalogue version goes up by one. Returns counts."""
    lock_feed(session)
    changes: list[tuple[str, str, Any | None]] = []
    for entity, items in parsed.items():
        current = {i.item_id: i.data for i in session.scalars(select(CatalogueItem).where(CatalogueItem.entity == entity))}
        if entity == "config":
            current.pop(VERSION_KEY, None)  # the district's own counter, never in a file
        for item_id, data in items.items():
            if current.get(item_id) != data:
                changes.append((entity, item_id, data))
        changes.extend((entity, item_id, None) for item_id in sorted(set(current) - set(items)))
    published = publish_changes(session, changes, author=author, now=now, note=note)
    pruned = prune_changes(session, now - retention_s) if retention_s is not None else 0
    upserts = sum(1 for c in changes if c[2] is not None)
    return {"upserted": upserts, "deleted": len(changes) - upserts, "pruned": pruned,
            "catalogue_version": published["catalogue_version"]}
