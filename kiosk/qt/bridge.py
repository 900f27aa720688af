"""The UI's only way to the store and devices: one-shot actions as operations, events as signals.

Each worker lives on a thread of its own: the store, the printer, sync and the rating check in
QThreads running the operations posted to them (kiosk/qt/operations.py), the card reader in its
polling thread (see kiosk/qt/card_worker.py). An action the UI starts is a `WorkerOp` from one of
the methods below:

    bridge.issue_ticket(request).success(on_ticket_issued).failure(on_issue_failed).run_in_background()

What happens on its own stays a signal of the worker that saw it: a card laid or removed, the
printer's status, the queue's periodic refresh, sync progress. Device faults reported by a device
worker are recorded as events by the store worker (worker to worker, never through a screen).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.qt import printer_ops, rating_check, store_ops
from kiosk.qt.operations import WorkerOp
from kiosk.qt.threads import WorkerThread

PRINT_FAULT_EVENTS = {"paper_out": "paper_out"}


class KioskBridge(QObject):
    shutdown_requested = Signal()  # the workers close their store or device on their own threads

    def __init__(self, store_worker, printer_worker, card_worker, sync_worker=None, rating_checker=None):
        super().__init__()
        self.store = store_worker
        self.printer = printer_worker
        self.card = card_worker
        self.sync = sync_worker
        self.rating_checker = rating_checker
        workers = {"kiosk-store": store_worker, "kiosk-printer": printer_worker}
        if sync_worker is not None:
            workers["kiosk-sync"] = sync_worker
        if rating_checker is not None:
            workers["kiosk-rating-check"] = rating_checker
        self._threads = [WorkerThread(worker, name) for name, worker in workers.items()]
        for worker_thread in self._threads:
            worker_thread.thread.started.connect(worker_thread.worker.open)
            self.shutdown_requested.connect(worker_thread.worker.close, Qt.ConnectionType.BlockingQueuedConnection)
        if sync_worker is not None:
            store_worker.ticket_issued.connect(sync_worker.schedule_soon)
            store_worker.event_recorded.connect(sync_worker.schedule_soon)
            store_worker.rating_saved.connect(sync_worker.schedule_soon)
            sync_worker.station_queue_fetched.connect(store_worker.look_at_queue)
            sync_worker.sync_finished.connect(self.refresh_printer_status)  # fresh for the next heartbeat
            sync_worker.sync_finished.connect(store_worker.reload_catalogue)
        printer_worker.print_failed.connect(self.on_print_failed)
        printer_worker.paper_low.connect(self.on_paper_low)
        card_worker.reader_failed.connect(self.on_reader_failed)
        card_worker.reader_ready.connect(self.on_reader_ready)
        self._running = False

    # -- one-shot actions: each a WorkerOp on the worker that owns what it needs ------------------

    def issue_ticket(self, request) -> WorkerOp:
        return WorkerOp(self.store, store_ops.issue(request))

    def rate(self, request) -> WorkerOp:
        return WorkerOp(self.store, store_ops.rate(request))

    def check_rating(self, number: str, business_date: str, holder: dict) -> WorkerOp:
        """Ask the sync server whether this holder may rate today's ticket with this number; it fails
        (kind not_enrolled) on a kiosk without a sync server."""
        if self.rating_checker is None:
            return WorkerOp(self.store, store_ops.no_server())
        return WorkerOp(self.rating_checker, rating_check.check(number, business_date, holder))

    def check_rating_locally(self, number: str, holder: dict) -> WorkerOp:
        """The same rule, as far as the kiosk's own store knows the ticket (when the server cannot answer)."""
        return WorkerOp(self.store, store_ops.check_rating_locally(number, holder))

    def resident_tickets(self, id_digest: str, id_masked: str) -> WorkerOp:
        return WorkerOp(self.store, store_ops.resident_tickets(id_digest, id_masked))

    def technician_status(self) -> WorkerOp:
        return WorkerOp(self.store, store_ops.technician_status())

    def print_ticket(self, ticket_id: str, slip) -> WorkerOp:
        return WorkerOp(self.printer, printer_ops.print_ticket(ticket_id, slip))

    def print_guide(self, code: str, fields: dict) -> WorkerOp:
        return WorkerOp(self.printer, printer_ops.print_guide(code, fields))

    def test_print(self) -> None:
        WorkerOp(self.printer, printer_ops.print_test()).run_in_background()

    def record_event(self, event_type: str, detail: dict) -> None:
        WorkerOp(self.store, store_ops.record_event(event_type, detail)).run_in_background()

    def refresh_queue(self) -> None:
        """Look at what the counters changed now, not at the next tick (results: the queue's signals)."""
        WorkerOp(self.store, store_ops.look_at_queue()).run_in_background()

    def sync_now(self) -> None:
        """A sync run now (results: the sync worker's signals); nothing without a sync worker."""
        if self.sync is not None:
            WorkerOp(self.sync, lambda worker: worker.sync_now()).run_in_background()

    def read_printer_status(self) -> WorkerOp:
        return WorkerOp(self.printer, printer_ops.read_status())

    @Slot(dict)
    def refresh_printer_status(self, _summary: dict) -> None:
        """After a sync run: the printer asked on its own thread (the heartbeat reports what it says)."""
        self.read_printer_status().run_in_background()

    def simulate_card(self, action: str, card: str) -> None:
        """Demo only: place or remove a sample card on a simulated reader (safe from any thread)."""
        self.card.simulate(action, card)

    def simulate_paper(self, paper: str) -> None:
        """Demo only: ok | near_end | out on a simulated printer."""
        WorkerOp(self.printer, printer_ops.simulate_paper(paper)).run_in_background()

    # -- device faults become events (slots of this object: they run on the UI thread) -----------

    @Slot(str, str)
    def on_print_failed(self, ticket_id: str, reason: str) -> None:
        event_type = PRINT_FAULT_EVENTS.get(reason, "device_fault")
        self.record_event(event_type, {"device": "printer", "reason": reason, "ticket_id": ticket_id})

    @Slot()
    def on_paper_low(self) -> None:
        self.record_event("paper_low", {"device": "printer"})

    @Slot(str, str)
    def on_reader_failed(self, kind: str, _detail: str) -> None:
        if kind != "card_read_failed":  # a resident's card misread is not a device fault
            self.record_event("device_fault", {"device": "idcard", "reason": kind})

    @Slot()
    def on_reader_ready(self) -> None:
        self.record_event("device_recovered", {"device": "idcard"})

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
