"""The device's heartbeat (docs/fleet-health.md): after a sync round, what a technician would ask
first, sent to the sync server (the station service or the district) at most once a minute, and at
once when something in it other than the times changed (the printer ran out of paper).

The devices are asked through callables of the caller (the kiosk's printer, its card reader): at
most once per ``probe_every_s``, so a burst of commits does not query the printer for each."""

from __future__ import annotations

import logging
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from sync.client.transport import Refused, Transport, TransportError
from sync.protocol.heartbeat import CATALOGUE_VERSION_KEY, HEARTBEAT_EVERY_S

log = logging.getLogger(__name__)
REFUSED_PAUSE_S = 600.0  # a server without the heartbeat endpoint (an older one): ask again later
TIMES = ("at", "last_sync_at", "clock_offset_s", "disk_free_mb")  # what changes on its own, every round


def local_time(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).astimezone().isoformat(timespec="seconds")


def disk_free_mb(path: Path | str) -> int | None:
    try:
        return int(shutil.disk_usage(path).free // (1024 * 1024))
    except OSError:
        return None


def catalogue_version(port: Any) -> int | None:
    """The value of the config item ``catalogue_version`` in the device's local catalogue, if any."""
    setting = getattr(port, "setting", None)
    if setting is None:
        return None
    try:
        data = setting("config", CATALOGUE_VERSION_KEY)
    except Exception:  # the store cannot say: the heartbeat goes without it
        return None
    value = data.get("value") if isinstance(data, dict) else data
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class Heartbeat:
    """``printer()`` and ``reader()`` say each device's state in one word (sync.protocol.heartbeat)."""

    def __init__(self, *, app_version: str, data_dir: Path | str, printer: Callable[[], str] = lambda: "absent",
                 reader: Callable[[], str] = lambda: "absent", every_s: float = HEARTBEAT_EVERY_S,
                 probe_every_s: float = 5.0, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic):
        self.app_version = app_version
        self.data_dir = data_dir
        self.printer, self.reader = printer, reader
        self.every_s, self.probe_every_s = every_s, probe_every_s
        self.clock, self.monotonic = clock, monotonic
        self.last_sync_at: str | None = None
        self._devices: tuple[str, str] | None = None
        self._probed_at = -1e18
        self._sent: tuple[dict[str, Any], float] | None = None
        self._paused_until = -1e18
        self.sent = 0

    def devices(self) -> tuple[str, str]:
        now = self.monotonic()
        if self._devices is None or now - self._probed_at >= self.probe_every_s:
            self._devices = (self._ask(self.printer), self._ask(self.reader))
            self._probed_at = now
        return self._devices

    @staticmethod
    def _ask(device: Callable[[], str]) -> str:
        try:
            return device()
        except Exception as exc:  # a device that cannot say is "unknown", never a failed sync
            log.info("device state not read: %s", exc)
            return "unknown"

    def body(self, port: Any, transport: Transport) -> dict[str, Any]:
        printer, reader = self.devices()
        offset = transport.offset.seconds
        return {"at": local_time(self.clock()), "app_version": self.app_version[:64] or "0",
                "catalogue_version": catalogue_version(port), "last_sync_at": self.last_sync_at,
                "outbox": port.pending_count(), "dead_letters": len(port.dead_letters()), "printer": printer,
                "reader": reader, "disk_free_mb": disk_free_mb(self.data_dir),
                "clock_offset_s": None if offset is None else round(offset, 1)}

    def after_sync(self, port: Any, transport: Transport) -> bool:
        """After a good sync round: send the heartbeat when it is due. True when it was sent; a
        failure is logged and never fails the round."""
        self.last_sync_at = local_time(self.clock())
        now = self.monotonic()
        if now < self._paused_until:
            return False
        body = self.body(port, transport)
        mark = {k: v for k, v in body.items() if k not in TIMES}
        if self._sent is not None and self._sent[0] == mark and now - self._sent[1] < self.every_s:
            return False
        try:
            transport.post(f"/v1/kiosks/{transport.kiosk_id}/heartbeat", body)
        except Refused as exc:
            self._paused_until = now + (REFUSED_PAUSE_S if exc.status in (404, 405) else self.every_s)
            log.warning("heartbeat refused: %s", exc)
            return False
        except TransportError as exc:
            log.info("heartbeat not sent: %s", exc)
            return False
        self._sent = (mark, now)
        self.sent += 1
        return True


__all__ = ["Heartbeat", "catalogue_version", "disk_free_mb", "local_time"]
