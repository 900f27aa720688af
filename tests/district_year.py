"""A district's 好差评 data generated for the figures: tickets, ratings, 差评 work orders and their
steps, as the district server stores them, deterministic for a seed.

The year (``DistrictData.year()``): 30 stations (the demo catalogue's 10 and 20 more), the demo
catalogue's services, 365 days of about 275 tickets a station a day (338 on a weekday, 118 on a weekend day) (≈ 3 M tickets), one in three
rated (≈ 1 M ratings), 3 % of those poor (≈ 30 k work orders), the orders' states spread by their
age as a district's would be. ``write()`` puts it in a migrated database: COPY on PostgreSQL (a few
minutes on 2 cores at most), executemany on SQLite. The small version (``DistrictData.small()``):
2 stations over the days around one month, with more poor ratings, for tests that compute the
expected figures themselves from the generated rows.

Imported by name (tests/ is on the test path): tests/district and tests/bench use it."""

from __future__ import annotations

import bisect
import json
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Table
from sqlalchemy.orm import sessionmaker

from sync.server.catalogue import import_catalogue, parse_catalogue
from sync.server.db import is_postgres, make_engine, transaction
from sync.server.figures.record import INDICATOR_DEFAULT, rated_ts
from sync.server.models import Rating, Ticket, WorkOrder, WorkOrderStep

CATALOGUE = Path(__file__).resolve().parents[1] / "assets" / "catalogue" / "yanta.json"
CHINA = timezone(timedelta(hours=8))
DISTRICT_CODE = "610113"
LEVEL_WEIGHTS = {5: 70, 4: 18, 3: 9, 2: 2, 1: 1}  # 3 % poor
CHANNEL_WEIGHTS = {"kiosk": 50, "window_pad": 35, "phone": 15}
REASONS = ("attitude", "wait_too_long", "unclear_guidance", "slow_handling", "repeat_visits", "facilities", "other")
COUNTERS = ("C1", "C2", "C3", "C4", "C5", "C6")

# The states of a work order by its age in days: (age below, {outcome: weight}). An outcome is a
# state, or "upheld" (closed by an upheld appeal) or "rejected" (an appeal rejected, then closed).
STATE_SPREAD = (
    (3, {"pending": 40, "assigned": 40, "verifying": 20}),
    (10, {"pending": 5, "assigned": 10, "verifying": 25, "called_back": 30, "appealed": 5, "rectified": 20,
          "upheld": 5}),
    (30, {"verifying": 2, "called_back": 10, "rectified": 25, "re_rated": 20, "closed": 35, "upheld": 5,
          "rejected": 3}),
    (10_000, {"verifying": 1, "called_back": 1, "rectified": 1, "re_rated": 3, "closed": 85, "upheld": 5,
              "rejected": 4}),
)
PATH = ("assign", "verify", "call_back", "rectify", "re_rate", "close")
AFTER = {"assign": "assigned", "verify": "verifying", "call_back": "called_back", "rectify": "rectified",
         "re_rate": "re_rated", "close": "closed"}
STEPS_TO = {"pending": 0, "assigned": 1, "verifying": 2, "called_back": 3, "rectified": 4, "re_rated": 5, "closed": 6}
ROLE_OF = {"assign": "district_admin", "verify": "unit", "call_back": "caller", "rectify": "unit",
           "re_rate": "caller", "close": "station_head", "appeal": "unit", "decide_appeal": "district_admin"}


def _clock(day: str, seconds: int) -> str:
    return f"{day}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}+08:00"


def _thresholds(weights: dict[int, int]) -> Any:
    """A draw in [0, 1) to a level, by the weights."""
    total, bounds, levels = sum(weights.values()), [], []
    running = 0
    for level, weight in weights.items():
        running += weight
        bounds.append(running / total)
        levels.append(level)
    return lambda draw: levels[min(bisect.bisect_right(bounds, draw), len(levels) - 1)]


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class DistrictData:
    stations: list[dict[str, Any]]
    services: list[dict[str, Any]]
    first_day: date
    days: int
    tickets_per_day: int
    poor_share: float = 0.03
    seed: int = 2026
    extra_ratings: list[tuple[str, int]] = field(default_factory=list)  # (rated_at, level) at the first station

    @classmethod
    def year(cls, year: int = 2026, stations: int = 30, tickets_per_day: int = 294) -> "DistrictData":
        return cls(_stations(stations), _services(), date(year, 1, 1), 365, tickets_per_day)

    @classmethod
    def small(cls) -> "DistrictData":
        """Two stations, 2026-10-25 to 2026-12-04, 15 % poor, and ratings on the month's edges
        (by the district's clock, whatever offset the kiosk wrote)."""
        return cls(_stations(2), _services(), date(2026, 10, 25), 41, 24, poor_share=0.15, seed=4,
                   extra_ratings=[("2026-10-31T23:59:59+08:00", 5), ("2026-11-01T00:00:00+08:00", 1),
                                  ("2026-10-31T17:30:00+00:00", 2), ("2026-11-30T16:00:00+00:00", 4),
                                  ("2026-11-30T23:59:59+08:00", 3)])

    @property
    def as_of(self) -> float:
        """The moment the orders' states are as generated: noon of the day after the last."""
        last = self.first_day + timedelta(days=self.days)
        return datetime(last.year, last.month, last.day, 12, tzinfo=CHINA).timestamp()

    def catalogue(self) -> dict[str, Any]:
        document = json.loads(CATALOGUE.read_text(encoding="utf-8"))
        document["stations"] = self.stations
        return document

    # -- the rows ------------------------------------------------------------------------------------

    def rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """("ticket" | "rating" | "order" | "step", row), in time order per station. Times are
        written as strings straight from seconds: datetime per row would double the time taken."""
        rng = random.Random(self.seed)
        levels = dict(LEVEL_WEIGHTS)
        if self.poor_share != 0.03:
            levels = {5: 65, 4: 15, 3: 5, 2: round(self.poor_share * 60), 1: round(self.poor_share * 40)}
        level_of = _thresholds(levels)
        services = [s["code"] for s in self.services]
        departments = {s["code"]: s.get("department") for s in self.services}
        random_, randrange = rng.random, rng.randrange
        for index, station in enumerate(self.stations):
            kiosk, seq, station_id = f"GEN-{index:02d}-K1", 0, station["id"]
            for offset in range(self.days):
                day = self.first_day + timedelta(days=offset)
                day_text = day.isoformat()
                midnight = datetime(day.year, day.month, day.day, tzinfo=CHINA).timestamp()
                weekend = day.weekday() >= 5
                count = max(1, int(rng.gauss(self.tickets_per_day * (0.4 if weekend else 1.15), 10)))
                for number in range(count):
                    seq += 1
                    service = services[int(random_() * len(services))]
                    issued = 9 * 3600 + randrange(8 * 3600)
                    ticket_id = f"t-{index:02d}-{seq:07d}"
                    yield "ticket", {"ticket_id": ticket_id, "kiosk_id": kiosk, "seq": seq, "station_id": station_id,
                                     "service_code": service, "number": f"A{number + 1:03d}",
                                     "business_date": day_text, "status": "done", "holder_code": None,
                                     "id_digest": None, "updated_at": _clock(day_text, issued)}
                    if random_() >= 1 / 3:
                        continue
                    seq += 1
                    rated = issued + 600 + randrange(3000)
                    yield from self._rating(rng, station, kiosk, seq, ticket_id, service, departments[service],
                                            level_of(random_()), _clock(day_text, rated), midnight + rated)
            if index == 0:
                for extra, (stamp, level) in enumerate(self.extra_ratings):
                    seq += 1
                    service = services[extra % len(services)]
                    yield from self._rating(rng, station, kiosk, seq, None, service, departments[service], level,
                                            stamp, rated_ts(stamp))

    def _rating(self, rng: random.Random, station: dict[str, Any], kiosk: str, seq: int, ticket_id: str | None,
                service: str, unit: str | None, level: int, rated_at: str,
                moment: float | None) -> Iterator[tuple[str, dict[str, Any]]]:
        draw = rng.random()
        channel = "kiosk" if draw < 0.5 else "window_pad" if draw < 0.85 else "phone"  # CHANNEL_WEIGHTS
        counter = COUNTERS[int(rng.random() * (4 if station.get("kind") == "community" else 6))]
        poor = level <= 2
        phone = f"138{rng.randrange(10**8):08d}" if poor and rng.random() < 0.6 else None
        reasons = sorted(rng.sample(REASONS, rng.randint(1, 2))) if poor else []
        rating_id = f"r-{kiosk}-{seq:07d}"
        payload = {"rating_id": rating_id, "station_id": station["id"], "ticket_id": ticket_id, "service_code": service,
                   "level": level, "reasons": reasons, "comment": "等候太久" if poor else None,
                   "contact_phone": phone, "channel": channel, "rated_at": rated_at}
        if channel == "window_pad":
            payload["counter_id"] = counter
        yield "rating", {"rating_id": rating_id, "ticket_id": ticket_id, "kiosk_id": kiosk, "seq": seq,
                         "station_id": station["id"], "service_code": service, "level": level, "contact_phone": phone,
                         "rated_at": rated_at, "data": payload, "channel": channel,
                         "counter_id": payload.get("counter_id"), "rated_ts": moment,
                         "region_code": station.get("region_code") or DISTRICT_CODE,
                         "indicator_version": INDICATOR_DEFAULT, "with_contact": phone is not None}
        if poor:
            yield from self._order(rng, rating_id, ticket_id, station["id"], service, counter, unit, level, reasons,
                                   rated_at)

    def _order(self, rng: random.Random, rating_id: str, ticket_id: str | None, station_id: str, service: str,
               counter: str, unit: str | None, level: int, reasons: list[str],
               rated_at: str) -> Iterator[tuple[str, dict[str, Any]]]:
        opened = datetime.fromisoformat(rated_at).timestamp() + 60
        age = (self.as_of - opened) / 86400
        outcome = _pick(rng, next(spread for below, spread in STATE_SPREAD if age < below))
        order_id = f"o-{rating_id[2:]}"
        plan: list[tuple[str, str, str, dict[str, Any]]] = []  # (action, from, to, data)
        state, appealed_from = "pending", None
        if outcome in ("upheld", "rejected", "appealed"):
            done = PATH[:rng.randint(1, 3)]
        else:
            done = PATH[:STEPS_TO[outcome]]
        for action in done:
            plan.append((action, state, AFTER[action], {"outcome": "reached"} if action == "call_back" else {}))
            state = AFTER[action]
        if outcome in ("upheld", "rejected", "appealed"):
            appealed_from = state
            plan.append(("appeal", state, "appealed", {"kind": "malicious", "reason": "恶意差评"}))
            if outcome == "upheld":
                plan.append(("decide_appeal", "appealed", "closed", {"decision": "uphold", "reason": "属实"}))
                state, appealed_from = "closed", None
            elif outcome == "rejected":
                plan.append(("decide_appeal", "appealed", appealed_from, {"decision": "reject", "reason": "不属实"}))
                state, appealed_from = appealed_from, None
                for action in PATH[PATH.index(_next_action(state)):]:
                    plan.append((action, state, AFTER[action], {"outcome": "reached"} if action == "call_back" else {}))
                    state = AFTER[action]
            else:
                state = "appealed"
        span = max(60.0, min(age * 86400 * 0.9, 20 * 86400) - 60)
        moments = sorted(opened + rng.uniform(30, span) for _ in plan)
        for (action, before, after, data), at in zip(plan, moments):
            yield "step", {"order_id": order_id, "action": action, "from_state": before, "to_state": after,
                           "actor": ROLE_OF[action], "role": ROLE_OF[action], "at": at, "data": data}
        closed_at = moments[-1] if state == "closed" else None
        yield "order", {"order_id": order_id, "rating_id": rating_id, "ticket_id": ticket_id, "station_id": station_id,
                        "service_code": service, "counter_id": counter, "unit": unit if plan else None,
                        "level": level, "reasons": reasons, "rated_at": rated_at, "opened_at": opened,
                        "state": state, "appealed_from": appealed_from, "facts": {},
                        "updated_at": moments[-1] if moments else opened, "closed_at": closed_at, "purged_at": None}

    # -- writing -------------------------------------------------------------------------------------

    def write(self, db_url: str, *, chunk: int = 50_000) -> dict[str, int]:
        """Import the catalogue and insert every row; the counts per kind."""
        tables = {"ticket": Ticket.__table__, "rating": Rating.__table__, "order": WorkOrder.__table__,
                  "step": WorkOrderStep.__table__}
        counts = dict.fromkeys(tables, 0)
        engine = make_engine(db_url)
        try:
            with transaction(sessionmaker(engine)) as session:
                import_catalogue(session, parse_catalogue(self.catalogue()), time.time())
            buffers: dict[str, list[dict[str, Any]]] = {kind: [] for kind in tables}
            with engine.begin() as connection:
                postgres = is_postgres(engine)
                for kind, row in self.rows():
                    buffers[kind].append(row)
                    counts[kind] += 1
                    if len(buffers[kind]) >= chunk:
                        _flush(connection, tables[kind], buffers[kind], postgres)
                for kind, rows in buffers.items():
                    _flush(connection, tables[kind], rows, postgres)
            if is_postgres(engine):
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.exec_driver_sql("VACUUM ANALYZE tickets, ratings, work_orders, work_order_steps")
        finally:
            engine.dispose()
        return counts

    def collect(self) -> dict[str, list[dict[str, Any]]]:
        """Every row in memory, by kind (the small version's tests)."""
        out: dict[str, list[dict[str, Any]]] = {"ticket": [], "rating": [], "order": [], "step": []}
        for kind, row in self.rows():
            out[kind].append(row)
        return out


def _next_action(state: str) -> str:
    return PATH[STEPS_TO[state]]


def _flush(connection: Any, table: Table, rows: list[dict[str, Any]], postgres: bool) -> None:
    if not rows:
        return
    names = [c.name for c in table.columns if not (c.primary_key and c.autoincrement is True)]
    if not postgres:
        connection.execute(table.insert(), [{n: row.get(n) for n in names} for row in rows])
    else:
        json_names = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
        cursor = connection.connection.driver_connection.cursor()
        quoted = ", ".join(f'"{n}"' for n in names)
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([json.dumps(row.get(n), ensure_ascii=False) if n in json_names else row.get(n)
                                for n in names])
    rows.clear()


def _services() -> list[dict[str, Any]]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))["services"]


def _stations(count: int) -> list[dict[str, Any]]:
    """The demo catalogue's stations, then more of the same kinds, each with a street's region code."""
    demo = json.loads(CATALOGUE.read_text(encoding="utf-8"))["stations"]
    stations = []
    for index in range(count):
        base = dict(demo[index % len(demo)])
        if index >= len(demo):
            base["id"] = f"{base['id']}-{index // len(demo) + 1}"
            base["name"] = f"{base['name']}（{index // len(demo) + 1}号分中心）"
        base["region_code"] = f"{DISTRICT_CODE}{index // 3 + 1:03d}{index % 3 + 1:03d}"
        stations.append(base)
    return stations
