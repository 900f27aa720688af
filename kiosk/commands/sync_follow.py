"""`kiosk sync --follow`: the kiosk's sync as a service without the window (a headless kiosk, a
test rig): a run at once after every commit of the local store, and on the configured interval,
until SIGTERM or SIGINT. Each run pushes, pulls, and (behind a station service) fetches the
station's queue view for the waiting counts and rating invitations; then the heartbeat goes when
due (at most once a minute, at once when the printer's state changed: docs/fleet-health.md).

Exit codes as `kiosk sync` for what stops it before it starts (2 not enrolled, 3 busy, 4 store);
0 after a signal. An unreachable server is retried with back-off and never stops it.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import sys
import threading
import time
from typing import TextIO

from kiosk.fieldsetup.enrolment import EXIT_CONFIG, EXIT_OK, EXIT_STORE, _fail

POLL_S = 0.03
STATION_RETRY_S = 2.0  # a station is on the LAN: try again soon, so offline tickets join the queue quickly


def follow(config, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from sync.client.backoff import Backoff
    from sync.client.runner import NotEnrolled, SyncBusy
    from sync.client.transport import Refused, TransportError

    from kiosk import app
    from kiosk.store.engine import StoreUnavailable

    out, err = out or sys.stdout, err or sys.stderr
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        store = app.open_sync_store(config)
    except StoreUnavailable as exc:
        return _fail(err, str(exc), EXIT_STORE)
    try:
        try:
            runner = app.sync_runner(config, store, max_attempts=1)
        except NotEnrolled as exc:
            return _fail(err, str(exc), EXIT_CONFIG)
        beat = app.heartbeat(config)
        backoff, failures = Backoff(), 0
        seen, next_run = None, 0.0
        while not stop.is_set():
            version = store.db.execute("PRAGMA data_version").fetchone()[0]
            if version == seen and time.monotonic() < next_run:
                stop.wait(POLL_S)
                continue
            seen = version  # commits by other connections from here on bring another run (our own do not count)
            try:
                summary = runner.run()
                summary["queue"] = app.fetch_station_queue(store, runner.transport)
                summary["heartbeat"] = beat.after_sync(store, runner.transport)
                failures, next_run = 0, time.monotonic() + config.sync.interval_seconds
                out.write(json.dumps(summary, ensure_ascii=False) + "\n")
                out.flush()
            except SyncBusy:
                next_run = time.monotonic() + 1.0
            except (TransportError, Refused) as exc:
                failures += 1
                delay = max(0.2, backoff.delay(failures, getattr(exc, "retry_after", None)))
                if store.station_queue() is not None:
                    delay = min(delay, STATION_RETRY_S)
                next_run = time.monotonic() + delay
                print(f"kiosk: sync failed, the queue is kept: {exc.detail}", file=err, flush=True)
            except (StoreUnavailable, sqlite3.Error) as exc:
                return _fail(err, f"local store: {exc}", EXIT_STORE)
        runner.transport.close()
        return EXIT_OK
    finally:
        store.close()


__all__ = ["follow"]
