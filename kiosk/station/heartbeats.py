"""The station's heartbeats to the district (docs/fleet-health.md): its own, and its kiosks' as they
reached it, relayed under each kiosk's path and signed as the station (like their ops).

A kiosk's heartbeat is relayed once, and only while it is fresh (received within RELAY_FRESH_S):
after a restart or an outage the district is not told that a kiosk silent at the station lives."""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from sqlalchemy import select

from sync.client.heartbeat import Heartbeat
from sync.client.transport import Refused, Transport
from sync.server.db import transaction
from sync.server.models import DeviceHealth

from kiosk.store import relay_queue

log = logging.getLogger(__name__)
RELAY_FRESH_S = 120.0
REFUSED_PAUSE_S = 600.0  # a district without the heartbeat endpoint


class StationBacklog:
    """The station's sync store as the heartbeat sees it: its outbox is its own ops and its kiosks'."""

    def __init__(self, port: Any):
        self.port = port

    def pending_count(self) -> int:
        return self.port.pending_count() + relay_queue.pending_count(self.port.db)

    def dead_letters(self) -> list:
        relayed = self.port.db.execute("SELECT count(*) FROM relay_ops WHERE state = 'rejected'").fetchone()[0]
        return list(self.port.dead_letters()) + [None] * relayed

    def setting(self, entity: str, item_id: str) -> Any:
        return self.port.setting(entity, item_id)


class StationHeartbeats:
    def __init__(self, relay_sessions: Any, beat: Heartbeat, *, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic):
        self.relay_sessions = relay_sessions
        self.beat = beat
        self.clock, self.monotonic = clock, monotonic
        self.relayed: dict[str, float] = {}  # kiosk_id -> received_at of the heartbeat relayed last
        self._paused_until = -1e18

    def send(self, port: Any, transport: Transport) -> int:
        """The station's own heartbeat when due, then its kiosks' fresh ones; how many were relayed.
        A transport failure ends the round (the link's loop backs off)."""
        self.beat.after_sync(StationBacklog(port), transport)
        if self.monotonic() < self._paused_until:
            return 0
        with transaction(self.relay_sessions) as session:
            rows = session.execute(select(DeviceHealth.kiosk_id, DeviceHealth.received_at, DeviceHealth.data).where(
                DeviceHealth.received_at >= self.clock() - RELAY_FRESH_S)).all()
        relayed = 0
        for kiosk_id, received_at, data in rows:
            if self.relayed.get(kiosk_id, 0.0) >= received_at:
                continue
            try:
                transport.post(f"/v1/kiosks/{kiosk_id}/heartbeat", data)
            except Refused as exc:
                log.warning("district refused %s's heartbeat: %s", kiosk_id, exc)
                if exc.status in (404, 405):
                    self._paused_until = self.monotonic() + REFUSED_PAUSE_S
                    return relayed
            self.relayed[kiosk_id] = received_at
            relayed += 1
        return relayed


__all__ = ["StationBacklog", "StationHeartbeats"]
