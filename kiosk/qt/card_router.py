"""What of a read card crosses to the UI thread: a masked resident, never the driver's CardInfo.

The card worker calls the router on its own thread for each card read. The full name and ID
number stay there; the UI gets the masked number, the masked name, the age and elderly flag
(services screen), the keyed digest (the rating screen's lookup of the card's tickets) and the
masked test line of the technician screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from kiosk.services.identify import Resident, resident_from_card


@dataclass(frozen=True)
class LaidCard:
    """A card on the reader, as the UI may know it. Never stored, never logged."""

    resident: Resident
    card_test: str  # card type, masked name, masked number: the technician's test read

    def __repr__(self) -> str:
        return f"LaidCard({self.resident!r})"


class CardRouter:
    """Turns the driver's CardInfo into a LaidCard under the kiosk's resident policy."""

    def __init__(self, today: Callable[[], date], elderly_age: int, digest_key: bytes):
        self._today = today
        self._elderly_age = elderly_age
        self._digest_key = digest_key

    def __call__(self, info) -> LaidCard:
        masked = info.to_json(reveal=False)
        resident = resident_from_card(info, self._today(), self._elderly_age, self._digest_key)
        return LaidCard(resident, f"{masked['card_type']} {masked['name']} {masked['id_number']}")
