"""SIGKILL at random moments never loses a ticket that was printed and never repeats a number."""

import json
import random
import signal
import sqlite3
import subprocess
import time

from kiosk_process import KIOSK, PROJECT, json_lines, run_kiosk

SERVICES = ["SB-KSL", "HJ-QY", "LN-YDZ", "SY-DJ", "FL-YZ", "GT-DJ", "TY-YDK", "ZH-ZX"]
KILLS = 24


def test_sigkill_never_loses_a_printed_ticket_nor_repeats_a_number(kiosk_env, tmp_path):
    config = tmp_path / "crash.toml"
    config.write_text("[kiosk]\ncheck_opening_hours = false\n[numbering]\nfirst = 1\nlast = 999\n")
    rng = random.Random()
    printed = []
    for round_ in range(KILLS):
        service = SERVICES[round_ % len(SERVICES)]
        proc = subprocess.Popen([*KIOSK, "--config", str(config), "ticket", "issue", "--service", service,
                                 "--count", "100000", "--interval", "0.001"],
                                env=kiosk_env, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        head = ""
        if round_ % 3 == 0:
            time.sleep(rng.uniform(0.0, 0.8))  # any moment, start-up included
        else:
            head = proc.stdout.readline()  # issuing has begun: kill mid-stream
            time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        lines = (head + out).splitlines()
        if lines and not lines[-1].endswith("}"):
            lines = lines[:-1]  # a line cut by the kill was not printed whole
        printed += [json.loads(line) for line in lines]
        assert proc.returncode == -signal.SIGKILL
    assert len(printed) > KILLS, "the kills came before any ticket was issued: nothing was tested"

    day = printed[0]["business_date"]
    listed = json.loads(run_kiosk(kiosk_env, "ticket", "list", "--date", day, "--json").stdout)
    stored = {t["ticket_id"]: t["number"] for t in listed}
    missing = [t for t in printed if stored.get(t["ticket_id"]) != t["number"]]
    assert not missing, f"printed but not stored: {missing[:5]}"
    assert len(set(stored.values())) == len(stored), "a number was issued twice"

    after = json_lines(run_kiosk(kiosk_env, "ticket", "issue", "--service", "SB-KSL").stdout)
    assert after[0]["number"] not in stored.values()
    with sqlite3.connect(kiosk_env["KIOSK_DATA_DIR"] + "/kiosk.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ops = {row[0] for row in db.execute("SELECT entity_id FROM outbox WHERE entity = 'ticket'")}
    assert set(stored) <= ops, "a stored ticket has no outbox op"
