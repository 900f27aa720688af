"""What the flows share: the current resident's session and what the store told the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable


@dataclass
class Session:
    station_id: str
    today: Callable[[], date]
    elderly_age: int
    digest_key: bytes
    catalogue: object = None  # the Catalogue, once the store has opened
    station: object = None  # this kiosk's Station in the catalogue
    counts: dict = field(default_factory=dict)  # waiting tickets per service code
    resident: object = None  # the Resident identified for the next ticket: memory only
    assistance: tuple | None = None  # reasons, when the resident asked for help with the number
    elder: bool = False
    letter_numbers: bool = False  # numbers carry a kiosk's letter after the queue's prefix (AK001)

    def forget_resident(self) -> None:
        self.resident = None
        self.assistance = None
