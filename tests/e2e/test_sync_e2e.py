"""Whole processes: `district-server serve` killed and restarted mid-batch, the kiosk's sync process
killed mid-sync, enrolment and sync through the functions behind `kiosk setup` / `kiosk sync`."""

from __future__ import annotations

import json
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync" / "client"))

from sync_client_support import enrol_store, fill_outbox, open_kiosk_store, outbox_states  # noqa: E402

from district_process import DistrictServer  # noqa: E402

KIOSK = [sys.executable, "-m", "kiosk.commands.cli"]
PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

SYNC_PROCESS = ("import sys; from kiosk.config import load; from kiosk.commands.sync import run_sync; "
                "sys.exit(run_sync(load(sys.argv[1]), now=True, reconcile=sys.argv[2] == 'reconcile', progress=True, "
                "max_attempts=int(sys.argv[3])))")


def write_config(tmp_path: Path, server_url: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\ncheck_opening_hours = false\n'
                    f'[sync]\nserver = "{server_url}"\n', encoding="utf-8")
    return path


@pytest.fixture
def district(tmp_path):
    server = DistrictServer(tmp_path / "district.db").start()
    yield server
    server.stop()


def test_setup_issue_and_sync_as_the_commands_do(tmp_path, district, kiosk_env):
    from kiosk.config import load
    from kiosk.fieldsetup.enrolment import run_setup

    config_path = write_config(tmp_path, district.url)
    kiosk_env.pop("KIOSK_DATA_DIR")
    config = load(str(config_path))
    token = district.cli("enrol-token", "--station", "yt-xiaozhai", "--kiosk", "YT-XZ-01").strip()
    assert run_setup(config, district.url, token) == 0
    secret_file = tmp_path / "data" / "sync-secret.json"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert json.loads(secret_file.read_text())["kiosk_id"] == "YT-XZ-01"
    assert run_setup(config, district.url, token) == 6  # a token is single-use

    issued = subprocess.run([*KIOSK, "--config", str(config_path), "ticket", "issue", "--service", "SB-KSL",
                             "--count", "25"], env=kiosk_env, cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert issued.returncode == 0, issued.stderr
    done = subprocess.run([sys.executable, "-c", SYNC_PROCESS, str(config_path), "reconcile", "6"], env=kiosk_env,
                          cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["acked"] == 25 and summary["pending"] == 0 and summary["still_mismatched"] == []
    assert "25/25 ops" in done.stderr
    assert district.op_counts() == (25, 25, 25)

    district.kill()
    offline = subprocess.run([sys.executable, "-c", SYNC_PROCESS, str(config_path), "-", "2"], env=kiosk_env,
                             cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert offline.returncode == 5 and "unreachable" in offline.stderr


def test_server_killed_mid_batch_repeatedly_loses_and_repeats_nothing(tmp_path, district):
    from sync.client.backoff import Backoff
    from sync.client.runner import RunOptions, build_runner
    from sync.client.transport import TRANSIENT

    ops, kills = 8000, 5
    store = open_kiosk_store(tmp_path / "kiosk")
    enrol_store(store, district)
    fill_outbox(store.db, ops, days=4)
    store.close()
    errors: list[BaseException] = []
    finished = threading.Event()

    def client() -> None:
        own = open_kiosk_store(tmp_path / "kiosk")  # sqlite3 connections stay on their thread
        try:
            runner = build_runner(own, lock_path=tmp_path / "sync.lock", app_version="1.0.0",
                                  backoff=Backoff(base=0.05, cap=0.4),
                                  options=RunOptions(app_version="1.0.0", max_attempts=60, batch_ops=100))
            try:
                while own.pending_count():
                    try:
                        runner.run()
                    except TRANSIENT:
                        pass
            finally:
                runner.transport.close()
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)
        finally:
            own.close()
            finished.set()

    rng = random.Random(11)
    worker = threading.Thread(target=client, name="sync-client")
    worker.start()
    kills_mid_sync = 0
    try:
        for _ in range(kills):
            time.sleep(rng.uniform(0.1, 0.3))
            if finished.is_set():
                break
            district.kill()
            kills_mid_sync += 1
            time.sleep(rng.uniform(0.0, 0.3))
            district.start()
    finally:
        if district.process is None:
            district.start()
        worker.join(120)
    assert not worker.is_alive() and not errors, errors
    assert kills_mid_sync >= 3, "the client finished before the kills: nothing was tested"

    store = open_kiosk_store(tmp_path / "kiosk")
    try:
        final = build_runner(store, lock_path=tmp_path / "sync.lock", app_version="1.0.0").run(reconcile=True)
        assert final["pending"] == 0 and final["mismatched"] == [] and final["requeued"] == 0
        assert outbox_states(store.db) == {"acked": ops}
    finally:
        store.close()
    print(f"\nserver kills: {kills_mid_sync} SIGKILLs mid-sync, {ops} ops")
    assert district.op_counts() == (ops, ops, ops)
    assert district.ticket_count() == ops


def test_kiosk_sync_process_killed_mid_sync_repeatedly_loses_and_repeats_nothing(tmp_path, district, kiosk_env):
    ops, kills = 10_000, 4
    config_path = write_config(tmp_path, district.url)
    kiosk_env.pop("KIOSK_DATA_DIR")
    store = open_kiosk_store(tmp_path / "data")
    enrol_store(store, district)
    fill_outbox(store.db, ops, days=5)
    rng = random.Random(5)
    mid_sync = 0
    try:
        for _ in range(kills):
            before = store.pending_count()
            process = subprocess.Popen([sys.executable, "-c", SYNC_PROCESS, str(config_path), "-", "6"],
                                       env=kiosk_env, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while store.pending_count() == before and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.12))
            process.send_signal(signal.SIGKILL)
            process.wait(30)
            after = store.pending_count()
            mid_sync += 0 < after < before
        assert mid_sync >= 2, "the kills did not land mid-sync: nothing was tested"
        done = subprocess.run([sys.executable, "-c", SYNC_PROCESS, str(config_path), "reconcile", "6"], env=kiosk_env,
                              cwd=PROJECT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        assert summary["pending"] == 0 and summary["mismatched"] == [] and summary["requeued"] == 0
        assert outbox_states(store.db) == {"acked": ops}
    finally:
        store.close()
    print(f"\nkiosk kills: {mid_sync} of {kills} SIGKILLs mid-sync, {ops} ops")
    assert district.op_counts() == (ops, ops, ops)
