"""Receipt printer driver: documents, ESC/POS encoding, connections, status, simulators.

python-escpos is imported only when a usb:// printer is opened.
"""

from .document import Document
from .encoder import encode
from .errors import PrinterError, PrinterOffline, PrinterTimeout, PrintFailed
from .printer import Printer, SimPrinter, open_printer
from .receipts import TicketSlipFields, guide_receipt, test_receipt, ticket_receipt
from .status import PrinterStatus, query_status

__all__ = [
    "Document", "PrintFailed", "Printer", "PrinterError", "PrinterOffline", "PrinterStatus",
    "PrinterTimeout", "SimPrinter", "TicketSlipFields", "encode", "guide_receipt", "open_printer",
    "query_status", "test_receipt", "ticket_receipt",
]
