"""Ticket rows: issuing a number and its outbox op in one transaction, and listing a day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kiosk.domain.ids import uuid7
from kiosk.domain.numbering import NumberingScheme
from kiosk.domain.tickets import Priority, Ticket, TicketStatus
from kiosk.store.outbox import enqueue
from kiosk.store.tables import TicketRow


def issue(engine: Engine, *, scheme: NumberingScheme, station_id: str, service_code: str, prefix: str,
          now: datetime, day: date, priority: Priority = Priority.NORMAL, assistance: bool = False,
          bundle_code: str | None = None, id_digest: str | None = None,
          id_masked: str | None = None) -> Ticket:
    """Take the next number of this kiosk's block and commit the ticket with its outbox op.

    The transaction starts with BEGIN IMMEDIATE, so two processes on one store never read the
    same last number. Returns only after the commit (synchronous=FULL).
    """
    queue = prefix + (scheme.letter if scheme.mode == "letter" else "")
    day_text = day.isoformat()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        last = session.scalar(select(func.max(TicketRow.seq)).where(
            TicketRow.station_id == station_id, TicketRow.business_date == day_text,
            TicketRow.prefix == queue, TicketRow.seq.between(scheme.first, scheme.last)))
        seq = scheme.next_seq(queue, last)
        ahead = session.scalar(select(func.count()).select_from(TicketRow).where(
            TicketRow.station_id == station_id, TicketRow.business_date == day_text,
            TicketRow.prefix == queue, TicketRow.status == TicketStatus.WAITING.value)) or 0
        ticket = Ticket(ticket_id=uuid7(), station_id=station_id, service_code=service_code,
                        number=scheme.format(prefix, seq), seq=seq, issued_at=now, business_date=day,
                        priority=priority, assistance=assistance, bundle_code=bundle_code,
                        id_digest=id_digest, id_masked=id_masked, waiting_ahead=ahead)
        stamp = now.isoformat(timespec="seconds")
        session.add(TicketRow(ticket_id=ticket.ticket_id, station_id=station_id, service_code=service_code,
                              prefix=queue, seq=seq, number=ticket.number, business_date=day_text,
                              issued_at=stamp, updated_at=stamp, priority=priority.value,
                              assistance=assistance, bundle_code=bundle_code, id_digest=id_digest,
                              id_masked=id_masked, status=TicketStatus.WAITING.value))
        enqueue(session, entity="ticket", entity_id=ticket.ticket_id, payload=ticket.sync_payload(),
                created_at=stamp)
    return ticket


def list_day(engine: Engine, day: date) -> list[dict]:
    """The tickets of one business day, in the order they were issued."""
    with Session(engine) as session:
        rows = session.scalars(select(TicketRow).where(TicketRow.business_date == day.isoformat())
                               .order_by(TicketRow.issued_at, TicketRow.prefix, TicketRow.seq))
        return [{"ticket_id": r.ticket_id, "number": r.number, "service_code": r.service_code,
                 "business_date": r.business_date, "issued_at": r.issued_at, "status": r.status,
                 "priority": r.priority, "assistance": r.assistance} for r in rows]


def waiting_counts(engine: Engine, station_id: str, day: date) -> dict[str, int]:
    """Waiting tickets per service code today."""
    with Session(engine) as session:
        rows = session.execute(select(TicketRow.service_code, func.count()).where(
            TicketRow.station_id == station_id, TicketRow.business_date == day.isoformat(),
            TicketRow.status == TicketStatus.WAITING.value).group_by(TicketRow.service_code))
        return {code: count for code, count in rows}
