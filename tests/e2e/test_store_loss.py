"""A kiosk that can never hand out a number twice: every way of losing the store on an enrolled
kiosk, against a real `district-server serve`, with the `kiosk` command as a technician runs it.

Each case issues A001-A003 and syncs, issues A004-A005 without syncing (the district never sees
them), then breaks the store. The kiosk must refuse to issue (exit 4, naming the recovery step),
`kiosk store recover` must rebuild the store from the district, and the next number must be A006:
no number is ever issued twice, and sync goes on without a conflict.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "e2e"))

from kiosk_process import json_lines, kiosk_env, run_kiosk  # noqa: E402,F401 (kiosk_env: the fixture)

pytestmark = pytest.mark.slow

KIOSK_ID = "YT-XZ-01"
STATION = "yt-xiaozhai"


@pytest.fixture
def enrolled(tmp_path, kiosk_env, district):
    """An enrolled kiosk's configuration file and environment."""
    config = tmp_path / "kiosk.toml"
    demo = (Path(__file__).resolve().parents[2] / "config" / "demo.toml").read_text(encoding="utf-8")
    config.write_text(demo.replace('server = ""', f'server = "{district.url}"')
                      .replace('file = "../assets', f'file = "{Path(__file__).resolve().parents[2]}/assets'),
                      encoding="utf-8")
    done = run_kiosk(kiosk_env, "--config", str(config), "setup", "--server", district.url,
                     "--token", district.token(KIOSK_ID, STATION))
    assert done.returncode == 0, done.stderr
    return config, kiosk_env


def issue(config, env, count=1):
    done = run_kiosk(env, "--config", str(config), "ticket", "issue", "--service", "SB-KSL", "--count", str(count))
    return done, [t["number"] for t in json_lines(done.stdout)]


def sync(config, env):
    done = run_kiosk(env, "--config", str(config), "sync", "--now")
    return done, (json_lines(done.stdout) or [{}])[-1]


def data(env) -> Path:
    return Path(env["KIOSK_DATA_DIR"])


def store_files(env) -> list[Path]:
    return [data(env) / name for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm")]


def zero_length(env, _copy):
    (data(env) / "kiosk.sqlite3").write_bytes(b"")
    for extra in store_files(env)[1:]:
        extra.unlink(missing_ok=True)


def missing(env, _copy):
    for path in store_files(env):
        path.unlink(missing_ok=True)


def older_copy(env, copy):
    for path in store_files(env):
        path.unlink(missing_ok=True)
    for saved in copy.iterdir():
        shutil.copy2(saved, data(env) / saved.name)


def wal_deleted(env, copy):
    """The main file as it was while A004-A005 sat in the WAL, and the WAL lost before a checkpoint."""
    older_copy(env, copy)


def save_copy(env, into: Path) -> None:
    """A consistent copy of the store as it is now (the backup an older copy comes from)."""
    into.mkdir()
    with sqlite3.connect(data(env) / "kiosk.sqlite3") as source, sqlite3.connect(into / "kiosk.sqlite3") as target:
        source.backup(target)


@pytest.mark.parametrize("lose", [zero_length, missing, older_copy, wal_deleted], ids=lambda f: f.__name__)
def test_a_lost_store_refuses_then_recovers_after_the_last_number(tmp_path, district, enrolled, lose):
    config, env = enrolled
    done, numbers = issue(config, env, 3)
    assert done.returncode == 0 and numbers == ["A001", "A002", "A003"], done.stderr
    done, summary = sync(config, env)
    assert done.returncode == 0 and summary["acked"] == 3, done.stderr
    if lose is not wal_deleted:
        save_copy(env, tmp_path / "copy")
    reader = sqlite3.connect(data(env) / "kiosk.sqlite3")  # while it is open, no checkpoint empties the WAL
    reader.execute("SELECT count(*) FROM tickets").fetchone()
    done, numbers = issue(config, env, 2)
    assert done.returncode == 0 and numbers == ["A004", "A005"], done.stderr
    if lose is wal_deleted:
        assert (data(env) / "kiosk.sqlite3-wal").stat().st_size > 0
        (tmp_path / "copy").mkdir()
        shutil.copy2(data(env) / "kiosk.sqlite3", tmp_path / "copy" / "kiosk.sqlite3")  # without its WAL
    reader.close()
    lose(env, tmp_path / "copy")

    done, numbers = issue(config, env)
    assert done.returncode == 4 and numbers == [], done.stdout
    assert "kiosk store recover" in done.stderr and "Traceback" not in done.stderr

    done = run_kiosk(env, "--config", str(config), "store", "recover")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["tickets"] >= 3 and summary["last_seq"] >= 5
    done, numbers = issue(config, env)
    assert done.returncode == 0 and numbers == ["A006"], done.stderr
    done, summary = sync(config, env)
    assert done.returncode == 0 and summary["rejected"] == 0 and summary["pending"] == 0, done.stderr
    stored, op_ids, seqs = district.op_counts(KIOSK_ID)
    assert stored == op_ids == seqs
    with sqlite3.connect(district.db_path) as db:
        numbers_at_district = [n for (n,) in db.execute("SELECT number FROM tickets ORDER BY number")]
    assert len(numbers_at_district) == len(set(numbers_at_district))
    assert "A006" in numbers_at_district


def test_a_new_kiosk_and_a_kiosk_from_before_the_log_start_without_fuss(tmp_path, district, enrolled):
    config, env = enrolled
    done, numbers = issue(config, env, 2)
    assert done.returncode == 0 and numbers == ["A001", "A002"], done.stderr
    (data(env) / "kiosk.issued.log").unlink()  # a store from before the log: the log starts again from it
    done, numbers = issue(config, env)
    assert done.returncode == 0 and numbers == ["A003"], done.stderr
    assert (data(env) / "kiosk.issued.log").read_text().startswith("store ")


def test_store_files_are_private_whatever_the_umask(tmp_path, district, enrolled):
    config, env = enrolled
    old = os.umask(0o022)
    try:
        done, _numbers = issue(config, env)
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm", "kiosk.issued.log", "sync-secret.json"):
        path = data(env) / name
        if path.exists():
            assert path.stat().st_mode & 0o077 == 0, (name, oct(path.stat().st_mode))
    assert data(env).stat().st_mode & 0o007 == 0


def test_a_dead_lettered_op_makes_sync_exit_non_zero(tmp_path, district, enrolled):
    config, env = enrolled
    done, _numbers = issue(config, env)
    with sqlite3.connect(data(env) / "kiosk.sqlite3") as db:  # a payload the district must refuse
        db.execute("UPDATE outbox SET payload = json_set(payload, '$.priority', 'vip')")
    done, summary = sync(config, env)
    assert done.returncode == 8 and summary["rejected"] == 1, done.stderr
    assert "dead letter" in done.stderr
