"""The sync worker after local writes: a ticket is pushed within a second, a burst of writes shares
a few runs, and after each good run the station's queue view is fetched on the worker's thread."""

import time

from PySide6.QtCore import QObject, Qt, QThread, Signal

from kiosk.qt.sync_worker import SyncWorker
from kiosk.qt.threads import WorkerThread


class CountingRunner:
    """Stands in for the sync runner: records when each run began and on which thread."""

    def __init__(self, seconds: float = 0.03):
        self.starts: list[float] = []
        self.threads: set[str] = set()
        self.seconds = seconds

    def run(self, progress=None):
        self.starts.append(time.monotonic())
        self.threads.add(QThread.currentThread().objectName())
        time.sleep(self.seconds)
        return {"acked": 1, "pending": 0}


class Writes(QObject):
    written = Signal()
    close_requested = Signal()


def started(worker):
    writes = Writes()
    thread = WorkerThread(worker, "kiosk-sync")
    thread.thread.started.connect(worker.open)
    writes.written.connect(worker.schedule_soon)
    writes.close_requested.connect(worker.close, Qt.ConnectionType.BlockingQueuedConnection)
    thread.start()
    return writes, thread


def stop(writes, thread):
    writes.close_requested.emit()
    assert thread.stop()


def test_one_write_is_pushed_at_once_and_a_burst_shares_few_runs(qtbot):
    runner = CountingRunner()
    worker = SyncWorker(lambda: runner, interval_s=3600, first_delay_ms=60_000)
    writes, thread = started(worker)
    try:
        qtbot.wait(100)
        first = time.monotonic()
        writes.written.emit()
        qtbot.waitUntil(lambda: len(runner.starts) == 1, timeout=2000)
        assert runner.starts[0] - first < 0.5  # a ticket reaches the station within a second
        qtbot.wait(500)
        burst = time.monotonic()
        for _ in range(20):  # twenty writes in one second
            last = time.monotonic()
            writes.written.emit()
            qtbot.wait(50)
        qtbot.wait(1000)
        runs = [s for s in runner.starts if s >= burst]
        allowed = (last - burst) / 0.4 + 2  # a run per burst gap at most (four for the one second)
        assert 1 <= len(runs) <= allowed, f"{len(runs)} runs for a burst of {last - burst:.2f} s"
        assert 0 <= max(runs) - last < 1.0  # the last write is pushed within a second too
        assert all(b - a >= 0.3 for a, b in zip(runs, runs[1:]))  # runs of one burst keep their distance
    finally:
        stop(writes, thread)
    assert runner.threads == {"kiosk-sync"}


def test_after_each_good_run_the_station_view_is_fetched_on_the_workers_thread(qtbot):
    runner = CountingRunner(seconds=0)
    fetched: list[str] = []

    def after_run(given):
        assert given is runner
        fetched.append(QThread.currentThread().objectName())
        if len(fetched) == 2:
            raise OSError("the station's queue view is not there this time")

    worker = SyncWorker(lambda: runner, interval_s=3600, first_delay_ms=10, after_run=after_run)
    told, failed = [], []
    worker.station_queue_fetched.connect(lambda: told.append(1), Qt.ConnectionType.DirectConnection)
    worker.sync_failed.connect(lambda kind, detail: failed.append(kind), Qt.ConnectionType.DirectConnection)
    writes, thread = started(worker)
    try:
        qtbot.waitUntil(lambda: len(fetched) == 1, timeout=3000)
        writes.written.emit()
        qtbot.waitUntil(lambda: len(fetched) == 2, timeout=3000)
        writes.written.emit()
        qtbot.waitUntil(lambda: len(fetched) == 3, timeout=3000)
        qtbot.wait(50)
    finally:
        stop(writes, thread)
    assert fetched == ["kiosk-sync"] * 3 and len(runner.starts) == 3
    assert len(told) == 2 and failed == []  # a view that could not be fetched never fails the sync


class OfflineAfterFirst(CountingRunner):
    """A good first run (behind a station), then the LAN goes: every run fails as offline."""

    def run(self, progress=None):
        from sync.client.transport import Unreachable

        self.starts.append(time.monotonic())
        if len(self.starts) > 1:
            raise Unreachable("station: connection refused")
        return {"acked": 1, "pending": 0}


class SlowBackoff:
    def delay(self, attempt, retry_after=None):
        return 60.0  # what a long back-off would wait


def test_behind_a_station_an_offline_kiosk_tries_again_every_two_seconds(qtbot):
    runner = OfflineAfterFirst(seconds=0)
    worker = SyncWorker(lambda: runner, interval_s=3600, first_delay_ms=10, backoff=SlowBackoff(),
                        after_run=lambda _runner: {"station_id": "yt-xiaozhai"})
    writes, thread = started(worker)
    try:
        qtbot.waitUntil(lambda: len(runner.starts) == 1, timeout=3000)
        writes.written.emit()
        qtbot.waitUntil(lambda: len(runner.starts) == 4, timeout=8000)  # not 60 s apart: every 2 s
    finally:
        stop(writes, thread)
    assert all(1.5 < b - a < 3.0 for a, b in zip(runner.starts[2:], runner.starts[3:]))


def test_without_a_station_the_back_off_is_kept(qtbot):
    runner = OfflineAfterFirst(seconds=0)
    worker = SyncWorker(lambda: runner, interval_s=3600, first_delay_ms=10, backoff=SlowBackoff(),
                        after_run=lambda _runner: None)
    writes, thread = started(worker)
    try:
        qtbot.waitUntil(lambda: len(runner.starts) == 1, timeout=3000)
        writes.written.emit()
        qtbot.waitUntil(lambda: len(runner.starts) == 2, timeout=3000)
        qtbot.wait(3000)
    finally:
        stop(writes, thread)
    assert len(runner.starts) == 2  # the district is not hammered every 2 s
