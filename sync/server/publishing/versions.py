"""Every published version of a catalogue item (who, when, its cursor in the feed) and the
district's catalogue version, the config item ``catalogue_version`` that goes up by one with every
publish and travels through the changes feed to the stations and kiosks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.changes import record_changes
from sync.server.models import CatalogueItem, CatalogueVersion, FeedState

VERSION_KEY = "catalogue_version"
IMPORT_AUTHOR = "import-catalogue"


def catalogue_version(session: Session) -> int:
    """The district's catalogue version: 0 before anything was published."""
    item = session.get(CatalogueItem, ("config", VERSION_KEY))
    value = item.data.get("value") if item is not None and isinstance(item.data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def item_version(session: Session, entity: str, item_id: str) -> int:
    """The item's latest version number; 0 when it was never versioned (or never existed)."""
    return session.scalar(select(func.coalesce(func.max(CatalogueVersion.version), 0))
                          .where(CatalogueVersion.entity == entity, CatalogueVersion.item_id == item_id)) or 0


def lock_feed(session: Session) -> None:
    """Take the feed's row lock before reading versions, so that two publishes queue up and the
    second one sees the first one's version (SQLite: the database's write lock)."""
    session.get(FeedState, 1, with_for_update=True, populate_existing=True)


def publish_changes(session: Session, changes: list[tuple[str, str, Any | None]], *, author: str, now: float,
                    note: str | None = None) -> dict[str, Any]:
    """Write the changes, a version row for each, and the next catalogue version, in one
    record_changes call (the caller's transaction). Nothing changes: nothing is written."""
    current = catalogue_version(session)
    changes = [change for change in changes if not (change[0] == "config" and change[1] == VERSION_KEY)]
    if not changes:
        return {"catalogue_version": current, "versions": []}
    new_version = current + 1
    marker = {"key": VERSION_KEY, "value": new_version, "at": now, "by": author[:64]}
    everything = [*changes, ("config", VERSION_KEY, marker)]
    record_changes(session, everything, now)
    last = session.scalar(select(FeedState.last_cursor).where(FeedState.id == 1))
    first = int(last) - len(everything) + 1
    written = []
    for offset, (entity, item_id, data) in enumerate(changes):
        version = item_version(session, entity, item_id) + 1
        session.add(CatalogueVersion(entity=entity, item_id=item_id, version=version, data=data,
                                     author=author[:64], at=now, cursor=first + offset,
                                     note=(note or None) and note[:500]))
        session.flush()
        written.append({"entity": entity, "id": item_id, "version": version, "cursor": first + offset})
    return {"catalogue_version": new_version, "versions": written}


def version_view(row: CatalogueVersion, *, with_data: bool = False) -> dict[str, Any]:
    view = {"entity": row.entity, "id": row.item_id, "version": row.version, "at": row.at, "author": row.author,
            "note": row.note, "withdrawn": row.data is None, "cursor": row.cursor, "name": display_name(row.data)}
    if with_data:
        view["data"] = row.data
    return view


def display_name(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    for field in ("name", "title", "key"):
        if isinstance(data.get(field), str):
            return data[field]
    return None


def history(session: Session, entity: str, item_id: str, limit: int = 100) -> list[dict[str, Any]]:
    rows = session.scalars(select(CatalogueVersion).where(CatalogueVersion.entity == entity,
                                                          CatalogueVersion.item_id == item_id)
                           .order_by(CatalogueVersion.version.desc()).limit(limit))
    return [version_view(row) for row in rows]


def one_version(session: Session, entity: str, item_id: str, version: int) -> CatalogueVersion | None:
    return session.scalar(select(CatalogueVersion).where(CatalogueVersion.entity == entity,
                                                         CatalogueVersion.item_id == item_id,
                                                         CatalogueVersion.version == version))


def recent(session: Session, limit: int = 30) -> list[dict[str, Any]]:
    """The latest versions of any item, newest first."""
    rows = session.scalars(select(CatalogueVersion).order_by(CatalogueVersion.version_id.desc()).limit(limit))
    return [version_view(row) for row in rows]
