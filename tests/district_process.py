"""The district server as the whole-process tests and benchmarks run it: `district-server serve`
on 127.0.0.1 over SQLite or PostgreSQL, and the PostgreSQL databases it runs on.

Imported by name (tests/ is on the test path): tests/e2e, tests/bench and tests/sync/server use it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[1]
TEST_POSTGRES = REPO / "packaging" / "test-postgres"
KIOSK_ID = "YT-XZ-01"
STATION = "yt-xiaozhai"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def district_server_command() -> list[str]:
    script = shutil.which("district-server", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "sync.server.cli"]


class DistrictServer:
    """`district-server serve` on ``db_url``; kill() is SIGKILL, start() brings it back on the same port."""

    def __init__(self, db_url: str | Path, port: int | None = None, *, workers: int | None = None):
        self.db_url = db_url if isinstance(db_url, str) else f"sqlite:///{db_url}"
        self.db_path = None if isinstance(db_url, str) else Path(db_url)  # the SQLite file, if it is one
        self.port = port or free_port()
        self.workers = workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "DistrictServer":
        workers = ["--workers", str(self.workers)] if self.workers else []
        self.process = subprocess.Popen(
            [*district_server_command(), "serve", "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port),
             *workers], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
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

    def stop(self, timeout: float = 10) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
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
        """`district-server COMMAND --db URL ARGS...`; its output."""
        done = subprocess.run([*district_server_command(), *args[:1], "--db", self.db_url, *args[1:]],
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

    def _one_row(self, sql: str, **params) -> tuple:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.db_url)
        try:
            with engine.connect() as conn:
                return tuple(conn.execute(text(sql), params).one())
        finally:
            engine.dispose()

    def op_counts(self, kiosk_id: str = KIOSK_ID) -> tuple[int, int, int]:
        """(stored ops, distinct op_ids, distinct seqs) of the kiosk, rejected ones included."""
        return self._one_row("SELECT count(*), count(DISTINCT op_id), count(DISTINCT seq) FROM ops "
                             "WHERE kiosk_id = :kiosk_id", kiosk_id=kiosk_id)

    def ticket_count(self) -> int:
        return self._one_row("SELECT count(*) FROM tickets")[0]


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    """$KIOSK_TEST_PG_URL, or a throwaway cluster from packaging/test-postgres (not under CI)."""
    url = os.environ.get("KIOSK_TEST_PG_URL")
    if url:
        yield url
        return
    if os.environ.get("CI"):
        pytest.fail("KIOSK_TEST_PG_URL is not set: CI must start PostgreSQL with packaging/test-postgres "
                    "and export its URL", pytrace=False)
    started = subprocess.run([str(TEST_POSTGRES)], capture_output=True, text=True, timeout=120)
    if started.returncode != 0:
        pytest.fail(f"packaging/test-postgres could not start PostgreSQL: {started.stderr.strip()}", pytrace=False)
    cluster_dir = started.stderr.split("cluster in ", 1)[1].split(" ", 1)[0]
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(TEST_POSTGRES), "stop", cluster_dir], capture_output=True, timeout=60)


@contextlib.contextmanager
def migrated_database(pg_url: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` on the cluster of ``pg_url``, at the Alembic head; its URL.
    Dropped afterwards, connections or not."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from sync.server.db import make_engine
    from sync.server.migrations import upgrade

    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
