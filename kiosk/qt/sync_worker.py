"""The sync worker: runs sync on its own QThread, on a timer, on demand and after local writes.

Results reach the UI as signals. A failed run is retried by the timer after a full-jitter back-off
(honouring Retry-After), so a failure never parks the queue until the next write.

A ticket must reach the station's counters within a second: a local write starts a run after
``debounce_ms`` (150 ms), and writes in a burst share runs: another write-started run waits until
``burst_gap_ms`` after the last one began. After each successful run ``after_run(runner)`` (the
station's queue view, kiosk/app.py) runs here on the worker's thread; `station_queue_fetched`
tells the store worker to look at it.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any, Callable

from PySide6.QtCore import QTimer, Signal, Slot

from kiosk.domain.errors import Kind, kind_of
from kiosk.qt.operations import OperationWorker
from sync.client.backoff import Backoff

log = logging.getLogger(__name__)

MIN_RETRY_MS = 100
STATION_RETRY_S = 2.0  # behind a station whose LAN is down: try again every 2 s, not with a long back-off
DEBOUNCE_MS = 150  # after a local write
BURST_GAP_MS = 400  # between the starts of two runs that local writes asked for


def failure_kind(exc: BaseException) -> str:
    """offline, server_busy, unauthorized, refused, cursor_gone, busy, not_enrolled or store_unavailable."""
    return kind_of(exc, Kind.STORE_UNAVAILABLE if isinstance(exc, sqlite3.Error) else Kind.INTERNAL_ERROR)


class SyncWorker(OperationWorker):
    sync_started = Signal()
    sync_progressed = Signal(int, int)  # done, total ops
    sync_finished = Signal(dict)  # summary of the run
    sync_failed = Signal(str, str)  # kind, detail
    online_changed = Signal(bool)
    station_queue_fetched = Signal()  # after_run kept the station's queue view (or forgot it)

    def __init__(self, make_runner: Callable[[], Any], interval_s: float, *, first_delay_ms: int = 2000,
                 debounce_ms: int = DEBOUNCE_MS, burst_gap_ms: int = BURST_GAP_MS, backoff: Backoff | None = None,
                 after_run: Callable[[Any], Any] | None = None):
        super().__init__()
        self._make_runner = make_runner
        self._interval_ms = int(interval_s * 1000)
        self._first_delay_ms = first_delay_ms
        self._debounce_ms = debounce_ms
        self._burst_gap_ms = burst_gap_ms
        self._after_run = after_run
        self._last_start: float | None = None  # monotonic seconds
        self._backoff = backoff or Backoff()
        self._behind_station = False  # the last good run found a station service (its queue view)
        self._runner: Any = None
        self._timer: QTimer | None = None
        self._failures = 0
        self._online: bool | None = None
        self._closed = False

    @Slot()
    def open(self) -> None:
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._timer.start(self._first_delay_ms)

    @Slot()
    def schedule_soon(self) -> None:
        """After a local write: sync within the debounce time, but no sooner than the burst gap after
        the last run began (writes in a burst share runs)."""
        if self._timer is None or self._closed:
            return
        delay = self._debounce_ms
        if self._last_start is not None:
            since_ms = (time.monotonic() - self._last_start) * 1000
            delay = max(delay, int(self._burst_gap_ms - since_ms))
        if not self._timer.isActive() or self._timer.remainingTime() > delay:
            self._timer.start(delay)

    @Slot()
    def sync_now(self) -> None:
        if self._closed:
            return
        if self._timer is not None:
            self._timer.stop()
        self.sync_started.emit()
        self._last_start = time.monotonic()
        try:
            if self._runner is None:
                self._runner = self._make_runner()
            summary = self._runner.run(progress=self.sync_progressed.emit)
        except Exception as exc:
            self._on_failure(exc)
            return
        self._failures = 0
        self._set_online(True)
        self.sync_finished.emit(summary)
        self._schedule(self._interval_ms)
        self._run_after()

    def _run_after(self) -> None:
        """The station's queue view after a good run; its failure never fails the sync."""
        if self._after_run is None:
            return
        try:
            view = self._after_run(self._runner)
        except Exception as exc:
            log.warning("station queue view not fetched: %s", exc)
            return
        if view is not None:
            self._behind_station = True
        self.station_queue_fetched.emit()

    def _on_failure(self, exc: Exception) -> None:
        kind = failure_kind(exc)
        detail = str(getattr(exc, "detail", None) or exc)
        log.warning("sync failed (%s): %s", kind, detail)
        if kind == "offline":
            self._set_online(False)
        elif kind in ("server_busy", "refused", "unauthorized", "cursor_gone"):
            self._set_online(True)
        if kind in ("store_unavailable", "internal_error"):
            self._drop_runner()  # reopened on the next run
        self.sync_failed.emit(kind, detail)
        delay_s = self._backoff.delay(self._failures, getattr(exc, "retry_after", None))
        if self._behind_station and kind == "offline":  # the station is on the LAN: back as soon as it is
            delay_s = min(delay_s, STATION_RETRY_S)
        self._failures += 1
        self._schedule(max(MIN_RETRY_MS, int(delay_s * 1000)))

    def _schedule(self, delay_ms: int) -> None:
        if self._timer is not None and not self._closed:
            self._timer.start(delay_ms)

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self.online_changed.emit(online)

    def _drop_runner(self) -> None:
        runner, self._runner = self._runner, None
        if runner is None:
            return
        for resource in (getattr(runner, "transport", None), getattr(runner, "port", None)):
            close = getattr(resource, "close", None)
            if close is not None:
                try:
                    close()
                except Exception as exc:
                    log.warning("sync resource not closed cleanly: %s", exc)

    @Slot()
    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.stop()
            self._timer.deleteLater()
            self._timer = None
        self._drop_runner()
