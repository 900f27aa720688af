"""Tickets, priorities and statuses, as the sync protocol names them."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime


class Priority(str, enum.Enum):
    NORMAL = "normal"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    OTHER = "other"


class TicketStatus(str, enum.Enum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({TicketStatus.WAITING, TicketStatus.CALLED})


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    station_id: str
    service_code: str
    number: str
    seq: int
    issued_at: datetime
    business_date: date
    priority: Priority = Priority.NORMAL
    assistance: bool = False
    bundle_code: str | None = None
    id_digest: str | None = None
    id_masked: str | None = None
    status: TicketStatus = TicketStatus.WAITING
    waiting_ahead: int = 0
    holder_code: str | None = None  # printed on the ticket: its holder's proof for rating it
    kiosk_id: str | None = None  # the issuing kiosk, when a station relays the ticket
    public_token: str | None = None  # the key of its phone page, in the QR code (docs/phone-page.md)
    page_url: str | None = None  # the district's URL template of the phone pages, when it sent one

    def sync_payload(self) -> dict:
        """The ticket entity of sync-v1 (no personal data beyond the masked ID and digest)."""
        stamp = self.issued_at.isoformat(timespec="seconds")
        return {
            "ticket_id": self.ticket_id,
            "station_id": self.station_id,
            "service_code": self.service_code,
            "number": self.number,
            "issued_at": stamp,
            "business_date": self.business_date.isoformat(),
            "priority": self.priority.value,
            "assistance": self.assistance,
            "bundle_code": self.bundle_code,
            "id_digest": self.id_digest,
            "id_masked": self.id_masked,
            "status": self.status.value,
            "updated_at": stamp,
        } | ({"holder_code": self.holder_code} if self.holder_code else {}) \
          | ({"kiosk_id": self.kiosk_id} if self.kiosk_id else {}) \
          | ({"public_token": self.public_token} if self.public_token else {})

    def summary(self) -> dict:
        """The line `kiosk ticket issue` prints once the ticket is committed."""
        return {
            "ticket_id": self.ticket_id,
            "number": self.number,
            "service_code": self.service_code,
            "business_date": self.business_date.isoformat(),
        }
