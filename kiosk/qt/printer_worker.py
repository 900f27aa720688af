"""The printer worker: owns the receipt printer on its own thread.

Before each ticket it reads the real status; a printer that is not ready never loses the ticket:
`print_failed` tells the UI to show the ticket large on screen instead.
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


def not_ready_reason(status) -> str:
    if status.online is None and status.paper == "unknown":
        return "no_answer"
    if status.cover_open:
        return "cover_open"
    if status.paper == "out":
        return "paper_out"
    if status.online is False:
        return "offline"
    return "not_ready"


class PrinterWorker(QObject):
    printer_status_changed = Signal(object)  # PrinterStatus
    ticket_printed = Signal(str)  # ticket_id
    print_failed = Signal(str, str)  # ticket_id, reason
    paper_low = Signal()
    guide_printed = Signal(str)  # service code
    guide_print_failed = Signal(str, str)  # service code, reason

    def __init__(self, open_printer: Callable[[], object]):
        super().__init__()
        self._open_printer = open_printer
        self._printer = None
        self._paper_low_reported = False

    def _ensure_printer(self):
        if self._printer is None:
            self._printer = self._open_printer()
            self._printer.open()
        return self._printer

    @Slot()
    def open(self) -> None:
        try:
            status = self._ensure_printer().status()
        except Exception as exc:
            log.warning("printer not available: %s", exc)
            return
        self.printer_status_changed.emit(status)

    @Slot(str, object)
    def print_ticket(self, ticket_id: str, slip) -> None:
        from drivers.printer.receipts import ticket_receipt

        try:
            printer = self._ensure_printer()
            status = printer.status()
            self.printer_status_changed.emit(status)
            if not status.ready:
                self.print_failed.emit(ticket_id, not_ready_reason(status))
                return
            if status.paper == "near_end" and not self._paper_low_reported:
                self._paper_low_reported = True
                self.paper_low.emit()
            printer.print_document(ticket_receipt(slip))
        except Exception as exc:
            log.warning("ticket %s not printed: %s", ticket_id, exc)
            self._drop_printer()
            self.print_failed.emit(ticket_id, "failed")
            return
        self.ticket_printed.emit(ticket_id)

    @Slot(str, dict)
    def print_guide(self, code: str, fields: dict) -> None:
        """A printed 办事指南 (一次告知): the full materials list, for the resident to take home."""
        from drivers.printer.receipts import guide_receipt

        try:
            printer = self._ensure_printer()
            status = printer.status()
            self.printer_status_changed.emit(status)
            if not status.ready:
                self.guide_print_failed.emit(code, not_ready_reason(status))
                return
            printer.print_document(guide_receipt(**fields))
        except Exception as exc:
            log.warning("guide %s not printed: %s", code, exc)
            self._drop_printer()
            self.guide_print_failed.emit(code, "failed")
            return
        self.guide_printed.emit(code)

    @Slot()
    def print_test(self) -> None:
        """The technician's test print: a sample ticket with 打印测试 and a QR code."""
        from drivers.printer.receipts import test_receipt

        try:
            printer = self._ensure_printer()
            status = printer.status()
            self.printer_status_changed.emit(status)
            if status.ready:
                printer.print_document(test_receipt())
        except Exception as exc:
            log.warning("test print failed: %s", exc)
            self._drop_printer()

    @Slot(str)
    def simulate_paper(self, paper: str) -> None:
        """Demo only: set the simulated printer's paper state."""
        setter = getattr(self._ensure_printer(), "set_status", None)
        if setter is not None:
            setter(paper=paper)

    def _drop_printer(self) -> None:
        if self._printer is not None:
            try:
                self._printer.close()
            except Exception as exc:
                log.debug("printer close failed: %s", exc)
            self._printer = None

    @Slot()
    def close(self) -> None:
        self._drop_printer()
