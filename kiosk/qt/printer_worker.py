"""The printer worker: owns the receipt printer on its own thread and runs the print operations.

Before each print it reads the real status; a printer that is not ready never loses the ticket:
the operation fails with the reason and the UI shows the ticket large on screen instead.
`print_failed` also tells the store worker's fault log (through the bridge) about each ticket not
printed; `printer_status_changed` and `paper_low` are the printer's own events.
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import Signal, Slot

from kiosk.qt.operations import OperationWorker

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


class NotPrinted(Exception):
    """A print operation's failure; `kind` is the reason the screens word (paper_out, failed, ...)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class PrinterWorker(OperationWorker):
    printer_status_changed = Signal(object)  # PrinterStatus
    print_failed = Signal(str, str)  # ticket_id, reason: a ticket the printer did not print
    paper_low = Signal()
    default_failure_kind = "failed"

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

    def read_status(self):
        """Ask the printer now (home warns before a number is taken); None when it cannot answer."""
        try:
            status = self._ensure_printer().status()
        except Exception as exc:
            log.info("printer status not read: %s", exc)
            return None
        self.printer_status_changed.emit(status)
        return status

    def print_document(self, document, what: str, *, report_paper_low: bool = False) -> None:
        """Print when the printer is ready; else raise NotPrinted with the reason."""
        try:
            printer = self._ensure_printer()
            status = printer.status()
            self.printer_status_changed.emit(status)
            if not status.ready:
                raise NotPrinted(not_ready_reason(status))
            if report_paper_low and status.paper == "near_end" and not self._paper_low_reported:
                self._paper_low_reported = True
                self.paper_low.emit()
            printer.print_document(document())
        except NotPrinted:
            raise
        except Exception as exc:
            log.warning("%s not printed: %s", what, exc)
            self._drop_printer()
            raise NotPrinted("failed") from exc

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
