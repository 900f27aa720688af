"""Print operations, run on the printer worker's thread (`WorkerOp(bridge.printer, op)`).

Each fails with `NotPrinted(reason)`: no_answer, cover_open, paper_out, offline, not_ready or failed.
"""

from __future__ import annotations

from kiosk.qt.printer_worker import NotPrinted


def print_ticket(ticket_id: str, slip):
    """The resident's ticket; the result is the ticket id."""
    def op(worker):
        from drivers.printer.receipts import ticket_receipt

        try:
            worker.print_document(lambda: ticket_receipt(slip), f"ticket {ticket_id}", report_paper_low=True)
        except NotPrinted as exc:
            worker.print_failed.emit(ticket_id, exc.kind)
            raise
        return ticket_id
    return op


def print_guide(code: str, fields: dict):
    """A printed 办事指南 (一次告知): the full materials list; the result is the service code."""
    def op(worker):
        from drivers.printer.receipts import guide_receipt

        worker.print_document(lambda: guide_receipt(**fields), f"guide {code}")
        return code
    return op


def print_test():
    """The technician's test print: a sample ticket with 打印测试 and a QR code."""
    def op(worker):
        from drivers.printer.receipts import test_receipt

        worker.print_document(test_receipt, "test print")
    return op


def read_status():
    """The printer's status now (also told through printer_status_changed); None without a printer."""
    def op(worker):
        return worker.read_status()
    return op


def simulate_paper(paper: str):
    """Demo only: set the simulated printer's paper state."""
    def op(worker):
        worker.simulate_paper(paper)
    return op
