"""The one way to run a user action: WorkerOp posts an operation to its worker's thread and brings
the result, or the typed kind of what went wrong, back to the UI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject

from kiosk.domain.errors import Kind, KioskError
from kiosk.qt.operations import OperationWorker, WorkerOp
from kiosk.qt.threads import WorkerThread


class Full(KioskError):
    kind = Kind.NUMBERS_EXHAUSTED


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.results: list[tuple] = []

    def ok(self, value):
        self.results.append(("ok", value, threading.current_thread().name))

    def failed(self, kind, detail):
        self.results.append(("failed", kind, detail, threading.current_thread().name))


@pytest.fixture
def worker():
    worker = OperationWorker()
    thread = WorkerThread(worker, "test-op-worker")
    thread.start()
    yield worker
    assert thread.stop()


def on_worker_thread(worker):
    return lambda w: (w is worker, threading.current_thread().name != "MainThread")


def test_the_operation_runs_on_the_worker_and_its_result_reaches_the_ui_thread(qtbot, worker):
    receiver = Receiver()
    WorkerOp(worker, on_worker_thread(worker)).success(receiver.ok).failure(receiver.failed).run_in_background()
    qtbot.waitUntil(lambda: bool(receiver.results), timeout=5000)
    assert receiver.results == [("ok", (True, True), "MainThread")]


def test_a_kiosk_error_arrives_as_its_typed_kind(qtbot, worker):
    receiver = Receiver()

    def op(_worker):
        raise Full("A499 was the last number")

    WorkerOp(worker, op).success(receiver.ok).failure(receiver.failed).run_in_background()
    qtbot.waitUntil(lambda: bool(receiver.results), timeout=5000)
    assert receiver.results == [("failed", "numbers_exhausted", "A499 was the last number", "MainThread")]


def test_an_unexpected_error_arrives_as_the_workers_default_kind(qtbot, worker):
    receiver = Receiver()
    WorkerOp(worker, lambda _w: 1 / 0).success(receiver.ok).failure(receiver.failed).run_in_background()
    qtbot.waitUntil(lambda: bool(receiver.results), timeout=5000)
    assert receiver.results[0][:2] == ("failed", Kind.INTERNAL_ERROR)


def test_a_result_for_a_deleted_receiver_is_dropped(qtbot, worker):
    receiver = Receiver()
    gate = threading.Event()

    def op(_worker):
        gate.wait(5)
        return 42

    later = Receiver()
    WorkerOp(worker, op).success(receiver.ok).run_in_background()
    WorkerOp(worker, lambda _w: "after").success(later.ok).run_in_background()
    receiver.deleteLater()
    qtbot.wait(50)  # the deletion happens in the event loop
    gate.set()
    qtbot.waitUntil(lambda: bool(later.results), timeout=5000)
    assert later.results[0][1] == "after"
    assert receiver.results == []  # the Python side outlives the QObject: a call would have landed here
