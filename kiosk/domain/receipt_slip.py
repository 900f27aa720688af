"""What a queue ticket's printed receipt says: built by kiosk.services.print_ticket, laid out by
the printer driver (drivers.printer.receipts.ticket_receipt takes any object with these fields)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional


@dataclass(frozen=True, kw_only=True)
class TicketSlip:
    """What goes on a queue ticket (keyword arguments only)."""

    station_name: str
    service_name: str
    number: str
    waiting_ahead: int
    issued_at: datetime
    qr_url: str
    priority: Optional[str] = None
    assistance: bool = False
    id_masked: Optional[str] = None
    guidance: Optional[str] = None
    counter_hint: Optional[str] = None
    language: str = "zh"  # the receipt's words: "zh" or "en" (the texts above are already in it)
    id_label: Optional[str] = None  # the identity document of id_masked, named in the slip's language
