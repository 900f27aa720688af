"""The station's link to the district: one worker thread that sends everything up in the order
the station committed it, and brings the district's catalogue, stations and settings down.

What goes up is the station's own outbox (the counters' calls, serving, done, no-show and
transfers, the window pads' ratings, the one-hour figures) and the relayed ops of its kiosks
(kiosk.store.relay_queue), each kiosk's under its own path and seqs, so every op stays
idempotent by (kiosk_id, seq) from the kiosk to the district. A kiosk's ticket goes up before the
station's call on it, and the station's "done" before a kiosk's rating of the ticket.

The district may be unreachable for hours: the queue keeps working on the station's store, the
worker backs off (full jitter, up to 5 minutes, or at once when poked after a write) and sends
everything when the link returns. What comes down is published to the station's own change feed
as well, for its kiosks.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from sync.client.backoff import Backoff
from sync.client.pull import Puller
from sync.client.push import Pusher
from sync.client.transport import Refused, Transport, TransportError
from sync.protocol import OutboxOp, Rejection

from kiosk.store import relay_queue

log = logging.getLogger(__name__)
RUN_OPS = 500
SNAPSHOT_EVERY_S = 15.0  # the phone pages' queue snapshot goes up on every change, and at least this often
SNAPSHOT_PAUSE_S = 600.0  # after a district refuses snapshots (an older one without phone pages)


class BoundedPort:
    """The station's own outbox up to one seq (``bound`` < 0: all of it)."""

    def __init__(self, port: Any, bound: int):
        self.port, self.bound = port, bound

    def pending_ops(self, limit: int, after_seq: int = 0) -> list[OutboxOp]:
        ops = self.port.pending_ops(limit, after_seq)
        return ops if self.bound < 0 else [op for op in ops if op.seq <= self.bound]

    def pending_count(self) -> int:
        return self.port.pending_count()

    def settle(self, acked: list[int], rejected: list[Rejection], settled_at: str) -> None:
        self.port.settle(acked, rejected, settled_at)


class RelayRun:
    """A run of one kiosk's relayed ops, as the Pusher's port."""

    def __init__(self, db: Any, kiosk_id: str, ops: list[OutboxOp]):
        self.db, self.kiosk_id, self.ops = db, kiosk_id, list(ops)

    def pending_ops(self, limit: int, after_seq: int = 0) -> list[OutboxOp]:
        return [op for op in self.ops if op.seq > after_seq][:limit]

    def pending_count(self) -> int:
        return len(self.ops)

    def settle(self, acked: list[int], rejected: list[Rejection], settled_at: str) -> None:
        relay_queue.settle(self.db, self.kiosk_id, acked, rejected, settled_at)
        done = set(acked) | {r.seq for r in rejected}
        self.ops = [op for op in self.ops if op.seq not in done]


class PublishingPort:
    """The station's store as the Puller's port, publishing every change to the kiosks' feed too."""

    def __init__(self, port: Any, publish: Callable[[list[dict[str, Any]], bool], None]):
        self.port, self.publish = port, publish

    def cursor(self) -> int:
        return self.port.cursor()

    def apply_changes(self, changes: list[dict[str, Any]], next_cursor: int) -> None:
        self.publish(changes, False)
        self.port.apply_changes(changes, next_cursor)

    def replace_snapshot(self, changes: list[dict[str, Any]], next_cursor: int) -> None:
        self.publish(changes, True)
        self.port.replace_snapshot(changes, next_cursor)


class Upstream:
    """``open_port`` opens the station's sync store (its own connection, on the worker's thread);
    ``make_transport(port)`` the signed transport to the district, or None while not enrolled."""

    def __init__(self, open_port: Callable[[], Any], make_transport: Callable[[Any], Transport | None], *,
                 publish: Callable[[list[dict[str, Any]], bool], None], app_version: str,
                 pull_every_s: float = 60.0, idle_s: float = 5.0, backoff: Backoff | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 housekeeping: Callable[[Any], None] = lambda db: None, housekeeping_every_s: float = 600.0,
                 snapshot: Callable[[Any], dict[str, Any]] | None = None,
                 rated_on_phone: Callable[[Any, list[str]], Any] = lambda db, ids: None,
                 heartbeats: Callable[[Any, Transport], Any] | None = None):
        self.open_port = open_port
        self.make_transport = make_transport
        self.publish = publish
        self.app_version = app_version
        self.pull_every_s = pull_every_s
        self.idle_s = idle_s
        self.backoff = backoff or Backoff()
        self.monotonic = monotonic
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0
        self.last_error = ""
        self.last_ok: float | None = None
        self._next_pull = 0.0
        self.housekeeping = housekeeping  # the station's daily records (one-hour figures), with or without the district
        self.housekeeping_every_s = housekeeping_every_s
        self._next_housekeeping = 0.0
        self.snapshot = snapshot  # the station's queue for its tickets' phone pages (kiosk.store.phone_snapshot)
        self.rated_on_phone = rated_on_phone
        self._sent_snapshot: tuple[Any, float] | None = None  # (what was sent but its time, when)
        self._snapshots_paused_until = 0.0
        self.heartbeats = heartbeats  # the station's own and its kiosks' (kiosk.station.heartbeats)

    # lifecycle ---------------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="station-upstream", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def poke(self) -> None:
        """Something was committed: send it now."""
        self._wake.set()

    def status(self) -> dict[str, Any]:
        return {"failures": self.failures, "last_error": self.last_error,
                "last_ok_s_ago": None if self.last_ok is None else round(self.monotonic() - self.last_ok, 1)}

    # the loop --------------------------------------------------------------------------------------
    def _run(self) -> None:
        port = self.open_port()
        transport = None
        try:
            while not self._stop.is_set():
                self._wake.clear()
                delay = self.idle_s
                if self.monotonic() >= self._next_housekeeping:
                    self._next_housekeeping = self.monotonic() + self.housekeeping_every_s
                    try:
                        self.housekeeping(port.db)
                    except Exception:  # the link must go on whatever a daily record meets
                        log.exception("station housekeeping failed")
                try:
                    transport = transport or self.make_transport(port)
                    if transport is not None:
                        self.cycle(port, transport)
                        self.failures, self.last_error, self.last_ok = 0, "", self.monotonic()
                except (TransportError, OSError) as exc:
                    self.failures += 1
                    self.last_error = str(exc)[:300]
                    delay = self.backoff.delay(self.failures, getattr(exc, "retry_after", None))
                    log.warning("district link: %s (retry in %.1f s)", self.last_error, delay)
                except Exception as exc:  # a fault of this worker must not end the station's link for good
                    self.failures += 1
                    self.last_error = f"{type(exc).__name__}: {exc}"[:300]
                    delay = self.backoff.delay(self.failures, None)
                    log.exception("station upstream failed")
                if self.failures:
                    self._stop.wait(delay)  # while the district is away, a poke does not hammer it
                else:
                    self._wake.wait(delay)
        finally:
            if transport is not None:
                transport.close()
            port.close()

    def cycle(self, port: Any, transport: Transport) -> None:
        """Send everything pending in commit order, then pull when it is time."""
        retry = lambda call: call()  # noqa: E731 - the loop above backs off
        while not self._stop.is_set():
            kind, bound, kiosk_id, run = relay_queue.next_run(port.db, RUN_OPS)
            if kind is None:
                break
            if kind == "own":
                Pusher(BoundedPort(port, bound), transport, app_version=self.app_version, retry=retry).push_all(
                    should_stop=self._stop.is_set)
            else:
                Pusher(RelayRun(port.db, kiosk_id, run), transport, app_version=self.app_version, retry=retry,
                       for_kiosk=kiosk_id).push_all(should_stop=self._stop.is_set)
        self.push_snapshot(port, transport)
        if self.heartbeats is not None:
            self.heartbeats(port, transport)
        if self.monotonic() >= self._next_pull:
            Puller(PublishingPort(port, self.publish), transport, retry=retry).pull_all(self._stop.is_set)
            self._next_pull = self.monotonic() + self.pull_every_s

    def push_snapshot(self, port: Any, transport: Transport) -> None:
        """The queue for the phone pages, after the ops it follows from: when it changed, or every
        SNAPSHOT_EVERY_S (the pages say when a station has gone quiet). The answer names the tickets
        rated on the phone, whose rating closes here."""
        now = self.monotonic()
        if self.snapshot is None or now < self._snapshots_paused_until:
            return
        body = self.snapshot(port.db)
        mark = {k: v for k, v in body.items() if k != "at"}
        if self._sent_snapshot is not None and self._sent_snapshot[0] == mark and now - self._sent_snapshot[1] < SNAPSHOT_EVERY_S:
            return
        try:
            answer = transport.post(f"/v1/kiosks/{transport.kiosk_id}/queue-snapshot", body)
        except Refused as exc:  # a district without phone pages: the rest of the link goes on
            log.warning("district refused the queue snapshot (%s); again in %.0f s", exc, SNAPSHOT_PAUSE_S)
            self._snapshots_paused_until = now + SNAPSHOT_PAUSE_S
            return
        self._sent_snapshot = (mark, now)
        rated = answer.get("rated_on_phone") if isinstance(answer, dict) else None
        if isinstance(rated, list) and rated:
            self.rated_on_phone(port.db, rated)


__all__ = ["BoundedPort", "PublishingPort", "RelayRun", "Refused", "Upstream"]
