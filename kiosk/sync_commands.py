"""What `kiosk sync` and `kiosk setup` do: plain functions over the configuration, returning exit codes.

Exit codes: 0 done · 2 not configured or not enrolled · 3 another sync run holds the lock ·
4 local store unavailable · 5 server unreachable or busy (retries spent) · 6 refused by the server
(enrolment token, signature, schema version) · 7 reconciliation still finds days that differ.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, TextIO

EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_BUSY = 3
EXIT_STORE = 4
EXIT_UNREACHABLE = 5
EXIT_REFUSED = 6
EXIT_MISMATCH = 7
DEFAULT_START_SPREAD_S = 600
SECRET_FILE = "sync-secret.json"
LOCK_FILE = "sync.lock"


def app_version() -> str:
    from kiosk.app import app_version as version

    return version()


def start_offset(kiosk_id: str, spread_s: float) -> float:
    """A stable delay in [0, spread_s) derived from the kiosk id, so a district's kiosks spread out."""
    if spread_s <= 0:
        return 0.0
    return int.from_bytes(hashlib.sha256(kiosk_id.encode("utf-8")).digest()[:8], "big") % int(spread_s * 1000) / 1000


def secret_path(config) -> Path:
    return config.kiosk.data_dir / SECRET_FILE


def lock_path(config) -> Path:
    return config.kiosk.data_dir / LOCK_FILE


def run_options(config, max_attempts: int):
    """The sync client's options from the configuration: the retention period counts days of the
    station's calendar (the date part of the ops' created_at, written in the station's time zone)."""
    from sync.client.runner import RunOptions

    return RunOptions(app_version=app_version(), max_attempts=max_attempts,
                      retention_days=config.sync.retention_days, today=lambda: datetime.now(config.tz).date())


class TextProgress:
    """A one-line progress bar on a text stream: `sync [########------]  4500/10000 ops`."""

    def __init__(self, stream: TextIO, width: int = 30):
        self.stream = stream
        self.width = width
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        filled = self.width if total <= 0 else int(self.width * min(done, total) / total)
        self.stream.write(f"\rsync [{'#' * filled}{'-' * (self.width - filled)}] {done:>6}/{total} ops")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _fail(stream: TextIO, message: str, code: int) -> int:
    print(f"kiosk: {message}", file=stream)
    return code


def run_sync(config, now: bool, reconcile: bool, progress: bool, *, start_spread_s: float = DEFAULT_START_SPREAD_S,
             sleep: Callable[[float], None] = time.sleep, out: TextIO | None = None, err: TextIO | None = None,
             clock: Callable[[], float] = time.time, max_attempts: int = 6) -> int:
    """One sync run (push, pull, and with `reconcile` the nightly check); prints its summary as JSON."""
    from sync.client.runner import NotEnrolled, SyncBusy, build_runner
    from sync.client.transport import TRANSIENT, Refused, TransportError

    from kiosk.store.engine import StoreUnavailable
    from kiosk.store.sync_store import SqliteSyncStore

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        store = SqliteSyncStore.open(config.database_path, secret_path(config))
    except StoreUnavailable as exc:
        return _fail(err, str(exc), EXIT_STORE)
    bar = TextProgress(err) if progress else None
    try:
        enrolment = store.load_enrolment()
        if enrolment is None:
            return _fail(err, "this kiosk is not enrolled: run `kiosk setup --server URL --token TOKEN`", EXIT_CONFIG)
        if not now:
            delay = start_offset(enrolment.kiosk_id, start_spread_s)
            if delay:
                print(f"kiosk: sync starts in {delay:.0f} s (this kiosk's offset; --now skips it)", file=err)
                sleep(delay)
        runner = build_runner(store, lock_path=lock_path(config), app_version=app_version(),
                              server_url=config.sync.server or None, clock=clock,
                              options=run_options(config, max_attempts))
        try:
            summary = runner.run(reconcile=reconcile, progress=bar)
        finally:
            runner.transport.close()
            if bar:
                bar.close()
    except SyncBusy as exc:
        return _fail(err, f"{exc}; try again when it has finished", EXIT_BUSY)
    except NotEnrolled as exc:
        return _fail(err, str(exc), EXIT_CONFIG)
    except TRANSIENT as exc:
        return _fail(err, f"server unreachable or busy, the queue is kept for the next run: {exc.detail}",
                     EXIT_UNREACHABLE)
    except (Refused, TransportError) as exc:
        return _fail(err, f"the server refused the sync: {exc.detail}", EXIT_REFUSED)
    except (StoreUnavailable, sqlite3.Error) as exc:
        return _fail(err, f"local store: {exc}", EXIT_STORE)
    finally:
        store.close()
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    out.flush()
    if reconcile and summary.get("still_mismatched"):
        return _fail(err, f"days still differ after re-sending: {', '.join(summary['still_mismatched'])}",
                     EXIT_MISMATCH)
    return EXIT_OK


class SetupFailed(Exception):
    """Enrolment did not happen: a one-line message and the exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def enrol_kiosk(config, server_url: str, token: str, kiosk_id: str | None = None, *,
                err: TextIO | None = None) -> dict:
    """Enrol this kiosk with the district server; the secret is kept in a 0600 file in the data directory.

    Returns what `kiosk setup` prints; raises SetupFailed. As root, the secret file is given to the
    data directory's owner (the kiosk user reads it, root runs the setup).
    """
    from sync.client.enrol import enrol
    from sync.client.transport import TransportError, Unreachable

    from kiosk.store.engine import StoreUnavailable
    from kiosk.store.sync_store import write_private_file

    kiosk_id = kiosk_id or config.kiosk.id
    if not server_url.startswith(("http://", "https://")):
        raise SetupFailed(f"--server {server_url!r} must be an http(s):// URL", EXIT_CONFIG)
    try:
        enrolment = enrol(server_url, token, kiosk_id, app_version())
    except Unreachable as exc:
        raise SetupFailed(f"district server unreachable: {exc.detail}", EXIT_UNREACHABLE) from None
    except TransportError as exc:
        raise SetupFailed(exc.detail, EXIT_REFUSED) from None
    path = secret_path(config)
    try:
        write_private_file(path, json.dumps(enrolment.__dict__).encode("utf-8"))
        _give_to_folder_owner(path)
    except OSError as exc:
        raise SetupFailed(str(StoreUnavailable(f"cannot write {path}: {exc.strerror}")), EXIT_STORE) from None
    if enrolment.station_id != config.kiosk.station_id:
        print(f"kiosk: warning: the server enrolled this kiosk at station {enrolment.station_id!r}, the "
              f"configuration says kiosk.station_id = {config.kiosk.station_id!r}", file=err or sys.stderr)
    return {"kiosk_id": enrolment.kiosk_id, "station_id": enrolment.station_id,
            "server": enrolment.server_url, "secret_file": str(path)}


def _give_to_folder_owner(path: Path) -> None:
    if os.geteuid() == 0:
        folder = path.parent.stat()
        os.chown(path, folder.st_uid, folder.st_gid)


def run_setup(config, server_url: str, token: str, kiosk_id: str | None = None, *,
              out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`kiosk setup --server URL --token TOKEN`: enrol, print the enrolment as one JSON line."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        summary = enrol_kiosk(config, server_url, token, kiosk_id, err=err)
    except SetupFailed as exc:
        return _fail(err, str(exc), exc.code)
    out.write(json.dumps(summary) + "\n")
    out.flush()
    return EXIT_OK


def open_sync_runner(config, *, max_attempts: int = 1):
    """A runner over a store connection of its own, for the sync worker's thread.

    One attempt per request: the worker's timer does the backing off, so its thread never sleeps
    and shutdown never waits for a retry. Raises NotEnrolled until `kiosk setup` has run.
    """
    from sync.client.runner import build_runner

    from kiosk.store.sync_store import SqliteSyncStore

    store = SqliteSyncStore.open(config.database_path, secret_path(config))
    try:
        return build_runner(store, lock_path=lock_path(config), app_version=app_version(),
                            server_url=config.sync.server or None,
                            options=run_options(config, max_attempts))
    except BaseException:
        store.close()
        raise
