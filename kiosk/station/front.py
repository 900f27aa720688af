"""The station's kiosks sync with the station service as they would with the district
(docs/sync-protocol.md, "Stations"). It runs the district's server code over its own SQLite file
(`relay.db` in the data directory) and changes what sync.server.hooks lets it change:

- enrolment goes on to the district (a token for another station is refused before it is used),
  and the station keeps the kiosk's secret to check its signatures;
- a kiosk's ticket whose number another kiosk of the station already holds today is refused;
- whether a ticket may be rated is judged on the station's queue, where the counters mark it done;
- every batch accepted joins the station's queue at once (kiosk.store.relay_queue), and the
  upstream worker and the consoles are told;
- the kiosks read waiting counts, estimates and the tickets just served from the station's queue.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sync.client.enrol import relay_enrol
from sync.client.transport import TransportError
from sync.protocol import REJECTED
from sync.server.errors import ApiError
from sync.server.hooks import ServerHooks

from kiosk.domain.numbering import business_date
from kiosk.store import queue_statistics, queue_views, relay_queue
from kiosk.store.engine import connect

log = logging.getLogger(__name__)
SERVED_SHOWN = timedelta(hours=2)


class StationHooks(ServerHooks):
    def __init__(self, store_path: Path, *, station_id: str, district_url: Callable[[], str | None],
                 clock: Callable[[], datetime], rollover_hour: int = 4, rating_window_days: int = 0,
                 on_taken_in: Callable[[], None] = lambda: None):
        self.store_path = Path(store_path)
        self.station_id = station_id
        self.district_url = district_url
        self.clock = clock
        self.rollover_hour = rollover_hour
        self.rating_window_days = rating_window_days
        self.on_taken_in = on_taken_in
        self._local = threading.local()

    @contextmanager
    def queue(self) -> Iterator[Any]:
        """This thread's connection to the station's queue store."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self.store_path)
        yield db

    # the rating rule, on the station's queue ----------------------------------------------------------
    def ticket_facts(self, session: Any, ticket_ids: Iterable[str]) -> dict:
        with self.queue() as db:
            return relay_queue.ticket_facts(db, list(ticket_ids))

    def find_ticket(self, session: Any, station_id: str, number: str, business_date: str) -> str | None:
        with self.queue() as db:
            return relay_queue.find_ticket(db, station_id, number, business_date)

    def check_ticket(self, kiosk_id: str, payload: dict[str, Any]) -> tuple[str, str] | None:
        with self.queue() as db:
            holder = relay_queue.find_ticket(db, payload["station_id"], payload["number"], payload["business_date"])
        if holder is not None and holder != payload["ticket_id"]:
            return ("invalid_payload", f"number {payload['number']} of {payload['business_date']} is already another "
                    "ticket's at this station: two kiosks share a numbering block or letter")
        return None

    # enrolment goes on to the district --------------------------------------------------------------
    def enrol(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        url = self.district_url()
        if not url:
            return 503, {"error": "station_not_enrolled",
                         "detail": "this station service is not enrolled with the district yet"}
        try:
            status, numbering = relay_enrol(url, "/v1/enrol/numbering", body)
            if status != 200:
                return status, numbering
            if numbering.get("station_id") != self.station_id:
                return 403, {"error": "wrong_station", "detail": f"the token is for station {numbering.get('station_id')!r}, "
                             f"this is station {self.station_id!r}; enrol the kiosk with that station"}
            return relay_enrol(url, "/v1/enrol", body)
        except TransportError as exc:
            return 503, {"error": "district_unreachable",
                         "detail": f"enrolment needs the district, which cannot be reached now: {exc}"}

    # every accepted batch joins the queue -------------------------------------------------------------
    def after_batch(self, kiosk_id: str, ops: list[dict[str, Any]], response: dict[str, Any]) -> None:
        accepted = {r["seq"] for r in response.get("results", []) if r.get("status") != REJECTED}
        try:
            with self.queue() as db:
                new = relay_queue.take_in(db, kiosk_id, ops, accepted)
        except Exception as exc:  # the kiosk retries; the stored answer brings it here again
            log.error("station queue cannot take in %s's batch: %s", kiosk_id, exc)
            raise ApiError(503, "queue_unavailable", "the station's queue cannot be written now; retry later",
                           {"Retry-After": "2"}) from None
        if new:
            self.on_taken_in()

    # what the kiosks show ----------------------------------------------------------------------------
    def queue_view(self, kiosk_id: str, station_id: str) -> dict[str, Any]:
        now = self.clock()
        day = business_date(now, self.rollover_hour)
        with self.queue() as db:
            waiting = queue_statistics.waiting_per_service(db, day)
            estimates = queue_statistics.wait_estimates(db, day)
            served = queue_views.recently_served(db, now - SERVED_SHOWN)
        return {"station_id": self.station_id, "at": now.isoformat(timespec="seconds"),
                "business_date": day.isoformat(), "waiting": waiting, "estimates": estimates,
                "served": [{"ticket_id": s["ticket_id"], "number": s["number"], "service_code": s["service_code"],
                            "served_at": s["served_at"]} for s in served]}


def catch_up(hooks: StationHooks, relay_sessions: Any) -> int:
    """At start: take in the accepted ops of the relay file that the queue has not (a stop between
    the two commits). Returns how many were taken in."""
    from sqlalchemy import select

    from sync.server.models import Op

    taken = 0
    with relay_sessions() as session:
        kiosks = [k for (k,) in session.execute(select(Op.kiosk_id).distinct())]
        for kiosk_id in kiosks:
            with hooks.queue() as db:
                have = relay_queue.taken_in(db, kiosk_id)
            rows = session.execute(select(Op).where(Op.kiosk_id == kiosk_id, Op.status != REJECTED)
                                   .order_by(Op.seq)).scalars()
            missing = [{"seq": o.seq, "op_id": o.op_id, "entity": o.entity, "entity_id": o.entity_id, "kind": o.kind,
                        "created_at": o.created_at, "payload": o.payload} for o in rows if o.seq not in have]
            if missing:
                with hooks.queue() as db:
                    taken += relay_queue.take_in(db, kiosk_id, missing, {m["seq"] for m in missing})
    return taken
