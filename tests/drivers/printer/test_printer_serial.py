"""The serial transport (pyserial) against a printer on a pseudo-terminal."""

import time

import pytest

from drivers.printer import Document, PrinterStatus, open_printer
from drivers.printer.encoder import encode
from drivers.printer.simulator import PtyPrinter


@pytest.fixture
def pty_printer():
    sim = PtyPrinter().start()
    yield sim
    sim.stop()


def test_status_over_serial(pty_printer):
    pty_printer.set_status(paper="near_end")
    with open_printer(pty_printer.url()) as printer:
        assert printer.status() == PrinterStatus(True, "near_end", False, False)


def test_silent_serial_printer_is_unknown_quickly(pty_printer):
    pty_printer.set_status(silent=True)
    start = time.monotonic()
    with open_printer(pty_printer.url(), status_timeout=0.3) as printer:
        assert printer.status() == PrinterStatus.unknown()
    assert time.monotonic() - start < 1.0


def test_print_over_serial(pty_printer):
    doc = Document().text("社会保障卡申领").qr("https://k.example/t/A017").cut()
    with open_printer(pty_printer.url()) as printer:
        assert printer.print_document(doc) == len(encode(doc))
    deadline = time.monotonic() + 2
    while bytes(pty_printer.printed) != encode(doc) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert bytes(pty_printer.printed) == encode(doc)


def test_missing_serial_device_is_offline():
    printer = open_printer("serial:///dev/does-not-exist-printer?baudrate=115200")
    assert printer.status() == PrinterStatus.unreachable()
