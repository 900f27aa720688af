"""Helpers of the sync-client tests: a real `district-server serve` subprocess on 127.0.0.1, an
enrolled kiosk store, and an outbox filled through kiosk.store functions."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import requests

from kiosk.domain.ids import uuid7
from kiosk.store.outbox import enqueue
from kiosk.store.sync_store import SqliteSyncStore
from sync.client.enrol import enrol

REPO = Path(__file__).resolve().parents[3]
CATALOGUE = REPO / "assets" / "catalogue" / "yanta.json"
KIOSK_ID = "YT-XZ-01"
STATION = "yt-xiaozhai"
SERVICES = [("SB-KSL", "A"), ("HJ-QY", "B"), ("LN-YDZ", "C"), ("SY-DJ", "D")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def district_command() -> list[str]:
    script = shutil.which("district-server", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "sync.server.cli"]


class DistrictServer:
    """`district-server serve` on a SQLite file; kill() is SIGKILL, start() brings it back on the same port."""

    def __init__(self, db_path: Path, port: int | None = None):
        self.db_path = db_path
        self.db_url = f"sqlite:///{db_path}"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "DistrictServer":
        self.process = subprocess.Popen(
            [*district_command(), "serve", "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError("district server did not start")
            time.sleep(0.03)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._reap()

    def _reap(self) -> None:
        if self.process is not None:
            self.process.wait(10)
            if self.process.stderr:
                self.process.stderr.close()
            self.process = None

    def cli(self, *args: str) -> str:
        done = subprocess.run([*district_command(), *args[:1], "--db", self.db_url, *args[1:]],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def token(self, kiosk_id: str = KIOSK_ID, station: str = STATION) -> str:
        """What `district-server enrol-token` prints, made in-process (a subprocess costs ~1 s)."""
        from sqlalchemy.orm import sessionmaker

        from sync.server.catalogue import ensure_station
        from sync.server.db import make_engine, transaction
        from sync.server.enrolment import create_token

        engine = make_engine(self.db_url)
        try:
            with transaction(sessionmaker(engine)) as session:
                ensure_station(session, station, time.time())
                return create_token(session, station, kiosk_id, time.time(), 24 * 3600)
        finally:
            engine.dispose()

    def op_counts(self, kiosk_id: str = KIOSK_ID) -> tuple[int, int, int]:
        """(stored ops, distinct op_ids, distinct seqs) of the kiosk, rejected ones included."""
        with sqlite3.connect(self.db_path) as db:
            return db.execute("SELECT count(*), count(DISTINCT op_id), count(DISTINCT seq) FROM ops "
                              "WHERE kiosk_id = ?", (kiosk_id,)).fetchone()

    def ticket_count(self) -> int:
        with sqlite3.connect(self.db_path) as db:
            return db.execute("SELECT count(*) FROM tickets").fetchone()[0]


def open_kiosk_store(data_dir: Path) -> SqliteSyncStore:
    return SqliteSyncStore.open(data_dir / "kiosk.sqlite3")


def enrol_store(store: SqliteSyncStore, server: DistrictServer, kiosk_id: str = KIOSK_ID) -> None:
    store.save_enrolment(enrol(server.url, server.token(kiosk_id), kiosk_id, "1.0.0"))


def ticket_payload(ticket_id: str, service: str, number: str, day: date, stamp: str) -> dict:
    return {"ticket_id": ticket_id, "station_id": STATION, "service_code": service, "number": number,
            "issued_at": stamp, "business_date": day.isoformat(), "priority": "normal", "assistance": False,
            "bundle_code": None, "id_digest": None, "id_masked": None, "status": "waiting", "updated_at": stamp}


def fill_outbox(db: sqlite3.Connection, count: int, first_day: date | None = None, days: int = 5) -> None:
    """`count` ticket ops with distinct numbers (service queue x number x day), in one transaction.

    The days end yesterday unless ``first_day`` is given: a nightly `kiosk sync --reconcile` purges
    acknowledged ops older than the retention period (30 days), so fixed dates would age out.
    """
    first_day = first_day or date.today() - timedelta(days=days)
    per_day = -(-count // days)
    db.execute("BEGIN IMMEDIATE")
    for index in range(count):
        day = first_day + timedelta(days=index // per_day)
        within = index % per_day
        service, prefix = SERVICES[within // 999]
        stamp = (datetime(day.year, day.month, day.day, 9) + timedelta(seconds=within)).isoformat() + "+08:00"
        ticket_id = uuid7()
        enqueue(db, entity="ticket", entity_id=ticket_id, created_at=stamp,
                payload=ticket_payload(ticket_id, service, f"{prefix}{within % 999 + 1:03d}", day, stamp))
    db.execute("COMMIT")


def outbox_states(db: sqlite3.Connection) -> dict[str, int]:
    return dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())


def write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path
