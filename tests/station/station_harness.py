"""A whole station on loopback, as the station tests and benchmarks run it: the district server,
`kiosk station-service` enrolled with it, and kiosks enrolled through the station, each a real
process with its own configuration file and data directory.

Imported by name from tests/station and tests/bench.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import tomlkit

from district_process import STATION, free_port

PROJECT = Path(__file__).resolve().parents[2]
KIOSK = [sys.executable, "-m", "kiosk.commands.cli"]
STATION_ID = "YT-XZ-ST"


def write_config(path: Path, *, kiosk_id: str, data_dir: Path, server: str = "", first: int = 1,
                 last: int = 499, letter: str = "") -> Path:
    """The demo configuration with this id, data directory, numbering and sync server."""
    doc = tomlkit.parse((PROJECT / "config" / "demo.toml").read_text(encoding="utf-8"))
    doc["kiosk"]["id"] = kiosk_id
    doc["kiosk"]["data_dir"] = str(data_dir)
    doc["catalogue"]["file"] = str(PROJECT / "assets" / "catalogue" / "yanta.json")
    doc["numbering"]["mode"] = "letter" if letter else "block"
    doc["numbering"]["first"], doc["numbering"]["last"] = first, last
    doc["numbering"]["letter"] = letter
    doc["sync"]["server"] = server
    doc["sync"]["interval_seconds"] = 5
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def env() -> dict:
    environment = dict(os.environ)
    for name in ("KIOSK_CONFIG", "KIOSK_DATA_DIR"):
        environment.pop(name, None)
    environment["QT_QPA_PLATFORM"] = "offscreen"
    return environment


def kiosk(config: Path, *args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([*KIOSK, "--config", str(config), *args], env=env(), cwd=PROJECT,
                          capture_output=True, text=True, timeout=timeout)
    if check:
        assert done.returncode == 0, f"kiosk {' '.join(args)} exited {done.returncode}: {done.stderr}"
    return done


def issue(config: Path, service: str = "SB-KSL", count: int = 1) -> list[dict]:
    done = kiosk(config, "ticket", "issue", "--service", service, "--count", str(count))
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


class Process:
    """A long-running `kiosk` process (station service, sync --follow) with its log."""

    def __init__(self, config: Path, args: list[str], log: Path):
        self.config, self.args, self.log = config, args, log
        self.process: subprocess.Popen | None = None

    def start(self) -> "Process":
        self._log = open(self.log, "ab")
        self.process = subprocess.Popen([*KIOSK, "--config", str(self.config), *self.args], env=env(), cwd=PROJECT,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self._log.close()

    def stop(self, timeout: float = 15) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()
        return self.process.returncode


class StationService(Process):
    def __init__(self, config: Path, log: Path, port: int | None = None, *, scheme: str = "http",
                 verify: object = True):
        self.port = port or free_port()
        self.url = f"{scheme}://{'localhost' if scheme == 'https' else '127.0.0.1'}:{self.port}"
        self.verify = verify
        super().__init__(config, ["station-service", "--host", "127.0.0.1", "--port", str(self.port)], log)

    def start(self, timeout: float = 30) -> "StationService":
        super().start()
        deadline = time.monotonic() + timeout
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"station service exited {self.process.returncode}: {self.log.read_text()}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1, verify=self.verify).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"station service did not start: {self.log.read_text()}")
            time.sleep(0.05)


class Site:
    """A district, one station service enrolled with it, and kiosks enrolled through the station."""

    def __init__(self, root: Path, district, *, district_url: str | None = None):
        """``district_url``: how the station reaches the district (a fault proxy), if not directly."""
        self.root, self.district = root, district
        self.station_config = write_config(root / "station.toml", kiosk_id=STATION_ID, data_dir=root / "station",
                                           server=district_url or district.url)
        self.station = StationService(self.station_config, root / "station.log")
        self.kiosks: dict[str, Path] = {}
        self.followers: dict[str, Process] = {}

    def enrol_station(self) -> None:
        token = self.district.cli("enrol-token", "--station", STATION, "--kiosk", STATION_ID, "--role", "station").strip()
        kiosk(self.station_config, "setup", "--server", self.district.url, "--token", token, "--kiosk-id", STATION_ID)

    def add_counters(self, *specs: tuple[str, str, str]) -> None:
        """(counter_id, name, pin) as a technician adds them: `kiosk counter-add`, the PIN on stdin."""
        for counter_id, name, pin in specs:
            done = subprocess.run([*KIOSK, "--config", str(self.station_config), "counter-add", counter_id, name],
                                  input=pin + "\n", env=env(), cwd=PROJECT, capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr

    def station_db(self):
        from kiosk.store.engine import connect

        return connect(self.root / "station" / "kiosk.sqlite3")

    def drained(self) -> bool:
        """Whether the station has nothing left to send up (its own ops and its kiosks')."""
        db = self.station_db()
        try:
            own = db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
            relay = db.execute("SELECT count(*) FROM relay_ops WHERE state = 'pending'").fetchone()[0]
            return own == 0 and relay == 0
        finally:
            db.close()

    def wait_drained(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.drained():
            assert time.monotonic() < deadline, f"the station did not send everything up in {timeout} s"
            time.sleep(0.2)

    def add_kiosk(self, kiosk_id: str, first: int, last: int, *, station_url: str | None = None) -> Path:
        """A kiosk of the station, enrolled through the station service with the block first-last;
        ``station_url``: how it reaches the station (a fault proxy), if not directly."""
        url = station_url or self.station.url
        config = write_config(self.root / f"{kiosk_id}.toml", kiosk_id=kiosk_id, data_dir=self.root / kiosk_id,
                              server=url, first=first, last=last)
        token = self.district.token(kiosk_id)
        kiosk(config, "setup", "--server", url, "--token", token, "--kiosk-id", kiosk_id)
        self.kiosks[kiosk_id] = config
        return config

    def follow(self, kiosk_id: str) -> Process:
        process = Process(self.kiosks[kiosk_id], ["sync", "--follow"], self.root / f"{kiosk_id}-sync.log").start()
        self.followers[kiosk_id] = process
        return process

    def wait_synced(self, kiosk_id: str, timeout: float = 30) -> None:
        """Until the kiosk's sync has run once against the station (it keeps the station's queue view)."""
        from kiosk.store.engine import connect

        deadline = time.monotonic() + timeout
        while True:
            db = connect(self.root / kiosk_id / "kiosk.sqlite3")
            try:
                if db.execute("SELECT 1 FROM settings WHERE key = 'station_queue'").fetchone():
                    return
            finally:
                db.close()
            assert time.monotonic() < deadline, f"{kiosk_id} has not synced with the station"
            time.sleep(0.1)

    def close(self) -> None:
        for process in self.followers.values():
            process.stop()
        self.station.stop()
