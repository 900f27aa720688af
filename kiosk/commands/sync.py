"""What `kiosk sync` does: one run over the configuration, returning an exit code.

Exit codes: 0 done · 2 not configured or not enrolled · 3 another sync run holds the lock ·
4 local store unavailable · 5 server unreachable or busy (retries spent) · 6 refused by the server
(enrolment token, signature, schema version) · 7 reconciliation still finds days that differ ·
8 the server rejected ops in this run (they are kept as dead letters for the technician screen).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
from typing import Callable, TextIO

from kiosk.fieldsetup.enrolment import EXIT_CONFIG, EXIT_OK, EXIT_REFUSED, EXIT_STORE, EXIT_UNREACHABLE, _fail

EXIT_BUSY = 3
EXIT_MISMATCH = 7
EXIT_REJECTED = 8
DEFAULT_START_SPREAD_S = 600


def start_offset(kiosk_id: str, spread_s: float) -> float:
    """A stable delay in [0, spread_s) derived from the kiosk id, so a district's kiosks spread out."""
    if spread_s <= 0:
        return 0.0
    return int.from_bytes(hashlib.sha256(kiosk_id.encode("utf-8")).digest()[:8], "big") % int(spread_s * 1000) / 1000


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


def run_sync(config, now: bool, reconcile: bool, progress: bool, *, start_spread_s: float = DEFAULT_START_SPREAD_S,
             sleep: Callable[[float], None] = time.sleep, out: TextIO | None = None, err: TextIO | None = None,
             clock: Callable[[], float] = time.time, max_attempts: int = 6) -> int:
    """One sync run (push, pull, and with `reconcile` the nightly check); prints its summary as JSON."""
    from sync.client.runner import NotEnrolled, SyncBusy
    from sync.client.transport import TRANSIENT, Refused, TransportError

    from kiosk import app
    from kiosk.store.engine import StoreUnavailable

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        store = app.open_sync_store(config)
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
        runner = app.sync_runner(config, store, max_attempts=max_attempts, clock=clock)
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
    if summary.get("rejected"):
        return _fail(err, f"the server rejected {summary['rejected']} op(s) in this run; they are kept as dead "
                          f"letters (technician screen, `kiosk doctor all`): {summary['dead_letters']} in all",
                     EXIT_REJECTED)
    return EXIT_OK
