"""What the sync client needs from the kiosk's local store (implemented by kiosk.store.sync_store)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Protocol


def day_digest(op_ids: Iterable[str]) -> str:
    """Reconciliation digest of one day: hex sha256 of the op_ids sorted by their UTF-8 bytes and
    joined by \\n with no trailing newline (an empty day is the sha256 of the empty string)."""
    return hashlib.sha256(b"\n".join(sorted(op_id.encode("utf-8") for op_id in op_ids))).hexdigest()


@dataclass(frozen=True)
class OutboxOp:
    """One outbox row; `payload` is the JSON text exactly as the store holds it."""

    seq: int
    op_id: str
    entity: str
    entity_id: str
    kind: str
    created_at: str
    payload: str


@dataclass(frozen=True)
class Rejection:
    seq: int
    code: str
    detail: str


@dataclass(frozen=True)
class DeadLetter:
    """A rejected op, kept for the technician screen."""

    seq: int
    op_id: str
    entity: str
    entity_id: str
    created_at: str
    code: str
    detail: str
    settled_at: str


@dataclass(frozen=True)
class DayCount:
    """Reconciliation figures of one kiosk-local day: the op_ids the server should hold."""

    date: str
    count: int
    digest: str


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    kiosk_id: str
    station_id: str
    secret: str  # base64 of the 32 secret bytes


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
