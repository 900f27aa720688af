"""`kiosk demo` starts a district server and a station service beside the kiosk, the kiosk
enrolled through the station: tickets issued offline reach the station's queue and the district."""

import signal
import sqlite3
import subprocess
import time

from kiosk_process import KIOSK, PROJECT, json_lines, run_kiosk


def test_demo_syncs_a_ticket_to_its_local_district_server(kiosk_env):
    issued = json_lines(run_kiosk(kiosk_env, "ticket", "issue", "--service", "LN-YDZ").stdout)[0]
    demo = subprocess.Popen([*KIOSK, "demo", "--offscreen"], env=kiosk_env, cwd=PROJECT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    district = f"{kiosk_env['KIOSK_DATA_DIR']}/district-demo.sqlite3"
    arrived = []
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and not arrived:
            time.sleep(0.5)
            try:
                with sqlite3.connect(f"file:{district}?mode=ro", uri=True) as db:
                    arrived = db.execute("SELECT entity_id FROM ops WHERE entity = 'ticket'").fetchall()
            except sqlite3.Error:
                continue
    finally:
        demo.send_signal(signal.SIGTERM)
        _, err = demo.communicate(timeout=30)
    assert "local district server at http://127.0.0.1:" in err
    assert "station service at http://127.0.0.1:" in err and "PIN 1111" in err
    assert arrived == [(issued["ticket_id"],)], err[-2000:]
    with sqlite3.connect(f"{kiosk_env['KIOSK_DATA_DIR']}/station/kiosk.sqlite3") as db:
        assert db.execute("SELECT ticket_id, kiosk_id FROM tickets").fetchall() == [(issued["ticket_id"], "YT-XZ-01")]
    assert demo.returncode == 0, err[-2000:]
    with sqlite3.connect(f"{kiosk_env['KIOSK_DATA_DIR']}/kiosk.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0] == 0
