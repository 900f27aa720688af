"""What the counter API needs besides the store: the station clock, counter sessions and PIN locks.

The store is reached only through `kiosk.store.counter_store.CounterStore`, one per request.
"""

from __future__ import annotations

import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from kiosk.counter import accounts
from kiosk.domain import calling
from kiosk.domain.calling import CallRatio
from kiosk.domain.numbering import business_date
from kiosk.domain.pin import PinGuard
from kiosk.domain.ratings import LEVELS_BEST_FIRST, LOW_LEVEL_MAX
from kiosk.store.counter_store import CounterStore

SESSION_COOKIE = "counter_session"
CSRF_COOKIE = "counter_csrf"  # readable by the console's script, which sends it back as X-CSRF-Token
CSRF_HEADER = "x-csrf-token"
SESSION_SECONDS = 12 * 3600
CURRENT_KEYS = ("ticket_id", "number", "service_code", "status", "priority", "assistance", "issued_at")


@dataclass
class Desk:
    store_path: Path
    clock: Callable[[], datetime]
    rollover_hour: int = 4
    ratio: CallRatio | None = None  # None: the store's "call_ratio" setting, else 1:2
    station_name: str = "便民服务中心"
    monotonic: Callable[[], float] = time.monotonic
    _sessions: dict[str, tuple[str, float, str]] = field(default_factory=dict)  # token -> counter, expiry, csrf
    _guards: dict[str, tuple[str, PinGuard]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open_store(self) -> CounterStore:
        return CounterStore.open(self.store_path)

    @contextmanager
    def store(self) -> Iterator[CounterStore]:
        store = self.open_store()
        try:
            yield store
        finally:
            store.close()

    def now(self) -> datetime:
        return self.clock()

    def today(self):
        return business_date(self.now(), self.rollover_hour)

    def call_ratio(self, store: CounterStore) -> CallRatio:
        return self.ratio or store.call_ratio()

    # sessions -----------------------------------------------------------------------------
    def login(self, store: CounterStore, counter_id: str, pin: str, client: str = "") -> tuple[str, dict]:
        """("ok", {"token", "counter"}) | ("unknown"|"wrong"|"locked", {...}).

        Wrong PINs lock a counter for the client that typed them, not for everyone: a machine on
        the LAN trying PINs on every counter locks only itself out, and the staff at their desks
        still log in."""
        counter = store.counters().get(counter_id)
        if counter is None:
            return "unknown", {}
        with self._lock:
            key = f"{client}|{counter_id}"
            stored, guard = self._guards.get(key, (None, None))
            if guard is None or stored != counter["pin_hash"]:
                guard = PinGuard(counter["pin_hash"], self.monotonic)
                self._guards[key] = (counter["pin_hash"], guard)
            result = guard.check(pin)
            if result == "wrong":
                return "wrong", {"tries_left": guard.tries_left}
            if result != "ok":
                return "locked", {"retry_after": int(guard.locked_for()) + 1}
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            self._sessions[token] = (counter_id, self.monotonic() + SESSION_SECONDS, csrf)
        return "ok", {"token": token, "csrf": csrf, "counter": accounts.public(counter_id, counter)}

    def csrf_ok(self, token: str | None, sent: str | None) -> bool:
        """Whether a state-changing request carries its session's CSRF token (X-CSRF-Token)."""
        with self._lock:
            found = self._sessions.get(token or "")
        return found is not None and bool(sent) and secrets.compare_digest(found[2], sent)

    def logout(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    def session_counter(self, store: CounterStore, token: str | None) -> dict | None:
        """The counter of a valid session ({"id", "name", "services"}), or None."""
        with self._lock:
            found = self._sessions.get(token or "")
            if found is None:
                return None
            if found[1] < self.monotonic():
                self._sessions.pop(token, None)
                return None
        counter = store.counters().get(found[0])
        return accounts.public(found[0], counter) if counter else None

    # views -------------------------------------------------------------------------------
    def display_state(self, store: CounterStore) -> dict:
        """What the hall display shows: the latest calls and the tickets near the one-hour rule."""
        day, now = self.today(), self.now()
        names = store.service_names()
        waiting = store.waiting(day, now)
        recent = [{"seq": c["seq"], "number": c["number"], "counter_id": c["counter_id"],
                   "counter_name": c["counter_name"], "service_name": names.get(c["service_code"], c["service_code"]),
                   "at": c["at"], "recall": c.get("recall", False), "no_show": c.get("status") == "no_show"}
                  for c in store.last_calls(day, 8)]
        overdue = [{"number": t.ticket.number, "wait_minutes": t.wait_minutes, "level": t.level}
                   for t in waiting if t.level != "ok"]
        return {"now": now.isoformat(timespec="seconds"), "business_date": day.isoformat(),
                "station_name": self.station_name, "calls": recent,
                "waiting_count": len(waiting), "overdue": overdue[:12],
                "amber_minutes": calling.AMBER_MINUTES, "red_minutes": calling.RED_MINUTES,
                "activity": store.activity_mark()}

    def queue_state(self, store: CounterStore, counter: dict) -> dict:
        """What a console shows: its current ticket, the waiting list and 帮办代办."""
        day, now = self.today(), self.now()
        names = store.service_names()
        mine = set(counter.get("services") or names)
        waiting = [t.as_dict() | {"service_name": names.get(t.ticket.service_code, t.ticket.service_code),
                                  "mine": (t.ticket.service_code in mine
                                           and t.transferred_to in (None, counter["id"]))}
                   for t in store.waiting(day, now)]
        held = store.current_ticket(counter["id"])
        current = None
        if held is not None:
            minutes = (now - held.issued()).total_seconds() / 60
            current = held.as_dict(CURRENT_KEYS) | {
                "service_name": names.get(held.service_code, held.service_code),
                "wait_minutes": int(minutes), "level": calling.wait_level(minutes)}
        others = []
        for other in accounts.listed(store.counters()):
            ticket = store.current_ticket(other["id"])
            others.append({"id": other["id"], "name": other["name"],
                           "paused": store.counter_state(other["id"])["paused"],
                           "current": ticket.number if ticket else None,
                           "current_status": ticket.status.value if ticket else None})
        return {"now": now.isoformat(timespec="seconds"), "counter": counter, "current": current,
                "paused": store.counter_state(counter["id"])["paused"], "ratio": str(self.call_ratio(store)),
                "waiting": waiting, "assistance": store.assistance(day), "counters": others,
                "services": [{"code": c, "name": n} for c, n in names.items()],
                "one_hour": store.one_hour_rule(day)}

    def station_state(self) -> dict:
        """What a page shows before anyone logs in: the station's name and its clock."""
        return {"station_name": self.station_name, "now": self.now().isoformat(timespec="seconds"),
                "business_date": self.today().isoformat()}

    def pad_state(self, store: CounterStore, counter: dict) -> dict:
        """What the counter's window rating pad shows: the ticket to rate now (or none), the levels
        and the reasons of a low level."""
        day, now = self.today(), self.now()
        ticket = store.pad_offer(counter["id"], now=now, day=day)
        offer = None
        if ticket is not None:
            names = store.service_names()
            offer = {"ticket_id": ticket.ticket_id, "number": ticket.number, "served_at": ticket.updated_at,
                     "service_name": names.get(ticket.service_code, ticket.service_code)}
        return {"now": now.isoformat(timespec="seconds"), "station_name": self.station_name,
                "counter": {"id": counter["id"], "name": counter["name"]},
                "paused": store.counter_state(counter["id"])["paused"], "ticket": offer,
                "levels": [{"level": int(level), "label": level.label} for level in LEVELS_BEST_FIRST],
                "low_level_max": LOW_LEVEL_MAX, "reasons": store.rating_reasons()}
