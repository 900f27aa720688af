"""`kiosk demo` starts a district server and a station service beside the kiosk, the kiosk
enrolled through the station: tickets issued offline reach the station's queue and the district,
and the terminal shows a demo ticket's QR code, which opens that ticket's page on the district."""

import re
import signal
import sqlite3
import subprocess
import time

import httpx
from PIL import Image

from kiosk_process import KIOSK, PROJECT, json_lines, run_kiosk

# qrcode's print_ascii(invert=True): a character is two modules, the upper (bit 0) and the lower (bit 1) dark
ASCII_MODULES = {"█": 0, "▄": 1, "▀": 2, "\xa0": 3}


def decode_terminal_qr(text: str, folder) -> str:
    """The terminal's QR code drawn as an image and read by zbarimg."""
    rows = [line for line in text.splitlines() if line and set(line) <= set(ASCII_MODULES)]
    assert rows, text[-2000:]
    width, scale = len(rows[0]), 8
    image = Image.new("L", (width * scale, len(rows) * 2 * scale), 255)
    for y, line in enumerate(rows):
        for x, char in enumerate(line):
            bits = ASCII_MODULES[char]
            for half in (0, 1):
                if bits >> half & 1:
                    image.paste(0, (x * scale, (2 * y + half) * scale, (x + 1) * scale, (2 * y + half + 1) * scale))
    path = folder / "terminal-qr.png"
    image.save(path)
    done = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def window_running(data_dir: str) -> bool:
    """The window's sync worker has run once (it keeps the station's queue view): its event loop runs."""
    try:
        with sqlite3.connect(f"file:{data_dir}/kiosk.sqlite3?mode=ro", uri=True) as db:
            return db.execute("SELECT 1 FROM settings WHERE key = 'station_queue'").fetchone() is not None
    except sqlite3.Error:
        return False


def test_demo_syncs_a_ticket_to_its_local_district_server(kiosk_env, tmp_path):
    issued = json_lines(run_kiosk(kiosk_env, "ticket", "issue", "--service", "LN-YDZ").stdout)[0]
    log = tmp_path / "demo.err"
    with open(log, "w") as err_file:
        demo = subprocess.Popen([*KIOSK, "demo", "--offscreen"], env=kiosk_env, cwd=PROJECT,
                                stdout=subprocess.DEVNULL, stderr=err_file, text=True)
    district = f"{kiosk_env['KIOSK_DATA_DIR']}/district-demo.sqlite3"
    arrived, page = [], None
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (len(arrived) < 2 or page is None):
            time.sleep(0.5)
            found = re.search(r"demo ticket (\S+): scan the QR code above or open its phone page (\S+)", log.read_text())
            if found and page is None:
                page = (found.group(1), found.group(2), httpx.get(found.group(2), timeout=5))
            try:
                with sqlite3.connect(f"file:{district}?mode=ro", uri=True) as db:
                    arrived = db.execute("SELECT entity_id FROM ops WHERE entity = 'ticket' ORDER BY seq").fetchall()
            except sqlite3.Error:
                continue
        while time.monotonic() < deadline and demo.poll() is None and not window_running(kiosk_env["KIOSK_DATA_DIR"]):
            time.sleep(0.2)  # the demo ticket went up before the window: SIGTERM once the window runs
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=30)
    err = log.read_text()
    assert "local district server at http://127.0.0.1:" in err
    assert "station service at http://127.0.0.1:" in err and "PIN 1111" in err
    assert len(arrived) == 2 and arrived[0] == (issued["ticket_id"],), err[-2000:]
    demo_ticket = arrived[1][0]
    with sqlite3.connect(f"{kiosk_env['KIOSK_DATA_DIR']}/station/kiosk.sqlite3") as db:
        assert db.execute("SELECT ticket_id, kiosk_id FROM tickets ORDER BY issued_at, seq").fetchall() == [
            (issued["ticket_id"], "YT-XZ-01"), (demo_ticket, "YT-XZ-01")]
    assert demo.returncode == 0, err[-2000:]
    with sqlite3.connect(f"{kiosk_env['KIOSK_DATA_DIR']}/kiosk.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0] == 0
    # the QR code on the terminal opens the demo ticket's page on the demo's district server
    number, url, answer = page
    local_district = re.search(r"local district server at (http://127\.0\.0\.1:\d+)", err).group(1)
    assert url.startswith(f"{local_district}/t/") and decode_terminal_qr(err, tmp_path) == url
    assert answer.status_code == 200 and number in answer.text
