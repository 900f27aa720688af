"""Typed printer errors. Drivers raise these; screens decide what to tell the resident."""

from __future__ import annotations


class PrinterError(Exception):
    """Base of every error the printer driver raises. ``kind`` names the failure as the print
    worker reports it (``print_failed`` reasons): a plain string, never the resident's words."""

    kind = "failed"


class PrinterOffline(PrinterError):
    """The printer cannot be reached, or reports itself not ready (see ``status``)."""

    kind = "offline"

    def __init__(self, message: str, *, status=None):
        super().__init__(message)
        self.status = status


class PrinterTimeout(PrinterError):
    """The printer did not accept bytes or a connection within the time allowed."""

    kind = "no_answer"


class PrintFailed(PrinterError):
    """A job broke off part-way; ``bytes_sent`` of ``bytes_total`` had been handed over."""

    kind = "failed"

    def __init__(self, message: str, *, bytes_sent: int, bytes_total: int):
        super().__init__(f"{message} ({bytes_sent} of {bytes_total} bytes sent)")
        self.bytes_sent = bytes_sent
        self.bytes_total = bytes_total
