"""One way to run a user action: an operation on its owning worker's thread, its result on the UI thread.

    WorkerOp(bridge.store, store_ops.issue(request)).success(self.on_ticket_issued) \
        .failure(self.on_issue_failed).run_in_background()

The operation is a small function called with the worker that owns the store or the device, on
that worker's thread. What it returns reaches `success(result)`; what it raises reaches
`failure(kind, detail)` as a typed kind (`kind_of`). Both are called on the thread that ran
`run_in_background()` (the UI thread), through queued signals: the UI thread never waits for the
worker, and a callback is never called on the worker's thread (Anki's `CollectionOp`). A result
that arrives after the QObject whose method the callback is has been deleted is dropped.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QThread, Qt, Signal, Slot

from kiosk.domain.errors import Kind, kind_of

log = logging.getLogger(__name__)

Operation = Callable[[Any], Any]


class _Delivery(QObject):
    """Lives on the calling thread; the worker emits its signals, Qt queues them here."""

    succeeded = Signal(object)
    failed = Signal(str, str)

    def __init__(self, on_success, on_failure, owner: QObject | None):
        super().__init__()
        self._on_success, self._on_failure = on_success, on_failure
        self._owner = owner
        self.succeeded.connect(self.on_succeeded, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self.on_failed, Qt.ConnectionType.QueuedConnection)

    def _owner_gone(self) -> bool:
        """The widget or flow that asked is deleted (the window closed): nobody to tell."""
        return self._owner is not None and not shiboken6.isValid(self._owner)

    @Slot(object)
    def on_succeeded(self, result) -> None:
        _in_flight.discard(self)
        if self._on_success is not None and not self._owner_gone():
            self._on_success(result)

    @Slot(str, str)
    def on_failed(self, kind: str, detail: str) -> None:
        _in_flight.discard(self)
        if self._on_failure is not None and not self._owner_gone():
            self._on_failure(kind, detail)


_in_flight: set[_Delivery] = set()  # deliveries whose result has not arrived yet


class _Task:
    __slots__ = ("op", "delivery", "default_kind")

    def __init__(self, op: Operation, delivery: _Delivery, default_kind: str):
        self.op, self.delivery, self.default_kind = op, delivery, default_kind


class OperationWorker(QObject):
    """A worker that runs operations on its own thread; subclasses own one store or device."""

    task_posted = Signal(object)  # _Task: emitted on the UI thread, received on the worker's
    default_failure_kind: str = Kind.INTERNAL_ERROR

    def __init__(self):
        super().__init__()
        self.task_posted.connect(self.on_task_posted, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def on_task_posted(self, task: _Task) -> None:
        assert QThread.currentThread() is self.thread(), "an operation ran off its worker's thread"
        try:
            result = task.op(self)
        except Exception as exc:
            kind = kind_of(exc, task.default_kind)
            log.info("operation failed: %s (%s)", kind, type(exc).__name__)
            if task.delivery is not None:
                task.delivery.failed.emit(kind, str(exc))
            return
        if task.delivery is not None:
            task.delivery.succeeded.emit(result)


def _owner_of(callback) -> QObject | None:
    """The QObject a callback is a method of (through a functools.partial), if any."""
    target = getattr(callback, "func", callback)
    owner = getattr(target, "__self__", None)
    return owner if isinstance(owner, QObject) else None


class WorkerOp:
    """An operation for `worker`, with what to do with its result on the calling thread."""

    def __init__(self, worker: OperationWorker, op: Operation):
        self._worker = worker
        self._op = op
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[str, str], None] | None = None

    def success(self, callback: Callable[[Any], None]) -> "WorkerOp":
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[str, str], None]) -> "WorkerOp":
        self._on_failure = callback
        return self

    def run_in_background(self) -> None:
        """Post the operation to the worker's thread; call from the UI thread (results come back to it)."""
        delivery = None
        if self._on_success is not None or self._on_failure is not None:
            owner = _owner_of(self._on_success) or _owner_of(self._on_failure)
            delivery = _Delivery(self._on_success, self._on_failure, owner)
            _in_flight.add(delivery)
        self._worker.task_posted.emit(_Task(self._op, delivery, self._worker.default_failure_kind))
