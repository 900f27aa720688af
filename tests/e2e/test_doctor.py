"""`kiosk doctor` as a technician runs it: a real pty reader simulator and a real TCP printer."""

import json
import os
import subprocess
import sys
import time

import pytest

from kiosk_process import KIOSK, PROJECT, run_kiosk
from drivers.printer.simulator import SimulatedNetworkPrinter


@pytest.fixture
def reader_sim(tmp_path):
    """The byte-exact reader simulator in its own process, a card placed on it."""
    link = tmp_path / "ttyIDCARD"
    proc = subprocess.Popen([sys.executable, "-m", "drivers.idcard.simulator", "--link", str(link),
                             "--card", "resident"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=PROJECT)
    deadline = time.monotonic() + 10
    while not link.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield link, proc
    proc.stdin.close()
    proc.terminate()
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()


def test_doctor_idcard_reads_a_card_masked_by_default(kiosk_env, reader_sim):
    link, _ = reader_sim
    result = run_kiosk(kiosk_env, "doctor", "idcard", "--port", str(link), "--timeout", "5", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["card_type"] == "resident" and report["gender"] == "男" and report["nation"] == "汉"
    assert report["birth_date"] == "1950-03-12" and report["valid_to"] == "长期"
    assert report["id_number_valid"] is True and "*" in report["id_number"] and "*" in report["name"]


def test_doctor_idcard_missing_port_exits_4_without_traceback(kiosk_env, tmp_path):
    result = run_kiosk(kiosk_env, "doctor", "idcard", "--port", str(tmp_path / "nothing"), "--timeout", "1", "--json")
    assert result.returncode == 4 and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["error"] == "port_unavailable"


@pytest.mark.parametrize("status, code, printed", [
    ({}, 0, True),
    ({"paper": "near_end"}, 0, True),
    ({"paper": "out"}, 5, False),
    ({"cover_open": True}, 5, False),
])
def test_doctor_printer_against_a_tcp_printer(kiosk_env, status, code, printed):
    printer = SimulatedNetworkPrinter(**status)
    printer.start()
    try:
        result = run_kiosk(kiosk_env, "doctor", "printer", "--printer", printer.url, "--test-print", "--json")
        received = printer.received
    finally:
        printer.stop()
    report = json.loads(result.stdout)
    assert result.returncode == code and report["printed"] is printed
    assert ("打印测试".encode("gb18030") in received) is printed


def test_doctor_printer_that_never_answers_is_reported_within_3_seconds(kiosk_env):
    printer = SimulatedNetworkPrinter(silent=True)
    printer.start()
    try:
        started = time.monotonic()
        result = run_kiosk(kiosk_env, "doctor", "printer", "--printer", printer.url, "--json")
        elapsed = time.monotonic() - started
    finally:
        printer.stop()
    assert result.returncode == 5 and json.loads(result.stdout)["paper"] == "unknown"
    assert elapsed < 3.0 + 1.5  # the 3 s budget plus the interpreter's start-up


def test_idcard_doctor_reads_as_text_and_sim_lays_a_sample_card(kiosk_env):
    result = run_kiosk(kiosk_env, "doctor", "idcard", "--port", "sim://", "--timeout", "5")
    assert result.returncode == 0, result.stderr
    assert "sample card is laid" in result.stdout and "ready, card read" in result.stdout
    assert "王**" in result.stdout and "王建国" not in result.stdout and "********" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_idcard_doctor_text_says_what_to_do(kiosk_env, tmp_path):
    result = run_kiosk(kiosk_env, "doctor", "idcard", "--port", str(tmp_path / "nothing"), "--timeout", "1")
    assert result.returncode == 4 and "the port cannot be opened" in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


def test_printer_doctor_on_sim_saves_the_test_receipt_as_a_picture(kiosk_env):
    result = run_kiosk(kiosk_env, "doctor", "printer", "--printer", "sim://", "--test-print", "--json")
    assert result.returncode == 0, result.stderr
    image = json.loads(result.stdout)["image"]
    assert image.endswith(".png") and os.path.getsize(image) > 1000
    text = run_kiosk(kiosk_env, "doctor", "printer", "--printer", "sim://?paper=out")
    assert text.returncode == 5 and "out of paper" in text.stdout, text.stdout
