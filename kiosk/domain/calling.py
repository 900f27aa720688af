"""Calling numbers at a counter: fair priority, waiting-time levels and estimates. Plain Python.

Priority tickets (elderly, disabled, pregnant) go first, but while both kinds wait at most
``ratio.priority`` priority calls come in a row, followed by ``ratio.normal`` normal calls, so a
normal ticket never waits forever behind a stream of priority ones. Within a kind the order is
first come, first served.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from typing import Sequence

PRIORITY_KINDS = frozenset({"elderly", "disabled", "pregnant"})
AMBER_MINUTES = 45
RED_MINUTES = 60  # the district's one-hour rule: from taking a number to the start of service
DEFAULT_SERVICE_MINUTES = 8.0


def is_priority(priority: str) -> bool:
    return priority in PRIORITY_KINDS


@dataclass(frozen=True)
class CallRatio:
    """While both kinds wait: ``priority`` priority calls, then ``normal`` normal calls."""

    priority: int = 1
    normal: int = 2

    def __post_init__(self):
        if self.priority < 1 or self.normal < 1:
            raise ValueError("a call ratio needs at least one priority and one normal call")

    @classmethod
    def parse(cls, text: str) -> "CallRatio":
        """``"1:2"``: one priority call per two normal ones."""
        match = re.fullmatch(r"\s*(\d{1,2})\s*:\s*(\d{1,2})\s*", text or "")
        if match is None:
            raise ValueError(f"call ratio {text!r}: expected 'P:N' such as '1:2'")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.priority}:{self.normal}"


@dataclass(frozen=True)
class FairState:
    """What a counter remembers between calls.

    ``priority_run``: priority calls made in the current turn; ``normal_owed``: normal calls still
    due before priority may go again.
    """

    priority_run: int = 0
    normal_owed: int = 0

    def as_dict(self) -> dict:
        return {"priority_run": self.priority_run, "normal_owed": self.normal_owed}

    @classmethod
    def from_dict(cls, data: dict | None) -> "FairState":
        data = data or {}
        return cls(int(data.get("priority_run", 0)), int(data.get("normal_owed", 0)))


def next_kind(has_priority: bool, has_normal: bool, state: FairState,
              ratio: CallRatio) -> tuple[str | None, FairState]:
    """Which kind to call next ("priority", "normal" or None when nobody waits) and the new state."""
    if not has_priority and not has_normal:
        return None, state
    if not has_priority:
        return "normal", FairState(0, max(0, state.normal_owed - 1))
    if not has_normal:
        return "priority", state
    if state.normal_owed > 0:
        return "normal", FairState(0, state.normal_owed - 1)
    run = state.priority_run + 1
    if run >= ratio.priority:
        return "priority", FairState(0, ratio.normal)
    return "priority", FairState(run, 0)


def pick(waiting: Sequence[dict], state: FairState, ratio: CallRatio) -> tuple[dict | None, FairState]:
    """The ticket to call from ``waiting`` (dicts with "priority", in arrival order)."""
    first_priority = next((t for t in waiting if is_priority(t["priority"])), None)
    first_normal = next((t for t in waiting if not is_priority(t["priority"])), None)
    kind, new_state = next_kind(first_priority is not None, first_normal is not None, state, ratio)
    if kind is None:
        return None, state
    return (first_priority if kind == "priority" else first_normal), new_state


def wait_level(minutes: float) -> str:
    """"ok", "amber" (approaching the one-hour rule) or "red" (over it)."""
    if minutes >= RED_MINUTES:
        return "red"
    if minutes >= AMBER_MINUTES:
        return "amber"
    return "ok"


def estimate_minutes(ahead: int, service_seconds: Sequence[float], counters: int) -> int:
    """Minutes until a new ticket would be called: the tickets ahead times the typical service time
    (median of today's real service times, else a default), shared by the open counters."""
    typical = statistics.median(service_seconds) / 60 if service_seconds else DEFAULT_SERVICE_MINUTES
    return math.ceil(ahead * max(typical, 0.5) / max(1, counters))
