"""Ticket rows as the store hands them out: one typed record, and the status sets the queries use.

A `TicketRow` is a row of the tickets table as it is now (times as the ISO text stored, in kiosk
local time); `kiosk.domain.tickets.Ticket` is a ticket as it was issued. The status sets are
built from the domain's `TicketStatus` and named for the question they answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime

from kiosk.domain.tickets import Priority, Ticket, TicketStatus

# A counter holds it: called and not yet finished (at most one per counter).
AT_COUNTER = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})
# A counter may call it by its number: still waiting, or missed earlier and back now.
CALLABLE_BY_NUMBER = frozenset({TicketStatus.WAITING, TicketStatus.NO_SHOW})
# The resident is still in the hall: waiting or at a counter (帮办代办 lists these).
NOT_FINISHED = frozenset({TicketStatus.WAITING}) | AT_COUNTER

# The `kiosk ticket list --json` object of a ticket, in this key order.
LISTING_KEYS = ("ticket_id", "number", "service_code", "business_date", "issued_at", "status", "priority",
                "assistance")
# A ticket in the counter API's answers.
ANSWER_KEYS = ("ticket_id", "number", "service_code", "status", "priority", "assistance", "issued_at", "updated_at")


def status_values(statuses) -> tuple[str, ...]:
    """The stored text of ``statuses``, in a stable order (for SQL parameters)."""
    return tuple(sorted(TicketStatus(s).value for s in statuses))


@dataclass(frozen=True)
class TicketRow:
    ticket_id: str
    station_id: str
    service_code: str
    prefix: str  # the queue: the service prefix, plus the kiosk letter in letter numbering
    seq: int
    number: str
    business_date: str
    issued_at: str
    updated_at: str
    priority: Priority
    assistance: bool
    bundle_code: str | None
    id_digest: str | None
    id_masked: str | None
    status: TicketStatus
    kiosk_id: str | None = None  # the issuing kiosk, when the station relayed the ticket
    holder_code: str | None = None
    public_token: str | None = None

    @classmethod
    def from_row(cls, row) -> "TicketRow":
        """From the columns of `SELECT_TICKET`, in `COLUMNS` order."""
        values = dict(zip(COLUMNS, row))
        return cls(**values | {"assistance": bool(values["assistance"]), "priority": Priority(values["priority"]),
                               "status": TicketStatus(values["status"])})

    def __getitem__(self, key: str):
        """Mapping access (``row["number"]``), as the rows were read before they had a type."""
        if key not in COLUMNS:
            raise KeyError(key)
        return self.as_dict()[key]

    def changed(self, *, status: TicketStatus, updated_at: str, service_code: str | None = None) -> "TicketRow":
        return replace(self, status=TicketStatus(status), updated_at=updated_at,
                       service_code=service_code or self.service_code)

    def as_dict(self, keys: tuple[str, ...] = ()) -> dict:
        """The row with plain JSON values, all columns or ``keys`` in that order."""
        values = asdict(self) | {"priority": self.priority.value, "status": self.status.value}
        return {key: values[key] for key in keys} if keys else values

    def listing(self) -> dict:
        """The object `kiosk ticket list --json` prints."""
        return self.as_dict(LISTING_KEYS)

    def answer(self) -> dict:
        """The ticket in the counter API's answers."""
        return self.as_dict(ANSWER_KEYS)

    def issued(self) -> datetime:
        return datetime.fromisoformat(self.issued_at)

    def sync_payload(self) -> dict:
        """The sync-v1 ticket entity: the issued ticket with its status and updated_at as they are now."""
        entity = Ticket(ticket_id=self.ticket_id, station_id=self.station_id, service_code=self.service_code,
                        number=self.number, seq=self.seq, issued_at=self.issued(),
                        business_date=date.fromisoformat(self.business_date), priority=self.priority,
                        assistance=self.assistance, bundle_code=self.bundle_code, id_digest=self.id_digest,
                        id_masked=self.id_masked, status=self.status, holder_code=self.holder_code,
                        kiosk_id=self.kiosk_id, public_token=self.public_token).sync_payload()
        entity["updated_at"] = self.updated_at
        return entity


COLUMNS = tuple(f.name for f in fields(TicketRow))
SELECT_TICKET = f"SELECT {', '.join(COLUMNS)} FROM tickets"
QUEUE_ORDER = " ORDER BY issued_at, prefix, seq"


def ticket_row(row) -> TicketRow | None:
    return None if row is None else TicketRow.from_row(row)
