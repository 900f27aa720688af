"""Queue numbers: business days and the block of numbers each kiosk may issue.

Several kiosks at one station issue offline, so each kiosk numbers either within its own block
(kiosk 1: A001-A499, kiosk 2: A501-A999) or with its own letter after the service prefix (AK001).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.domain.errors import Kind, KioskError


class NumberBlockExhausted(KioskError):
    """Every number of this kiosk's block has been issued today."""

    kind = Kind.NUMBERS_EXHAUSTED

    def __init__(self, prefix: str, first: int, last: int):
        super().__init__(f"queue {prefix}: numbers {first}-{last} are all issued today")
        self.prefix = prefix
        self.first = first
        self.last = last


@dataclass(frozen=True)
class NumberingScheme:
    mode: str = "block"  # "block" or "letter"
    first: int = 1
    last: int = 999
    letter: str = ""
    digits: int = 3

    def format(self, prefix: str, seq: int) -> str:
        if self.mode == "letter":
            return f"{prefix}{self.letter}{seq:0{self.digits}d}"
        return f"{prefix}{seq:0{self.digits}d}"

    def next_seq(self, prefix: str, last_issued: int | None) -> int:
        """The sequence number after ``last_issued`` (None: nothing issued today)."""
        seq = self.first if last_issued is None else max(last_issued + 1, self.first)
        if seq > self.last:
            raise NumberBlockExhausted(prefix, self.first, self.last)
        return seq


def business_date(now: datetime, rollover_hour: int) -> date:
    """The business day ``now`` belongs to: before the rollover hour it is still yesterday.

    ``now`` must already be in the station's time zone.
    """
    return (now - timedelta(hours=rollover_hour)).date()
