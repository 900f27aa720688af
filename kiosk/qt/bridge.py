"""The UI's only way to the store and devices: requests go out as signals, results come back as signals.

Each worker lives on a thread of its own: the store and the printer in QThreads waiting for
requests, the card reader in its polling thread (see kiosk/qt/card_worker.py). Device faults reported by a device worker are recorded
as events by the store worker (worker to worker, never through the UI).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.qt.threads import WorkerThread

PRINT_FAULT_EVENTS = {"paper_out": "paper_out"}


class KioskBridge(QObject):
    issue_requested = Signal(object)  # IssueRequest
    print_requested = Signal(str, object)  # ticket_id, TicketSlip
    event_requested = Signal(str, dict)  # type, detail
    simulate_card = Signal(str, str)  # demo: action, sample card key
    simulate_paper = Signal(str)  # demo: ok | near_end | out
    ticket_lookup_requested = Signal(str)  # number
    resident_tickets_requested = Signal(str, str)  # the card's keyed digest (or ""), masked number
    rating_requested = Signal(object)  # RatingRequest
    guide_print_requested = Signal(str, dict)  # service code, guide_receipt fields
    technician_status_requested = Signal()
    queue_refresh_requested = Signal()  # look at what the counters changed now, not at the next tick
    sync_requested = Signal()
    test_print_requested = Signal()
    shutdown_requested = Signal()

    def __init__(self, store_worker, printer_worker, card_worker, sync_worker=None):
        super().__init__()
        self.store = store_worker
        self.printer = printer_worker
        self.card = card_worker
        self.sync = sync_worker
        workers = {"kiosk-store": store_worker, "kiosk-printer": printer_worker}
        if sync_worker is not None:
            workers["kiosk-sync"] = sync_worker
        self._threads = [WorkerThread(worker, name) for name, worker in workers.items()]
        for worker_thread in self._threads:
            worker_thread.thread.started.connect(worker_thread.worker.open)
            self.shutdown_requested.connect(worker_thread.worker.close, Qt.ConnectionType.BlockingQueuedConnection)
        self.issue_requested.connect(store_worker.issue)
        self.print_requested.connect(printer_worker.print_ticket)
        self.event_requested.connect(store_worker.record_event)
        self.simulate_card.connect(card_worker.simulate, Qt.ConnectionType.DirectConnection)
        self.simulate_paper.connect(printer_worker.simulate_paper)
        self.ticket_lookup_requested.connect(store_worker.lookup_ticket)
        self.resident_tickets_requested.connect(store_worker.lookup_resident_tickets)
        self.rating_requested.connect(store_worker.rate)
        self.guide_print_requested.connect(printer_worker.print_guide)
        self.technician_status_requested.connect(store_worker.load_technician_status)
        self.queue_refresh_requested.connect(store_worker.look_at_queue)
        self.test_print_requested.connect(printer_worker.print_test)
        if sync_worker is not None:
            self.sync_requested.connect(sync_worker.sync_now)
            store_worker.ticket_issued.connect(sync_worker.schedule_soon)
            store_worker.event_recorded.connect(sync_worker.schedule_soon)
            store_worker.rating_saved.connect(sync_worker.schedule_soon)
        printer_worker.print_failed.connect(self._on_print_failed)
        printer_worker.paper_low.connect(lambda: self.event_requested.emit("paper_low", {"device": "printer"}))
        card_worker.reader_failed.connect(self._on_reader_failed)
        card_worker.reader_ready.connect(
            lambda: self.event_requested.emit("device_recovered", {"device": "idcard"}))
        self._running = False

    def _on_print_failed(self, ticket_id: str, reason: str) -> None:
        event_type = PRINT_FAULT_EVENTS.get(reason, "device_fault")
        self.event_requested.emit(event_type, {"device": "printer", "reason": reason, "ticket_id": ticket_id})

    def _on_reader_failed(self, kind: str, _detail: str) -> None:
        if kind != "card_read_failed":  # a resident's card misread is not a device fault
            self.event_requested.emit("device_fault", {"device": "idcard", "reason": kind})

    def start(self) -> None:
        for worker_thread in self._threads:
            worker_thread.start()
        self.card.start()
        self._running = True

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self.card.stop()
        self.shutdown_requested.emit()
        for worker_thread in self._threads:
            worker_thread.stop()
