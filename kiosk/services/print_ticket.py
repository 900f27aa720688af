"""Use case: what goes on a ticket's printed receipt (and on its on-screen twin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from kiosk.domain.catalogue import Service, Station
from kiosk.domain.receipt_slip import TicketSlip
from kiosk.domain.tickets import Priority, Ticket


@dataclass(frozen=True, kw_only=True)
class RatedTicketSlip(TicketSlip):
    """A ticket's slip with its 评价码: the holder types it, with the number, to rate the service."""

    holder_code: Optional[str] = None


def guidance_line(service: Service) -> str | None:
    """The 一次告知 line: where to go and what to bring, when the service lists materials."""
    if not service.materials:
        return None
    where = f"请到{service.window}办理。" if service.window else ""
    return f"{where}请携带：{'；'.join(service.materials)}。"


def ticket_slip(ticket: Ticket, service: Service, station: Station | None, qr_url: str) -> RatedTicketSlip:
    return RatedTicketSlip(
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
        holder_code=ticket.holder_code,
    )


def guide_fields(service: Service, station: Station | None) -> dict:
    """What the printed 办事指南 of ``service`` says (drivers.printer.receipts.guide_receipt)."""
    scope = {"district": "区内通办：本区任一便民服务中心（站）均可办理", "online": "网上可办：扫码在线办理",
             "station": "本站可办"}.get(service.scope, "")
    notes = [n for n in (f"收费：{service.fee}" if service.fee else "",
                         f"办理时限：{service.time_limit}" if service.time_limit else "",
                         f"办理窗口：{service.window}" if service.window else "",
                         f"主管部门：{service.department}" if service.department else "", scope) if n]
    return {"title": service.name, "materials": list(service.materials) or ["无需提交材料"], "notes": notes,
            "station_name": station.name if station else "", "qr_url": service.online_url}
