"""The UI's only way to the store and devices: requests go out as signals, results come back as signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.qt.threads import WorkerThread


class KioskBridge(QObject):
    issue_requested = Signal(object)  # IssueRequest
    print_requested = Signal(str, object)  # ticket_id, TicketSlip
    shutdown_requested = Signal()

    def __init__(self, store_worker, printer_worker):
        super().__init__()
        self.store = store_worker
        self.printer = printer_worker
        self._threads = [WorkerThread(store_worker, "kiosk-store"), WorkerThread(printer_worker, "kiosk-printer")]
        self.issue_requested.connect(store_worker.issue)
        self.print_requested.connect(printer_worker.print_ticket)
        for worker in (store_worker, printer_worker):
            self.shutdown_requested.connect(worker.close, Qt.ConnectionType.BlockingQueuedConnection)
        self._threads[0].thread.started.connect(store_worker.open)
        self._threads[1].thread.started.connect(printer_worker.open)
        self._running = False

    def start(self) -> None:
        for worker_thread in self._threads:
            worker_thread.start()
        self._running = True

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self.shutdown_requested.emit()
        for worker_thread in self._threads:
            worker_thread.stop()
