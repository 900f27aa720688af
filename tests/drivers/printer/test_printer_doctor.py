"""doctor_printer: what a technician sees, and that a printer not ready gets no test page."""

import json
import time

import pytest

from drivers.printer.doctor import doctor_printer, main
from drivers.printer.simulator import SimulatedNetworkPrinter


@pytest.fixture
def sim():
    server = SimulatedNetworkPrinter().start()
    yield server
    server.stop()


def test_ready_printer_prints_the_test_page(sim):
    result, code = doctor_printer(sim.url, test_print=True)
    assert code == 0
    assert result["online"] is True and result["paper"] == "ok" and result["cover_open"] is False
    assert result["printed"] is True and result["bytes"] > 0
    deadline = time.monotonic() + 2
    while "打印测试".encode("gb18030") not in sim.printed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "打印测试".encode("gb18030") in sim.printed


def test_ready_printer_without_test_print(sim):
    result, code = doctor_printer(sim.url)
    assert (code, result["printed"], result["bytes"]) == (0, False, 0)
    assert sim.printed == b""


def test_paper_out_gets_no_test_print(sim):
    sim.set_status(paper="out")
    result, code = doctor_printer(sim.url, test_print=True)
    assert code == 5
    assert result["paper"] == "out" and result["printed"] is False
    assert sim.printed == b""


def test_silent_printer_is_reported_within_3_seconds(sim):
    sim.set_status(silent=True)
    start = time.monotonic()
    result, code = doctor_printer(sim.url, test_print=True)
    assert time.monotonic() - start < 3.0
    assert code == 5
    assert result["online"] is False and result["paper"] == "unknown" and not result["printed"]


@pytest.mark.parametrize("url", ["bogus://x", "tcp://", "usb://zz", "sim://?paper=wet"])
def test_bad_urls_are_reported_not_raised(url):
    result, code = doctor_printer(url)
    assert code == 5 and result["error"]


def test_command_line_json(sim, capsys):
    assert main(["--printer", sim.url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["online"] is True


def test_command_line_on_sim_printer(capsys):
    assert main(["--printer", "sim://?paper=near_end", "--test-print"]) == 0
    assert "near_end" in capsys.readouterr().out
