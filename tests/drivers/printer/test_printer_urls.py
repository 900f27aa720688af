"""open_printer URLs, the sim:// printer, file:// and usb://, and the lazy escpos import."""

import subprocess
import sys

import pytest

from drivers.printer import Document, PrinterOffline, PrinterStatus, open_printer
from drivers.printer.encoder import encode
from drivers.printer.printer import SimPrinter
from drivers.printer.receipts import test_receipt


def test_importing_the_driver_does_not_import_escpos():
    code = "import sys, drivers.printer, drivers.printer.doctor; print('escpos' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("url", [
    "ftp://x", "tcp:///nohost", "serial://", "usb://0416", "usb://xyz:1", "file://relative",
    "sim://?cover=ajar", "sim://?online=maybe",
])
def test_malformed_urls_raise_value_error(url):
    with pytest.raises(ValueError):
        open_printer(url)


def test_sim_printer_records_jobs_and_writes_files(tmp_path):
    printer = open_printer(f"sim://?dir={tmp_path}")
    assert isinstance(printer, SimPrinter)
    with printer:
        doc = test_receipt()
        n = printer.print_document(doc)
        printer.print_document(Document().text("second"))
    assert printer.jobs[0] == encode(doc) and n == len(encode(doc))
    assert (tmp_path / "0001.bin").read_bytes() == encode(doc)
    assert (tmp_path / "0001.png").stat().st_size > 1000
    assert (tmp_path / "0002.bin").exists()


def test_sim_printer_status_is_settable():
    printer = open_printer("sim://?paper=near_end&cover=closed&online=1")
    assert printer.status() == PrinterStatus(True, "near_end", False, False)
    printer.set_status(cover_open=True)
    assert printer.status().cover_open is True
    with pytest.raises(PrinterOffline):
        printer.print_document(Document().text("x"))
    assert printer.jobs == []
    printer.set_status(cover_open=False, paper="ok")
    assert printer.print_document(Document().text("x")) == len(encode(Document().text("x")))
    printer.close()


def test_sim_url_states():
    assert open_printer("sim://?paper=out").status().paper == "out"
    assert open_printer("sim://?cover=open").status().cover_open is True
    assert open_printer("sim://?online=0").status().online is False
    assert open_printer("sim://?silent=1", status_timeout=0.1).status() == PrinterStatus.unknown()


def test_sim_without_native_qr_sends_an_image():
    printer = open_printer("sim://", native_qr=False)
    printer.print_document(Document().qr("https://k.example"))
    assert b"\x1dv0\x00" in printer.jobs[0] and b"\x1d(k" not in printer.jobs[0]


def test_file_printer_writes_bytes_and_status_is_unknown(tmp_path):
    target = tmp_path / "lp0"
    target.touch()
    with open_printer(f"file://{target}") as printer:
        assert printer.status() == PrinterStatus.unknown()
        doc = Document().text("中文").cut()
        assert printer.print_document(doc) == len(encode(doc))
    assert target.read_bytes() == encode(doc)


def test_missing_file_device_is_offline(tmp_path):
    printer = open_printer(f"file://{tmp_path}/no/such/lp0")
    assert printer.status() == PrinterStatus.unreachable()
    with pytest.raises(PrinterOffline):
        printer.open()


def test_usb_printer_not_present_is_offline_and_root_logger_untouched():
    import logging

    before = list(logging.getLogger().handlers)
    printer = open_printer("usb://0416:5011")
    with pytest.raises(PrinterOffline):
        printer.open()
    assert printer.status() == PrinterStatus.unreachable()
    assert logging.getLogger().handlers == before


def test_sim_printer_files_are_private_whatever_the_umask(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        with open_printer(f"sim://?dir={tmp_path / 'printed'}") as printer:
            printer.print_document(test_receipt())
    finally:
        os.umask(old)
    folder = tmp_path / "printed"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    for name in ("0001.bin", "0001.png"):  # the picture is drawn by another process, done when closed
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
