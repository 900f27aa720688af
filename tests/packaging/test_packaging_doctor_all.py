"""`doctor_all`: real store, real reader simulator on a pty, real TCP printer, real HTTP server."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from drivers.idcard.simulator import ReaderSimulator
from drivers.printer.simulator import SimulatedNetworkPrinter
from kiosk.fieldsetup import doctor as diagnostics
from kiosk.config import PROJECT_DIR, parse
from kiosk.fieldsetup.doctor import EXIT_OK, EXIT_PROBLEMS, doctor_all

CATALOGUE = PROJECT_DIR / "assets" / "catalogue" / "yanta.json"


def make_config(tmp_path: Path, *, idcard="sim://", printer="sim://", server="", create_data_dir=True):
    data_dir = tmp_path / "data"
    if create_data_dir:
        data_dir.mkdir(exist_ok=True)
    return parse({"kiosk": {"id": "YT-XZ-02", "data_dir": str(data_dir), "check_opening_hours": False},
                  "devices": {"idcard": idcard, "printer": printer},
                  "catalogue": {"file": str(CATALOGUE)},
                  "sync": {"server": server}}, base=tmp_path, source=str(tmp_path / "kiosk.toml"))


def issue(config, count: int) -> list[dict]:
    from kiosk import app
    from kiosk.services.issue_ticket import IssueRequest, issue_ticket

    store = app.open_store(config)
    try:
        catalogue = store.catalogue()
        return [issue_ticket(store, catalogue, app.issue_policy(config), IssueRequest(service_code="SB-KSL"),
                             app.station_clock(config)).summary() for _ in range(count)]
    finally:
        store.close()


def record_events(config, events: list[tuple[str, dict]]) -> None:
    from kiosk import app

    store = app.open_store(config)
    try:
        for i, (kind, detail) in enumerate(events):
            store.record_event(kind, detail, datetime(2026, 11, 1, 8, 0, i, tzinfo=timezone.utc))
    finally:
        store.close()


def run_sql(config, sql: str, *params) -> None:
    import sqlite3

    db = sqlite3.connect(config.database_path)
    with db:
        db.execute(sql, params)
    db.close()


class Health(BaseHTTPRequestHandler):
    skew_s = 0.0
    status = 200

    def date_time_string(self, timestamp=None):
        return formatdate(datetime.now(timezone.utc).timestamp() + self.skew_s, usegmt=True)

    def do_HEAD(self):
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    """A district-server stand-in answering /v1/health with a chosen clock skew and status."""
    servers = []

    def start(skew_s: float = 0.0, status: int = 200) -> str:
        handler = type("SkewedHealth", (Health,), {"skew_s": skew_s, "status": status})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, name="health-server")
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in servers:
        server.shutdown()
        thread.join()
        server.server_close()


def test_a_healthy_kiosk_reports_no_problems_and_exits_0(tmp_path):
    report, code = doctor_all(make_config(tmp_path))
    assert (code, report["problems"]) == (EXIT_OK, [])
    assert report["clock"] is None
    assert report["devices"]["idcard"] == {"url": "sim://", "checked": False}
    assert report["devices"]["printer"]["ready"] is True
    assert report["disk"]["free_mb"] > 0 and report["disk"]["exists"] is True
    assert report["sync"] == {"pending": 0, "oldest_pending_age_s": None, "dead_letters": 0}
    assert report["store"]["exists"] is False and report["last_errors"] == []
    json.dumps(report)


def test_queue_length_and_age_of_the_oldest_unsent_op(tmp_path):
    config = make_config(tmp_path)
    issue(config, 3)
    later = datetime.now(timezone.utc) + timedelta(hours=2)
    report, code = doctor_all(config, now=later)
    assert report["sync"]["pending"] == 3
    assert 7200 - 60 <= report["sync"]["oldest_pending_age_s"] <= 7200 + 60
    assert report["store"]["revision"] == report["store"]["head"]
    assert code == EXIT_OK, report["problems"]


def test_a_queue_stuck_for_a_day_needs_a_technician_when_a_server_is_set(tmp_path, health_server):
    config = make_config(tmp_path, server=health_server())
    issue(config, 2)
    later = datetime.now(timezone.utc) + timedelta(hours=30)
    report, code = doctor_all(config, now=later)
    assert code == EXIT_PROBLEMS
    assert [p for p in report["problems"] if p.startswith("sync: 2 op(s) waiting")], report["problems"]


def test_dead_letters_are_counted_and_reported(tmp_path):
    config = make_config(tmp_path)
    issue(config, 3)
    run_sql(config, "UPDATE outbox SET state = 'rejected', reject_code = 'bad_payload' WHERE seq IN (1, 2)")
    report, code = doctor_all(config)
    assert report["sync"]["dead_letters"] == 2 and report["sync"]["pending"] == 1
    assert code == EXIT_PROBLEMS and any("2 dead letter(s)" in p for p in report["problems"])


def test_last_errors_are_the_ten_newest_device_and_sync_errors(tmp_path):
    config = make_config(tmp_path)
    events = [("device_fault", {"device": "printer", "reason": f"r{i}"}) for i in range(8)]
    events += [("paper_low", {"device": "printer"}), ("sync_error", {"kind": "unreachable"})]
    events += [("device_fault", {"device": "idcard", "reason": f"i{i}"}) for i in range(4)]
    record_events(config, events)
    report, _ = doctor_all(config)
    errors = report["last_errors"]
    assert len(errors) == 10
    assert {e["type"] for e in errors} == {"device_fault", "sync_error"}
    assert errors[0]["detail"] == {"device": "idcard", "reason": "i3"}
    assert errors == sorted(errors, key=lambda e: e["at"], reverse=True)


def test_ops_committed_by_a_running_kiosk_are_seen(tmp_path):
    from kiosk import app

    config = make_config(tmp_path)
    issue(config, 1)
    running = app.open_store(config)
    try:
        issue(config, 2)
        report, _ = doctor_all(config)
    finally:
        running.close()
    assert report["sync"]["pending"] == 3


def test_the_store_is_only_read(tmp_path):
    config = make_config(tmp_path)
    issue(config, 2)
    files = sorted(config.database_path.parent.glob("kiosk.sqlite3*"))
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    doctor_all(config)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(config.database_path.parent.glob("kiosk.sqlite3*"))}
    assert after == before


def test_a_store_behind_the_schema_head_asks_for_the_upgrade(tmp_path):
    config = make_config(tmp_path)
    issue(config, 1)
    run_sql(config, "UPDATE alembic_version SET version_num = '0000'")
    report, code = doctor_all(config)
    assert code == EXIT_PROBLEMS and any("run the upgrade" in p for p in report["problems"])


def test_a_missing_serial_reader_is_a_problem(tmp_path):
    config = make_config(tmp_path, idcard=f"serial://{tmp_path}/ttyNOREADER?baudrate=115200")
    report, code = doctor_all(config)
    assert code == EXIT_PROBLEMS
    assert report["devices"]["idcard"]["error"] == "port_unavailable"
    assert any(p.startswith(f"ID card reader {tmp_path}/ttyNOREADER: port_unavailable") for p in report["problems"])


def test_a_serial_reader_that_answers_is_ready_and_a_card_on_it_reveals_nothing(tmp_path):
    with ReaderSimulator("resident") as sim:
        config = make_config(tmp_path, idcard=f"serial://{sim.path}?baudrate=115200")
        with_card, code = doctor_all(config, idcard_timeout=3.0)
        sim.remove()
        without_card, _ = doctor_all(config, idcard_timeout=0.3)
    assert code == EXIT_OK, with_card["problems"]
    assert with_card["devices"]["idcard"] == {"url": config.devices.idcard, "checked": True, "ready": True,
                                              "card_present": True}
    assert without_card["devices"]["idcard"]["card_present"] is False and without_card["problems"] == []
    text = json.dumps(with_card, ensure_ascii=False)
    assert "1950" not in text and "汉" not in text


@pytest.mark.parametrize("status, reason", [({"paper": "out"}, "paper out"), ({"cover_open": True}, "cover open")])
def test_a_printer_that_is_not_ready_is_a_problem_and_gets_no_test_page(tmp_path, status, reason):
    with SimulatedNetworkPrinter(**status) as printer:
        report, code = doctor_all(make_config(tmp_path, printer=printer.url))
        received = printer.received
    assert code == EXIT_PROBLEMS and report["devices"]["printer"]["ready"] is False
    assert any(p.startswith(f"printer {printer.url}") and reason in p for p in report["problems"]), report["problems"]
    assert b"\x1d\x56" not in received


def test_a_ready_printer_gets_no_test_page_either(tmp_path):
    with SimulatedNetworkPrinter() as printer:
        report, code = doctor_all(make_config(tmp_path, printer=printer.url))
        received = printer.received
    assert code == EXIT_OK and report["devices"]["printer"]["ready"] is True
    assert b"\x1d\x56" not in received and len(received) < 16


def test_the_clock_agrees_with_the_server(tmp_path, health_server):
    report, code = doctor_all(make_config(tmp_path, server=health_server()))
    assert report["clock"]["reachable"] is True and abs(report["clock"]["offset_s"]) <= 2
    assert code == EXIT_OK, report["problems"]


def test_a_clock_ten_minutes_off_is_a_problem(tmp_path, health_server):
    report, code = doctor_all(make_config(tmp_path, server=health_server(skew_s=600)))
    assert 597 <= report["clock"]["offset_s"] <= 603
    assert code == EXIT_PROBLEMS and any(p.startswith("clock: +") and "s off the sync server" in p for p in report["problems"])


def test_an_unreachable_server_is_a_problem(tmp_path, health_server):
    url = health_server()
    report, code = doctor_all(make_config(tmp_path, server="http://127.0.0.1:9"), http_timeout=2)
    assert report["clock"]["reachable"] is False and report["clock"]["offset_s"] is None
    assert code == EXIT_PROBLEMS and any("unreachable" in p for p in report["problems"])
    assert url


def test_low_disk_space_and_a_missing_data_directory_are_problems(tmp_path, monkeypatch):
    monkeypatch.setattr(diagnostics, "MIN_FREE_MB", 10**12)
    report, code = doctor_all(make_config(tmp_path, create_data_dir=False))
    assert code == EXIT_PROBLEMS
    assert any(p.startswith("disk: ") and "under" in p for p in report["problems"])
    assert any(p.startswith("data directory ") for p in report["problems"])


def test_a_missing_printer_device_is_named(tmp_path):
    report, code = doctor_all(make_config(tmp_path, printer=f"serial://{tmp_path}/ttyNOPRINTER?baudrate=115200"))
    assert code == EXIT_PROBLEMS and report["devices"]["printer"]["error"] == "device_missing"
    assert any(f"{tmp_path}/ttyNOPRINTER is missing" in p for p in report["problems"])


def test_doctor_all_does_not_load_qt(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from kiosk.config import parse; from kiosk.fieldsetup.doctor import doctor_all; "
            f"doctor_all(parse({{'kiosk': {{'data_dir': {str(tmp_path)!r}}}}}, base=__import__('pathlib').Path('.'))); "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_reader_held_by_the_running_kiosk_is_left_alone(tmp_path):
    import subprocess
    import sys

    with ReaderSimulator("resident") as sim:
        holder = subprocess.Popen([sys.executable, "-c", "import sys, time; f = open(sys.argv[1], 'rb'); "
                                   "print('open', flush=True); time.sleep(60)", sim.path],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "open"
            report, code = doctor_all(make_config(tmp_path, idcard=f"serial://{sim.path}?baudrate=115200"))
        finally:
            holder.kill()
            holder.wait(10)
            holder.stdout.close()
    assert report["devices"]["idcard"] == {"url": f"serial://{sim.path}?baudrate=115200", "checked": False,
                                           "in_use_by": [holder.pid]}
    assert code == EXIT_OK, report["problems"]
