"""The sync worker on its own QThread: timer-driven and on-demand runs, signals to the UI thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, Signal

from kiosk.qt.sync_worker import SyncWorker
from kiosk.qt.threads import WorkerThread
from kiosk.store.sync_store import SqliteSyncStore
from sync.client.backoff import Backoff
from sync.client.runner import RunOptions, build_runner

from sync_client_support import fill_outbox, free_port

pytestmark = pytest.mark.slow


class Controls(QObject):
    sync_requested = Signal()
    close_requested = Signal()


def start_worker(worker: SyncWorker):
    controls = Controls()
    thread = WorkerThread(worker, "kiosk-sync")
    thread.thread.started.connect(worker.open)
    controls.sync_requested.connect(worker.sync_now)
    controls.close_requested.connect(worker.close, Qt.ConnectionType.BlockingQueuedConnection)
    thread.start()
    return controls, thread


def stop_worker(controls, thread) -> None:
    controls.close_requested.emit()
    assert thread.stop()


def runner_factory(tmp_path, server_url=None):
    def make():
        store = SqliteSyncStore.open(tmp_path / "kiosk" / "kiosk.sqlite3")
        return build_runner(store, lock_path=tmp_path / "sync.lock", app_version="1.0.0", server_url=server_url,
                            options=RunOptions(app_version="1.0.0", max_attempts=1))
    return make


def test_the_timer_runs_a_sync_and_progress_and_summary_reach_the_ui(qtbot, tmp_path, district, kiosk_store):
    fill_outbox(kiosk_store.db, 700, days=2)
    worker = SyncWorker(runner_factory(tmp_path), interval_s=3600, first_delay_ms=10)
    progress, online, finished = [], [], []
    worker.sync_progressed.connect(lambda done, total: progress.append((done, total)))
    worker.online_changed.connect(online.append)
    worker.sync_finished.connect(finished.append)
    controls, thread = start_worker(worker)  # signals come from the worker thread: collected, then awaited
    try:
        qtbot.waitUntil(lambda: len(finished) == 1, timeout=30000)
        assert finished[0]["acked"] == 700 and finished[0]["pending"] == 0
        assert online == [True]
        assert progress[0] == (0, 700) and progress[-1] == (700, 700)
        fill_outbox(kiosk_store.db, 3, days=1, first_day=__import__("datetime").date(2026, 12, 1))
        started = []
        worker.sync_started.connect(lambda: started.append(1))
        controls.sync_requested.emit()
        qtbot.waitUntil(lambda: len(finished) == 2, timeout=30000)
        assert started == [1] and finished[1]["acked"] == 3
    finally:
        stop_worker(controls, thread)
    assert kiosk_store.pending_count() == 0


def test_an_unreachable_server_is_reported_offline_and_retried_by_the_timer(qtbot, tmp_path, kiosk_store):
    dead = f"http://127.0.0.1:{free_port()}"
    worker = SyncWorker(runner_factory(tmp_path, dead), interval_s=3600, first_delay_ms=10,
                        backoff=Backoff(base=0.05, cap=0.1))
    failures, online = [], []
    worker.sync_failed.connect(lambda kind, detail: failures.append(kind))
    worker.online_changed.connect(online.append)
    controls, thread = start_worker(worker)
    try:
        qtbot.waitUntil(lambda: len(failures) >= 3, timeout=20000)  # the timer keeps retrying
    finally:
        stop_worker(controls, thread)
    assert set(failures) == {"offline"} and online == [False]


def test_a_kiosk_not_enrolled_says_so(qtbot, tmp_path):
    from sync.client.runner import NotEnrolled

    def make():
        raise NotEnrolled("this kiosk is not enrolled")

    worker = SyncWorker(make, interval_s=3600, first_delay_ms=10_000)
    failed = []
    worker.sync_failed.connect(lambda kind, detail: failed.append((kind, detail)))
    controls, thread = start_worker(worker)
    try:
        controls.sync_requested.emit()
        qtbot.waitUntil(lambda: len(failed) == 1, timeout=10000)
    finally:
        stop_worker(controls, thread)
    assert failed[0] == ("not_enrolled", "this kiosk is not enrolled")
