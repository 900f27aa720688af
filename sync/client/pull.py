"""Download: pages of changes since the stored cursor; each page and its `next` are stored in one
local transaction. 410 Gone: the snapshot replaces the local copy atomically, then the feed goes on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sync.client.port import SyncPort
from sync.client.transport import CursorGone, Transport

PAGE_LIMIT = 500
MAX_SNAPSHOTS_PER_RUN = 2


@dataclass
class PullResult:
    pages: int = 0
    changes: int = 0
    snapshots: int = 0
    cursor: int = 0


class Puller:
    def __init__(self, port: SyncPort, transport: Transport, *, retry: Callable, limit: int = PAGE_LIMIT):
        self.port = port
        self.transport = transport
        self.retry = retry
        self.limit = limit
        self.base = f"/v1/kiosks/{transport.kiosk_id}"

    def pull_all(self, should_stop: Callable[[], bool] = lambda: False) -> PullResult:
        result = PullResult(cursor=self.port.cursor())
        while not should_stop():
            path = f"{self.base}/changes?since={result.cursor}&limit={self.limit}"
            try:
                page = self.retry(lambda: self.transport.get(path))
            except CursorGone:
                if result.snapshots >= MAX_SNAPSHOTS_PER_RUN:
                    raise
                self._snapshot(result)
                continue
            changes = page.get("changes") or []
            next_cursor = int(page.get("next", result.cursor))
            self.port.apply_changes(changes, next_cursor)
            result.pages += 1
            result.changes += len(changes)
            result.cursor = next_cursor
            if not page.get("has_more") or not changes:
                break
        return result

    def _snapshot(self, result: PullResult) -> None:
        snapshot = self.retry(lambda: self.transport.get(f"{self.base}/snapshot"))
        changes = snapshot.get("changes") or []
        next_cursor = int(snapshot["next"])
        self.port.replace_snapshot(changes, next_cursor)
        result.snapshots += 1
        result.changes += len(changes)
        result.cursor = next_cursor


def own_history(transport: Transport, *, retry: Callable = lambda call: call(), limit: int = 1000) -> dict:
    """Every op of this kiosk the district holds (`GET /v1/kiosks/{id}/ops`), for recovering a lost
    store: ``{"ops": [...], "high_water": H, "last_seq": M}``, ops in ascending seq."""
    base = f"/v1/kiosks/{transport.kiosk_id}/ops"
    ops: list[dict] = []
    since, high_water, last_seq = 0, 0, 0
    while True:
        page = retry(lambda: transport.get(f"{base}?since={since}&limit={limit}"))
        ops.extend(page.get("ops") or [])
        high_water, last_seq = int(page.get("high_water", 0)), int(page.get("last_seq", 0))
        if not page.get("has_more") or not page.get("ops"):
            return {"ops": ops, "high_water": high_water, "last_seq": last_seq}
        since = int(page["next"])
