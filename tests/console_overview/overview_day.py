"""A business day of a few stations as the district stores it, for the overview's tests and its
benchmark: enrolled kiosks and station services, every ticket's ops (the kiosk's issue, the
station's call and its end), the tickets, the stations' queue snapshots, ratings and 差评 work
orders; deterministic for a seed, with the figures the overview must show computed here from the
generated rows (the test's own arithmetic, not the server's).

Imported by name (tests/ is on the test path)."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator

from sqlalchemy.orm import sessionmaker

from sync.server.db import make_engine, transaction
from sync.server.models import Kiosk, Op, Rating, StationQueue, Ticket, WorkOrder

CHINA = timezone(timedelta(hours=8))
WAIT_EDGES = (0, 10, 20, 30, 45, 60, 90, 120)


def stamp(moment: datetime) -> str:
    return moment.astimezone(CHINA).isoformat(timespec="seconds")


def ticket_ops(kiosk: str, station_kiosk: str, ticket: dict[str, Any], called: datetime | None,
               end: str | None, ended: datetime | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """(sender, payload) of a ticket's ops: issued (waiting), called, then ``end`` (done, no_show)."""
    yield kiosk, dict(ticket, status="waiting")
    if called is not None:
        yield station_kiosk, dict(ticket, status="called", updated_at=stamp(called))
    if end is not None and ended is not None:
        yield station_kiosk, dict(ticket, status=end, updated_at=stamp(ended))


@dataclass
class OverviewDay:
    day: date
    stations: list[str]
    tickets_per_station: int = 40
    seed: int = 7
    limit_minutes: int = 60
    opens: datetime | None = None  # the first ticket's earliest time (08:30 of the day by default)
    spread_minutes: float = 9 * 60  # tickets are taken within this long after ``opens``
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    expected: dict[str, dict[str, Any]] = field(default_factory=dict)  # station -> figures of the day

    def build(self, now: datetime) -> "OverviewDay":
        rng = random.Random(self.seed)
        seqs: dict[str, int] = defaultdict(int)
        start = self.opens or datetime(self.day.year, self.day.month, self.day.day, 8, 30, tzinfo=CHINA)
        for index, station in enumerate(self.stations):
            kiosk, station_kiosk = f"OV-{index:02d}-K1", f"OV-{index:02d}-ST"
            for kiosk_id, role in ((kiosk, "kiosk"), (station_kiosk, "station")):
                self.rows["kiosk"].append({"kiosk_id": kiosk_id, "station_id": station, "secret": "x",
                                           "app_version": "1.4.0", "enrolled_at": 0.0, "high_water": 0,
                                           "numbering": None, "role": role})
            figures = {"tickets": 0, "called": 0, "served": 0, "within": 0, "waiting": 0,
                       "by_hour": [0] * 24, "waits": [0] * len(WAIT_EDGES)}
            queue: dict[str, dict[str, Any]] = {}
            moments = sorted(start + timedelta(minutes=rng.uniform(0, self.spread_minutes)) for _ in range(self.tickets_per_station))
            moments.append(datetime(self.day.year, self.day.month, self.day.day, 23, 50, tzinfo=CHINA)
                           + timedelta(hours=2))  # 01:50 of the next date: still this business day
            for number, issued in enumerate(moments, start=1):
                if issued > now:
                    continue
                wait = rng.choice((rng.uniform(0, 59), rng.uniform(0, 59), rng.uniform(55, 150)))
                called = issued + timedelta(minutes=wait)
                fate = rng.random()
                if called > now or fate < 0.08:
                    called, end = None, ("cancelled" if fate < 0.04 and called <= now else None)
                else:
                    end = "no_show" if fate < 0.12 else "done" if called + timedelta(minutes=12) <= now else None
                ended = called + timedelta(minutes=rng.uniform(3, 12)) if called is not None else None
                ticket_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                ticket = {"ticket_id": ticket_id, "station_id": station, "service_code": "SB-KSL",
                          "number": f"A{number:03d}", "issued_at": stamp(issued),
                          "business_date": self.day.isoformat(), "priority": "normal", "assistance": False,
                          "bundle_code": None, "id_digest": None, "id_masked": None, "updated_at": stamp(issued)}
                if end == "cancelled":
                    sent = [(kiosk, dict(ticket, status="waiting")),
                            (kiosk, dict(ticket, status="cancelled", updated_at=stamp(issued + timedelta(minutes=5))))]
                else:
                    sent = list(ticket_ops(kiosk, station_kiosk, ticket, called, end, ended))
                for sender, payload in sent:
                    seqs[sender] += 1
                    self.rows["op"].append(op_row(sender, seqs[sender], payload, now))
                last = sent[-1][1]
                self.rows["ticket"].append({"ticket_id": ticket_id, "kiosk_id": kiosk, "seq": seqs[kiosk],
                                            "station_id": station, "service_code": "SB-KSL",
                                            "number": ticket["number"], "business_date": self.day.isoformat(),
                                            "status": last["status"], "holder_code": None, "id_digest": None,
                                            "updated_at": last["updated_at"]})
                figures["tickets"] += 1
                figures["by_hour"][issued.hour] += 1
                if called is not None:
                    figures["called"] += 1
                    minutes = (called.replace(microsecond=0) - issued.replace(microsecond=0)).total_seconds() / 60
                    figures["waits"][max(i for i, e in enumerate(WAIT_EDGES) if minutes >= e)] += 1
                    if end == "done":
                        figures["served"] += 1
                        figures["within"] += minutes <= self.limit_minutes
                if last["status"] in ("waiting", "called", "serving"):
                    queue[ticket_id] = {"status": last["status"], "ahead": None, "estimate_minutes": None,
                                        "counter": None}
                    figures["waiting"] += last["status"] == "waiting"
            self.rows["queue"].append({"station_id": station, "sent_by": station_kiosk, "at": stamp(now),
                                       "business_date": self.day.isoformat(), "received_at": now.timestamp(),
                                       "data": queue})
            self._ratings(rng, index, station, kiosk, seqs, figures, start, now)
            self.expected[station] = figures
        return self

    def _ratings(self, rng: random.Random, index: int, station: str, kiosk: str, seqs: dict[str, int],
                 figures: dict[str, Any], start: datetime, now: datetime) -> None:
        levels = [0] * 5
        for n in range(12 + index * 3):
            level = (5, 5, 4, 5, 3, 2, 1, 5, 4)[n % 9]
            rated = min(now, start + timedelta(minutes=30 + n * 17))
            seqs[kiosk] += 1
            rating_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            self.rows["rating"].append({
                "rating_id": rating_id, "ticket_id": None, "kiosk_id": kiosk, "seq": seqs[kiosk], "station_id": station,
                "service_code": "SB-KSL", "level": level, "contact_phone": None, "rated_at": stamp(rated),
                "data": {}, "channel": "window_pad", "counter_id": f"{n % 3 + 1}号窗口", "rated_ts": rated.timestamp(),
                "region_code": "610113", "indicator_version": "GB/T 39735-2020", "with_contact": False})
            levels[level - 1] += 1
            if level <= 2:
                self.rows["order"].append({
                    "order_id": f"o-{rating_id}", "rating_id": rating_id, "ticket_id": None, "station_id": station,
                    "service_code": "SB-KSL", "counter_id": None, "unit": None, "level": level,
                    "reasons": ["attitude"], "rated_at": stamp(rated), "opened_at": rated.timestamp(),
                    "state": "closed" if n % 2 else "pending", "appealed_from": None, "facts": {},
                    "updated_at": rated.timestamp(), "closed_at": rated.timestamp() if n % 2 else None,
                    "purged_at": None})
        figures["levels"] = levels
        figures["open_poor"] = sum(1 for o in self.rows["order"] if o["station_id"] == station
                                   and o["state"] != "closed")

    def write(self, db_url: str) -> None:
        tables = {"kiosk": Kiosk, "op": Op, "ticket": Ticket, "queue": StationQueue, "rating": Rating,
                  "order": WorkOrder}
        engine = make_engine(db_url)
        try:
            with transaction(sessionmaker(engine)) as session:
                for kind, model in tables.items():
                    if self.rows[kind]:
                        session.execute(model.__table__.insert(), self.rows[kind])
        finally:
            engine.dispose()


def op_row(sender: str, seq: int, payload: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {"kiosk_id": sender, "seq": seq, "op_id": str(uuid.uuid4()), "status": "applied", "code": None,
            "detail": None, "entity": "ticket", "entity_id": payload["ticket_id"], "kind": "upsert",
            "created_at": payload["updated_at"], "op_day": payload["updated_at"][:10], "payload": payload,
            "received_at": now.timestamp()}
