"""The printer over real TCP against SimulatedNetworkPrinter."""

import time

import pytest

from drivers.printer import Document, PrinterOffline, PrinterStatus, PrintFailed, open_printer
from drivers.printer.encoder import encode
from drivers.printer.simulator import SimulatedNetworkPrinter

REQUESTS = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


@pytest.fixture
def sim():
    server = SimulatedNetworkPrinter().start()
    yield server
    server.stop()


@pytest.mark.parametrize("state,expected", [
    (dict(), PrinterStatus(True, "ok", False, False)),
    (dict(paper="near_end"), PrinterStatus(True, "near_end", False, False)),
    (dict(paper="out"), PrinterStatus(False, "out", False, False)),
    (dict(cover_open=True), PrinterStatus(False, "ok", True, False)),
    (dict(online=False), PrinterStatus(False, "ok", False, False)),
])
def test_status_cases(sim, state, expected):
    sim.set_status(**state)
    with open_printer(sim.url) as printer:
        st = printer.status()
    assert st == expected
    assert st.ready is (expected.online is True)


def test_silent_printer_is_unknown_within_3_seconds(sim):
    sim.set_status(silent=True)
    start = time.monotonic()
    with open_printer(sim.url) as printer:
        st = printer.status()
    assert time.monotonic() - start < 3.0
    assert st == PrinterStatus.unknown()


def test_nothing_listening_is_offline_quickly(sim):
    url = sim.url
    sim.stop()
    start = time.monotonic()
    printer = open_printer(url)
    assert printer.status() == PrinterStatus.unreachable()
    assert time.monotonic() - start < 3.0
    with pytest.raises(PrinterOffline):
        printer.print_document(Document().text("x"))
    printer.close()


def test_print_bytes_arrive_exactly(sim):
    doc = Document().text("小寨街道", align="center").qr("https://k.example/t/A017").cut()
    with open_printer(sim.url) as printer:
        sent = printer.print_document(doc)
    job = encode(doc)
    assert sent == len(job)
    deadline = time.monotonic() + 2
    while bytes(sim.printed) != job and time.monotonic() < deadline:
        time.sleep(0.01)
    assert bytes(sim.printed) == job
    assert bytes(sim.received) == REQUESTS + job + REQUESTS


def test_paper_out_printer_gets_no_job(sim):
    sim.set_status(paper="out")
    with open_printer(sim.url) as printer:
        with pytest.raises(PrinterOffline) as info:
            printer.print_document(Document().text("x"))
    assert info.value.status.paper == "out"
    assert bytes(sim.printed) == b""


def test_mid_job_drop_raises_print_failed(sim):
    doc = Document().text("x" * 40)
    for _ in range(30):
        doc.text("中文" * 10)
    job = encode(doc)
    assert len(job) > 1000
    sim.drop_after = len(REQUESTS) + 300
    with open_printer(sim.url) as printer:
        with pytest.raises(PrintFailed) as info:
            printer.print_document(doc)
        assert not printer.is_open
    assert 0 <= info.value.bytes_sent <= len(job)
    assert info.value.bytes_total == len(job)
    assert len(sim.received) == len(REQUESTS) + 300


def test_reconnects_after_the_printer_restarts_on_the_same_port():
    first = SimulatedNetworkPrinter().start()
    port = first.port
    printer = open_printer(first.url)
    try:
        assert printer.status().ready
        first.stop()
        assert printer.status() == PrinterStatus.unreachable()
        second = SimulatedNetworkPrinter(port=port).start()
        try:
            assert printer.status().ready
            assert printer.print_document(Document().text("again")) > 0
            assert second.connections == 1
        finally:
            second.stop()
    finally:
        printer.close()


def test_restart_between_calls_is_invisible_to_the_caller():
    first = SimulatedNetworkPrinter().start()
    port = first.port
    printer = open_printer(first.url).open()
    try:
        first.stop()
        second = SimulatedNetworkPrinter(port=port, paper="near_end").start()
        try:
            assert printer.status().paper == "near_end"
        finally:
            second.stop()
    finally:
        printer.close()


def test_status_request_bytes_inside_qr_data_are_not_answered(sim):
    doc = Document().qr("\x10\x04\x01" * 3)
    with open_printer(sim.url) as printer:
        printer.print_document(doc)
        assert printer.status().ready
