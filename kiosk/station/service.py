"""`kiosk station-service`: one process that is the queue authority of its station.

It serves, on one port:
- ``/v1/…``: the sync-v1 server of the station's kiosks (kiosk.station.front);
- ``/``, ``/display``, ``/pad``, ``/api/…``: the counter console, the hall display, the window
  rating pads and the counter API (kiosk.counter, docs/counter-api.md);
and runs the upstream worker to the district (kiosk.station.upstream). The station's queue lives in
its own store (the configuration's data directory), beside ``relay.db`` (the kiosks' secrets and
ops as received).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Callable

from kiosk.counter.server import counter_app_for
from kiosk.station.front import StationHooks, catch_up
from kiosk.station.upstream import Upstream
from kiosk.store import phone_snapshot
from kiosk.store.private_files import private_dir, private_file
from kiosk.version import app_version

log = logging.getLogger(__name__)
RELAY_FILE = "relay.db"


class PathDispatch:
    """ASGI: ``/v1/`` to the kiosks' sync server, everything else (and the lifespan) to the counters."""

    def __init__(self, front: Any, counters: Any):
        self.front, self.counters = front, counters

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("path", "").startswith("/v1/"):
            await self.front(scope, receive, send)
        else:
            await self.counters(scope, receive, send)


@dataclass
class Station:
    app: PathDispatch
    upstream: Upstream
    hub: Any
    hooks: StationHooks


def _publisher(sessions: Any, clock: Callable[[], float]) -> Callable[[list[dict], bool], None]:
    """Publish what came down from the district to the station's own change feed, for its kiosks."""
    from sqlalchemy import select

    from sync.server.changes import record_changes
    from sync.server.db import transaction
    from sync.server.models import CatalogueItem

    def publish(changes: list[dict], snapshot: bool) -> None:
        rows = [(c["entity"], str(c["id"]), c.get("data") if c.get("op", "upsert") == "upsert" else None)
                for c in changes]
        with transaction(sessions) as session:
            current = {(i.entity, i.item_id): i.data for i in session.scalars(select(CatalogueItem))}
            wanted = [(e, i, d) for e, i, d in rows if current.get((e, i)) != d]
            if snapshot:
                kept = {(e, i) for e, i, _d in rows}
                wanted += [(e, i, None) for (e, i) in sorted(current) if (e, i) not in kept]
            record_changes(session, wanted, clock())

    return publish


def record_past_days(db, clock: Callable[[], datetime], rollover_hour: int, days: int = 7) -> list[dict]:
    """The one-hour figures of each past business day not yet recorded (an event that goes up to
    the district), the station's queue being where tickets are served."""
    from datetime import timedelta

    from kiosk.domain.numbering import business_date
    from kiosk.store.queue_statistics import record_one_hour_rule

    now = clock()
    today = business_date(now, rollover_hour)
    recorded = []
    for back in range(days, 0, -1):
        figures = record_one_hour_rule(db, today - timedelta(days=back), now)
        if figures is not None and figures["served"]:
            recorded.append(figures)
    return recorded


def housekeeping(db, clock: Callable[[], datetime], config, relay_sessions) -> None:
    """Every few minutes on the upstream worker: the past days' one-hour figures, and the retention
    purge of what the district holds (sync.retention_days), in the queue and in relay.db (the
    kiosks' ops as received, kept for their retries and reconciliation)."""
    from datetime import timedelta

    from sqlalchemy import delete

    from sync.server.db import transaction
    from sync.server.models import Batch, Op

    from kiosk.store.relay_queue import purge_before

    record_past_days(db, clock, config.kiosk.day_rollover_hour)
    cutoff = clock() - timedelta(days=config.sync.retention_days)
    purge_before(db, cutoff.date().isoformat())
    with transaction(relay_sessions) as session:
        session.execute(delete(Op).where(Op.op_day < cutoff.date().isoformat()))
        session.execute(delete(Batch).where(Batch.created_at < cutoff.timestamp()))


def queue_snapshot(db, *, config, clock: Callable[[], datetime]) -> dict:
    """The station's queue for its tickets' phone pages, as the upstream worker sends it."""
    from kiosk.domain.numbering import business_date

    now = clock()
    return phone_snapshot.snapshot(db, config.kiosk.station_id, business_date(now, config.kiosk.day_rollover_hour), now)


def station_heartbeats(config, relay_sessions):
    """The station's own heartbeat (no printer, no reader) and its kiosks' relayed (docs/fleet-health.md)."""
    from sync.client.heartbeat import Heartbeat

    from kiosk.station.heartbeats import StationHeartbeats

    return StationHeartbeats(relay_sessions, Heartbeat(app_version=app_version(), data_dir=config.kiosk.data_dir))


def build_station(config, *, open_store, open_sync_store, clock: Callable[[], datetime]) -> Station:
    """The station service of ``config`` (its store migrated and seeded, relay.db migrated)."""
    import time

    from sync.client.transport import Transport
    from sync.server.app import create_app
    from sync.server.db import make_engine
    from sync.server.migrations import upgrade

    counters = counter_app_for(config, open_store=open_store, clock=clock)
    hub = counters.state.hub
    data_dir = config.kiosk.data_dir
    private_dir(data_dir)
    relay_path = data_dir / RELAY_FILE
    private_file(relay_path)  # it keeps the kiosks' secrets
    engine = make_engine(f"sqlite:///{relay_path}")
    upgrade(engine)
    engine.dispose()

    def district_url() -> str | None:
        port = open_sync_store(config)
        try:
            enrolment = port.load_enrolment()
        finally:
            port.close()
        return config.sync.server or (enrolment.server_url if enrolment else None)

    def make_transport(port) -> Transport | None:
        enrolment = port.load_enrolment()
        if enrolment is None:
            return None
        return Transport(config.sync.server or enrolment.server_url, enrolment.kiosk_id, enrolment.secret,
                         ca_file=config.sync.ca_file)

    upstream_box: list[Upstream] = []
    hooks = StationHooks(config.database_path, station_id=config.kiosk.station_id, district_url=district_url,
                         clock=clock, rollover_hour=config.kiosk.day_rollover_hour,
                         rating_window_days=config.station.rating_window_days,
                         on_taken_in=lambda: (hub.poke(), upstream_box[0].poke() if upstream_box else None))
    front = create_app(f"sqlite:///{relay_path}", hooks=hooks)
    front_sessions = front.state.server.sessions  # the embedded server's own write sessions
    taken = catch_up(hooks, front_sessions)
    if taken:
        log.warning("took %d kiosk ops into the queue that a stop had left out", taken)
    upstream = Upstream(lambda: open_sync_store(config), make_transport, publish=_publisher(front_sessions, time.time),
                        app_version=app_version(), pull_every_s=float(config.sync.interval_seconds),
                        housekeeping=lambda db: housekeeping(db, clock, config, front_sessions),
                        snapshot=partial(queue_snapshot, config=config, clock=clock),
                        rated_on_phone=lambda db, ids: phone_snapshot.mark_rated_on_phone(db, ids, clock()),
                        heartbeats=station_heartbeats(config, front_sessions).send)
    upstream_box.append(upstream)
    hooks.heartbeat_kept = lambda _kiosk_id: upstream.poke()  # a kiosk's heartbeat goes up at once
    counters.state.upstream = upstream
    hub.listeners.append(upstream.poke)  # a counter's call goes up at once
    return Station(PathDispatch(front, counters), upstream, hub, hooks)


def serve_station(config, host: str, port: int, *, open_store, open_sync_store,
                  clock: Callable[[], datetime]) -> int:
    """Run the station service until SIGINT/SIGTERM. Returns the exit code (2: a TLS file unreadable)."""
    import ssl
    import sys

    from kiosk.counter.server import run_uvicorn

    tls = (config.station.tls_cert, config.station.tls_key) if config.station.tls_cert else None
    if tls:
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(*tls)
        except (OSError, ssl.SSLError) as exc:
            print(f"station-service: station.tls_cert / station.tls_key in {config.source} cannot be used: {exc}; "
                  "make them with `kiosk station-cert --host NAME`", file=sys.stderr)
            return 2
    station = build_station(config, open_store=open_store, open_sync_store=open_sync_store, clock=clock)
    station.upstream.start()
    try:
        return run_uvicorn(station.app, station.hub, host, port, name="station-service", tls=tls)
    finally:
        station.upstream.stop()


__all__ = ["PathDispatch", "RELAY_FILE", "Station", "build_station", "serve_station"]
