"""One sync run: push the outbox, pull the changes, and (nightly) reconcile, then purge what the
retention period no longer keeps.

One worker per kiosk: a run holds an exclusive lock on a file in the data directory, so the
timer, `kiosk sync` and the nightly job never run at once.
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from sync.client.backoff import Backoff, Retrier
from sync.client.port import SyncPort
from sync.client.pull import Puller
from sync.client.push import MAX_OPS, Progress, Pusher, PushResult
from sync.client.reconcile import Reconciler, retention_start
from sync.client.transport import TRANSIENT, Transport, TransportError


class SyncBusy(Exception):
    """Another sync run of this kiosk holds the lock."""

    kind = "busy"


class NotEnrolled(Exception):
    kind = "not_enrolled"


class SyncLock:
    """An exclusive, non-blocking flock; released when closed or when the process dies."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SyncBusy(f"another sync run holds {self.path}") from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "SyncLock":
        self.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


@dataclass(frozen=True)
class RunOptions:
    """`retention_days`: acked ops older than this are purged with the personal data they carried,
    after the nightly reconciliation, which claims only the days inside it; None keeps everything.
    `today`: the kiosk's local date (the date part of the ops' created_at)."""

    app_version: str = "0"
    max_attempts: int = 8
    batch_ops: int = MAX_OPS
    page_limit: int = 500
    retention_days: int | None = None
    today: Callable[[], date] = date.today


class SyncRunner:
    def __init__(self, port: SyncPort, transport: Transport, *, lock_path: Path,
                 backoff: Backoff | None = None, sleep: Callable[[float], None] = time.sleep,
                 options: RunOptions = RunOptions(), should_stop: Callable[[], bool] = lambda: False):
        self.port = port
        self.transport = transport
        self.lock = SyncLock(lock_path)
        self.options = options
        self.should_stop = should_stop
        self.retry = Retrier(backoff or Backoff(), transient=TRANSIENT, sleep=sleep,
                             max_attempts=options.max_attempts, should_stop=should_stop)

    def run(self, *, reconcile: bool = False, progress: Progress | None = None) -> dict[str, Any]:
        """One run; raises SyncBusy, or a TransportError once the retries of one request are spent.

        With `reconcile` (the nightly run) the retention purge follows, also when the server could
        not be reached: a kiosk offline for weeks must still forget what the district already holds.
        """
        started = time.monotonic()
        since = retention_start(self.options.today(), self.options.retention_days)
        with self.lock:
            try:
                summary = self._exchange(reconcile, since, progress)
            except TransportError:
                if reconcile:
                    self._purge(since)
                raise
            if reconcile:
                summary["purged"] = self._purge(since)
            summary["pending"] = self.port.pending_count()
            summary["dead_letters"] = len(self.port.dead_letters())
            summary["retries"] = self.retry.failures
            summary["clock_offset_s"] = round(self.transport.offset.seconds or 0.0, 1)
            summary["seconds"] = round(time.monotonic() - started, 3)
            return summary

    def _push(self, progress: Progress | None) -> PushResult:
        return Pusher(self.port, self.transport, app_version=self.options.app_version, retry=self.retry,
                      max_ops=self.options.batch_ops).push_all(progress, self.should_stop)

    def _exchange(self, reconcile: bool, since: str, progress: Progress | None) -> dict[str, Any]:
        """Push, pull, and with `reconcile` compare the days from `since` on and re-send those that differ."""
        pushed = self._push(progress)
        pulled = Puller(self.port, self.transport, retry=self.retry,
                        limit=self.options.page_limit).pull_all(self.should_stop)
        summary: dict[str, Any] = {
            "acked": pushed.acked, "duplicates": pushed.duplicates, "rejected": len(pushed.rejected),
            "batches": pushed.batches, "high_water": pushed.high_water, "pulled": pulled.changes,
            "snapshots": pulled.snapshots, "cursor": pulled.cursor,
        }
        if reconcile and not self.should_stop():
            reconciler = Reconciler(self.port, self.transport, retry=self.retry, since=since)
            first = reconciler.reconcile()
            summary.update(reconciled_since=since or None, reconciled_days=first.days, mismatched=first.mismatched,
                           requeued=first.requeued)
            if first.requeued:
                again = self._push(progress)
                summary["acked"] += again.acked
                summary["duplicates"] += again.duplicates
                summary["rejected"] += len(again.rejected)
                summary["still_mismatched"] = reconciler.mismatched_days()[1]
            else:
                summary["still_mismatched"] = first.mismatched
        return summary

    def _purge(self, since: str) -> dict[str, int]:
        """Forget the acked ops and personal data of the days before `since` (nothing without retention)."""
        return self.port.purge_before(since, self.should_stop) if since else {}


def build_runner(port: SyncPort, *, lock_path: Path, app_version: str, server_url: str | None = None,
                 clock: Callable[[], float] = time.time, ca_file: str = "", **kwargs: Any) -> SyncRunner:
    """A runner for the enrolled kiosk (server_url overrides the one stored at enrolment; ca_file:
    the station's own certificate, when the server is a station service on the LAN)."""
    enrolment = port.load_enrolment()
    if enrolment is None:
        raise NotEnrolled("this kiosk is not enrolled: run `kiosk setup --server URL --token TOKEN`")
    transport = Transport(server_url or enrolment.server_url, enrolment.kiosk_id, enrolment.secret, clock=clock,
                          ca_file=ca_file)
    options = kwargs.pop("options", RunOptions(app_version=app_version))
    return SyncRunner(port, transport, lock_path=lock_path, options=options, **kwargs)
