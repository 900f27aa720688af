"""Nightly reconciliation: per kiosk-local day, the count and digest of the op_ids the server
should hold; the ops of mismatched days are queued again (the server deduplicates them).

Only the days of the retention period are claimed: older acked ops are purged (docs/sync-protocol.md,
"Client behaviour"), and a day the kiosk no longer holds whole would mismatch on the server every night.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from sync.client.port import SyncPort
from sync.client.transport import Transport
from sync.protocol import day_digest, op_day

__all__ = ["Reconciler", "ReconcileResult", "day_digest", "op_day", "retention_start"]

MAX_DAYS_PER_REQUEST = 400


def retention_start(today: date, retention_days: int | None) -> str:
    """The first day (YYYY-MM-DD) still inside the retention period; "" (every day) without one.

    Days before it are older than `retention_days`: their acked ops are purged, and not reconciled.
    """
    if retention_days is None:
        return ""
    return (today - timedelta(days=retention_days)).isoformat()


@dataclass
class ReconcileResult:
    days: int = 0
    mismatched: list[str] = field(default_factory=list)
    requeued: int = 0


class Reconciler:
    def __init__(self, port: SyncPort, transport: Transport, *, retry: Callable, since: str = ""):
        self.port = port
        self.transport = transport
        self.retry = retry
        self.since = since
        self.path = f"/v1/kiosks/{transport.kiosk_id}/reconcile"

    def mismatched_days(self) -> tuple[int, list[str]]:
        days = [{"date": d.date, "count": d.count, "digest": d.digest} for d in self.port.day_counts(self.since)]
        mismatched: list[str] = []
        for start in range(0, len(days), MAX_DAYS_PER_REQUEST):
            chunk = days[start:start + MAX_DAYS_PER_REQUEST]
            answer = self.retry(lambda: self.transport.post(self.path, {"days": chunk}))
            mismatched.extend(str(day) for day in answer.get("mismatched", []))
        return len(days), sorted(set(mismatched))

    def reconcile(self) -> ReconcileResult:
        count, mismatched = self.mismatched_days()
        requeued = self.port.requeue_days(mismatched) if mismatched else 0
        return ReconcileResult(days=count, mismatched=mismatched, requeued=requeued)
