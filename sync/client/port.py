"""What the sync client needs from the kiosk's local store (implemented by kiosk.store.sync_store).

The records it exchanges are plain dataclasses of sync.protocol (the store imports them from
there); they and day_digest are re-exported here for older imports.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from sync.protocol import DayCount, DeadLetter, Enrolment, OutboxOp, Rejection, day_digest

__all__ = ["DayCount", "DeadLetter", "Enrolment", "OutboxOp", "Rejection", "SyncPort", "day_digest"]


class SyncPort(Protocol):
    def pending_ops(self, limit: int, after_seq: int = 0) -> list[OutboxOp]:
        """Pending ops with seq > after_seq, in seq order, at most `limit`."""

    def pending_count(self) -> int: ...

    def settle(self, acked: list[int], rejected: list[Rejection], settled_at: str) -> None:
        """Mark ops acknowledged or rejected, in one transaction."""

    def dead_letters(self) -> list[DeadLetter]: ...

    def cursor(self) -> int:
        """The change-feed cursor of the last applied page (0 when nothing was pulled)."""

    def apply_changes(self, changes: list[dict[str, Any]], next_cursor: int) -> None:
        """Apply a page of changes and store `next_cursor`, in one transaction."""

    def replace_snapshot(self, changes: list[dict[str, Any]], next_cursor: int) -> None:
        """Replace every synced row by the snapshot and store `next_cursor`, in one transaction."""

    def day_counts(self, since: str = "") -> list[DayCount]:
        """Per-day count and digest of the outbox ops, acked and pending (rejected left out), of the
        days from `since` (YYYY-MM-DD) on; every day when empty."""

    def requeue_days(self, days: list[str]) -> int:
        """Set the acked ops of these days back to pending (re-sent; the server deduplicates)."""

    def purge_before(self, day: str, should_stop: Callable[[], bool] = ...) -> dict[str, int]:
        """Delete the acked ops of the days before `day` and clear the personal fields of the rows
        they wrote, once none of a row's ops is pending or rejected; pending and rejected ops are
        kept whatever their age. Commits in small transactions; returns counts of what it purged."""

    def load_enrolment(self) -> Enrolment | None: ...

    def save_enrolment(self, enrolment: Enrolment) -> None: ...
