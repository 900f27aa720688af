"""The download feed: cursor assignment, pages, snapshot and retention."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from sync.protocol import DOWNLOAD_ENTITIES
from sync.server.db import take_cursors
from sync.server.errors import ApiError
from sync.server.models import CatalogueItem, Change, FeedState

ENTITIES = DOWNLOAD_ENTITIES


def record_changes(session: Session, changes: list[tuple[str, str, Any | None]], now: float) -> None:
    """Write (entity, id, data-or-None-for-delete) changes and the current rows, in the caller's
    transaction. Cursors come from the feed_state row, locked until commit."""
    if not changes:
        return
    first = take_cursors(session, len(changes))
    for offset, (entity, item_id, data) in enumerate(changes):
        cursor = first + offset
        session.add(Change(cursor=cursor, entity=entity, item_id=item_id,
                           op="delete" if data is None else "upsert", data=data, committed_at=now))
        current = session.get(CatalogueItem, (entity, item_id))
        if data is None:
            if current is not None:
                session.delete(current)
        elif current is None:
            session.add(CatalogueItem(entity=entity, item_id=item_id, data=data, cursor=cursor))
        else:
            current.data = data
            current.cursor = cursor
        session.flush()


def prune_changes(session: Session, older_than: float) -> int:
    """Drop changes committed before `older_than`; cursors at or below the prune mark get 410."""
    state = session.get(FeedState, 1, with_for_update=True)
    newest_old = session.scalar(select(func.max(Change.cursor)).where(Change.committed_at < older_than))
    if newest_old is None:
        return 0
    deleted = session.execute(delete(Change).where(Change.cursor <= newest_old)).rowcount
    session.execute(update(FeedState).where(FeedState.id == 1).values(
        pruned_through=max(state.pruned_through, newest_old)))
    return deleted


def _change_dict(change: Change | CatalogueItem, entity: str, item_id: str, op: str) -> dict[str, Any]:
    return {"cursor": change.cursor, "entity": entity, "id": item_id, "op": op, "data": change.data}


def read_page(session: Session, since: int, limit: int) -> dict[str, Any]:
    rows = session.scalars(
        select(Change).where(Change.cursor > since).order_by(Change.cursor).limit(limit + 1)
    ).all()
    # The feed state is read after the rows: a prune committed before the rows were read shows here.
    state = session.get(FeedState, 1)
    if since < state.pruned_through:
        raise ApiError(410, "cursor_expired",
                       f"cursor {since} is older than the retained history ({state.pruned_through}); "
                       "fetch the snapshot")
    if since > state.last_cursor:
        raise ApiError(410, "cursor_unknown",
                       f"cursor {since} is beyond the newest change ({state.last_cursor}); fetch the snapshot")
    page = rows[:limit]
    return {
        "changes": [_change_dict(c, c.entity, c.item_id, c.op) for c in page],
        "next": page[-1].cursor if page else since,
        "has_more": len(rows) > limit,
    }


def read_snapshot(session: Session) -> dict[str, Any]:
    # The counter is read first: a row written after it is at worst sent again by the feed.
    last_cursor = session.get(FeedState, 1).last_cursor
    items = session.scalars(select(CatalogueItem).order_by(CatalogueItem.cursor)).all()
    return {
        "changes": [_change_dict(i, i.entity, i.item_id, "upsert") for i in items],
        "next": last_cursor,
    }
