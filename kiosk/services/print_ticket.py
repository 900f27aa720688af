"""Use case: what goes on a ticket's printed receipt (and on its on-screen twin)."""

from __future__ import annotations

from kiosk.domain.catalogue import Service, Station
from kiosk.domain.tickets import Priority, Ticket


def guidance_line(service: Service) -> str | None:
    """The 一次告知 line: where to go and what to bring, when the service lists materials."""
    if not service.materials:
        return None
    where = f"请到{service.window}办理。" if service.window else ""
    return f"{where}请携带：{'；'.join(service.materials)}。"


def ticket_slip(ticket: Ticket, service: Service, station: Station | None, qr_url: str):
    from drivers.printer.receipts import TicketSlip

    return TicketSlip(
        station_name=station.name if station else ticket.station_id,
        service_name=service.name,
        number=ticket.number,
        waiting_ahead=ticket.waiting_ahead,
        issued_at=ticket.issued_at,
        priority=None if ticket.priority is Priority.NORMAL else ticket.priority.value,
        assistance=ticket.assistance,
        id_masked=ticket.id_masked,
        qr_url=qr_url,
        guidance=guidance_line(service),
        counter_hint=service.window or None,
    )
