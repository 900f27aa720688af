"""The upgrade path keeps the outbox. For every schema revision a kiosk may have been left at (read
from the Alembic migrations, so a new 0002 is covered without touching this file): a store at that
revision gets tickets through the real `kiosk ticket issue` with the store's head pinned to that
revision (as the release that had it as head wrote them); then the package's upgrade step
(packaging/debian/upgrade-store, which migrates through kiosk.store.engine.connect) brings it to the
head; every outbox op is still there with the same seq, op_id and payload, the waiting ones still
waiting; and they sync to a real district server."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kiosk.store import engine

PROJECT = Path(__file__).resolve().parents[2]
UPGRADE_STORE = PROJECT / "packaging" / "debian" / "upgrade-store"
CATALOGUE = PROJECT / "assets" / "catalogue" / "yanta.json"
OPS = ("SELECT seq, op_id, entity, entity_id, kind, created_at, payload, state, reject_code "
       "FROM outbox ORDER BY seq")
CLI_AT_REVISION = ("import sys; import kiosk.store.engine as engine; engine.HEAD_REVISION = sys.argv[1]; "
                   "from kiosk.commands.cli import main; sys.exit(main(sys.argv[2:]))")
SYNC = ("import sys, json; from kiosk.config import load; from kiosk.commands.sync import run_sync; from kiosk.fieldsetup.enrolment import run_setup; "
        "config = load(sys.argv[1]); code = run_setup(config, sys.argv[2], sys.argv[3]); "
        "sys.exit(code or run_sync(config, now=True, reconcile=False, progress=False, max_attempts=3))")


def revisions() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(engine.MIGRATIONS_DIR))
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


REVISIONS = revisions()


def test_the_revisions_end_at_the_head_the_engine_expects():
    assert REVISIONS[-1] == engine.HEAD_REVISION and REVISIONS[0] == "0001"


def store_at(path: Path, revision: str) -> None:
    """An empty store migrated up to ``revision`` only, through the store's own migrations."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    path.parent.mkdir(parents=True, exist_ok=True)
    db_engine = create_engine(f"sqlite:///{path}")
    try:
        config = Config()
        config.set_main_option("script_location", str(engine.MIGRATIONS_DIR))
        with db_engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        db_engine.dispose()


def write_config(tmp_path: Path, server: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\nid = "YT-XZ-01"\ndata_dir = "{tmp_path / "data"}"\ncheck_opening_hours = false\n'
                    f'[catalogue]\nfile = "{CATALOGUE}"\n[sync]\nserver = "{server}"\n', encoding="utf-8")
    return path


def kiosk_at(revision: str, config: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-c", CLI_AT_REVISION, revision, "--config", str(config), *args],
                            capture_output=True, text=True, timeout=120, cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    return result


def issue_at(revision: str, config: Path, tmp_path: Path, count: int) -> list[dict]:
    """``count`` tickets as a kiosk at schema ``revision`` wrote them. At an older revision: issued
    by this code in a scratch store at the head, then copied with the columns that revision has
    (the rows and outbox ops an older kiosk wrote, without running its code)."""
    args = ("ticket", "issue", "--service", "SB-KSL", "--count", str(count))
    if revision == engine.HEAD_REVISION:
        return [json.loads(line) for line in kiosk_at(revision, config, *args).stdout.splitlines()]
    scratch = tmp_path / "scratch"
    scratch_config = tmp_path / "scratch.toml"
    scratch_config.write_text(config.read_text(encoding="utf-8").replace(str(tmp_path / "data"), str(scratch)),
                              encoding="utf-8")
    issued = [json.loads(line) for line in kiosk_at(engine.HEAD_REVISION, scratch_config, *args).stdout.splitlines()]
    target = sqlite3.connect(tmp_path / "data" / "kiosk.sqlite3")
    source = sqlite3.connect(scratch / "kiosk.sqlite3")
    try:
        with target:
            for table in ("tickets", "outbox"):
                columns = [row[1] for row in target.execute(f"PRAGMA table_info({table})")]
                listed = ", ".join(columns)
                ids = [t["ticket_id"] for t in issued]
                key = "ticket_id" if table == "tickets" else "entity_id"
                rows = source.execute(f"SELECT {listed} FROM {table} WHERE {key} IN ({', '.join('?' * len(ids))})"
                                      + (" ORDER BY seq" if table == "outbox" else ""), ids).fetchall()
                if table == "outbox":
                    columns, rows = columns[1:], [row[1:] for row in rows]  # the old store numbers its own ops
                    listed = ", ".join(columns)
                target.executemany(f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' * len(columns))})", rows)
    finally:
        target.close()
        source.close()
    return issued


def outbox(path: Path) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(OPS).fetchall()
    finally:
        db.close()


def revision_of(path: Path) -> str | None:
    db = sqlite3.connect(path)
    try:
        return engine.schema_revision(db)
    finally:
        db.close()


def upgrade_step(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(UPGRADE_STORE), "--config", str(config)], capture_output=True,
                          text=True, timeout=300, cwd=PROJECT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def district(tmp_path):
    """`district-server serve` on a SQLite file, with an enrolment token for YT-XZ-01."""
    db_url = f"sqlite:///{tmp_path / 'district.db'}"
    server = [sys.executable, "-m", "sync.server.cli"]
    port = free_port()
    process = subprocess.Popen([*server, "serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/v1/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "district server did not start"
            time.sleep(0.05)
        token = subprocess.run([*server, "enrol-token", "--db", db_url, "--station", "yt-xiaozhai", "--kiosk",
                                "YT-XZ-01"], capture_output=True, text=True, timeout=60, cwd=PROJECT, check=True)
        yield url, token.stdout.strip()
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.slow
@pytest.mark.parametrize("revision", REVISIONS)
def test_the_outbox_written_at_an_earlier_schema_survives_the_upgrade_and_syncs(tmp_path, district, revision):
    url, token = district
    config = write_config(tmp_path, server=url)
    database = tmp_path / "data" / "kiosk.sqlite3"
    store_at(database, revision)
    assert revision_of(database) == revision

    issued = issue_at(revision, config, tmp_path, 5)
    issued += issue_at(revision, config, tmp_path, 3)
    db = sqlite3.connect(database)
    with db:
        db.execute("UPDATE outbox SET state = 'rejected', reject_code = 'test_refused' WHERE seq = 2")
    db.close()
    assert revision_of(database) == revision
    before = outbox(database)
    assert len(before) == 8 and [op[7] for op in before].count("pending") == 7

    upgraded = upgrade_step(config)
    assert upgraded.returncode == 0, upgraded.stderr
    assert revision_of(database) == engine.HEAD_REVISION
    if revision != engine.HEAD_REVISION:
        assert f"upgraded from schema {revision} to {engine.HEAD_REVISION}; 7 waiting outbox op(s) kept" in upgraded.stdout
        backups = list((tmp_path / "data" / "backups").glob(f"kiosk-{revision}-*.sqlite3"))
        assert len(backups) == 1 and outbox(backups[0]) == before
    else:
        assert "nothing to do" in upgraded.stdout
    assert outbox(database) == before

    listed = subprocess.run([sys.executable, "-m", "kiosk.commands.cli", "--config", str(config), "ticket", "list", "--json"],
                            capture_output=True, text=True, timeout=120, cwd=PROJECT)
    assert listed.returncode == 0, listed.stderr
    assert {t["ticket_id"] for t in json.loads(listed.stdout)} == {t["ticket_id"] for t in issued}

    synced = subprocess.run([sys.executable, "-c", SYNC, str(config), url, token], capture_output=True, text=True,
                            timeout=120, cwd=PROJECT)
    assert synced.returncode == 0, synced.stderr
    after_sync = {op[0]: op for op in outbox(database)}
    for op in before:
        seq, op_id, *_ , state, reject_code = op
        assert after_sync[seq][1] == op_id
        assert after_sync[seq][7] == ("rejected" if state == "rejected" else "acked"), after_sync[seq]


def load_upgrade_store():
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader("upgrade_store", str(UPGRADE_STORE))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("upgrade_store", loader))
    loader.exec_module(module)
    return module


def test_the_upgrade_step_stops_when_a_migration_loses_an_op(tmp_path, monkeypatch, capsys):
    config = write_config(tmp_path)
    database = tmp_path / "data" / "kiosk.sqlite3"
    store_at(database, REVISIONS[0])
    issue_at(REVISIONS[0], config, tmp_path, 2)
    real_connect = engine.connect

    def losing_connect(path):
        db = real_connect(path)
        db.execute("DELETE FROM outbox WHERE seq = 1")
        return db

    monkeypatch.setattr(engine, "HEAD_REVISION", "9999")
    monkeypatch.setattr(engine, "connect", losing_connect)
    assert load_upgrade_store().main(["--config", str(config)]) == 6
    err = capsys.readouterr().err
    assert "1 of 2 waiting outbox op(s) changed" in err and "restore" in err


SYNTHETIC_0002 = """
revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None

import sqlalchemy as sa
from alembic import op


def upgrade():
    with op.batch_alter_table("outbox", recreate="always") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("tickets", recreate="always") as batch:
        batch.add_column(sa.Column("channel", sa.String(16), nullable=True))


def downgrade():
    pass
"""

UPGRADE_WITH = ("import runpy, sys; from pathlib import Path; import kiosk.store.engine as engine; "
                "engine.MIGRATIONS_DIR = Path(sys.argv[1]); engine.HEAD_REVISION = sys.argv[2]; "
                "sys.argv = [sys.argv[3], *sys.argv[4:]]; runpy.run_path(sys.argv[0], run_name='__main__')")


@pytest.mark.slow
def test_rehearsal_a_next_migration_that_rebuilds_the_outbox_table_keeps_every_op(tmp_path):
    """Until a real 0002 exists: the upgrade step through a migration that recreates the outbox and
    tickets tables (SQLite's batch mode, the riskiest kind), built on the real migrations."""
    import shutil

    migrations = tmp_path / "migrations"
    shutil.copytree(engine.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    nxt = f"{int(engine.HEAD_REVISION) + 1:04d}"
    (migrations / "versions" / f"{nxt}_rehearsal.py").write_text(
        SYNTHETIC_0002.format(revision=nxt, down=engine.HEAD_REVISION), encoding="utf-8")
    config = write_config(tmp_path)
    database = tmp_path / "data" / "kiosk.sqlite3"
    store_at(database, engine.HEAD_REVISION)
    kiosk_at(engine.HEAD_REVISION, config, "ticket", "issue", "--service", "SB-KSL", "--count", "6")
    before = outbox(database)

    upgraded = subprocess.run([sys.executable, "-c", UPGRADE_WITH, str(migrations), nxt, str(UPGRADE_STORE),
                               "--config", str(config)], capture_output=True, text=True, timeout=300, cwd=PROJECT)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"upgraded from schema {engine.HEAD_REVISION} to {nxt}; 6 waiting outbox op(s) kept" in upgraded.stdout
    assert revision_of(database) == nxt
    assert outbox(database) == before
    db = sqlite3.connect(database)
    try:
        db.execute("INSERT INTO outbox (op_id, entity, entity_id, kind, created_at, payload, state) "
                   "VALUES ('x', 'event', 'e', 'upsert', '2026-01-01T00:00:00+08:00', '{}', 'pending')")
        assert db.execute("SELECT max(seq) FROM outbox").fetchone()[0] == before[-1][0] + 1
    finally:
        db.close()
