"""Use case: what goes on a ticket's printed receipt (and on its on-screen twin), in the resident's
language: Chinese by default, English for a resident who chose English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from kiosk.domain.catalogue import Service, Station
from kiosk.domain.idnumber import FOREIGN_PERMANENT, HK_MO_TW_PERMIT, RESIDENT_CARD, document_kind
from kiosk.domain.receipt_slip import TicketSlip
from kiosk.domain.tickets import Priority, Ticket

# The identity document whose masked number the slip shows, named for what it is.
DOCUMENT_LABELS = {
    RESIDENT_CARD: ("居民身份证号", "Resident ID card no."),
    FOREIGN_PERMANENT: ("外国人永久居留身份证号", "Foreign Permanent Resident ID Card no."),
    HK_MO_TW_PERMIT: ("港澳台居民居住证号", "Residence Permit for HK, Macao and Taiwan Residents no."),
}


@dataclass(frozen=True, kw_only=True)
class RatedTicketSlip(TicketSlip):
    """A ticket's slip with its 评价码: the holder types it, with the number, to rate the service."""

    holder_code: Optional[str] = None


def document_label(id_masked: str, english: bool = False) -> str:
    """"居民身份证号", "外国人永久居留身份证号"... for the document the (masked) number belongs to."""
    chinese, in_english = DOCUMENT_LABELS[document_kind(id_masked)]
    return in_english if english else chinese


def guidance_line(service: Service, english: bool = False) -> str | None:
    """The 一次告知 line: where to go and what to bring, when the service lists materials
    (``service`` already in the slip's language)."""
    if not service.materials:
        return None
    if english:
        where = f"Go to the {service.window}. " if service.window else ""
        return f"{where}Please bring: {'; '.join(service.materials)}."
    where = f"请到{service.window}办理。" if service.window else ""
    return f"{where}请携带：{'；'.join(service.materials)}。"


def ticket_slip(ticket: Ticket, service: Service, station: Station | None, qr_url: str, *,
                english: bool = False) -> RatedTicketSlip:
    """The slip, in English when ``english`` (the catalogue's English texts, Chinese where it has none)."""
    service = service.in_language(english)
    station = station.in_language(english) if station is not None else None
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
        guidance=guidance_line(service, english),
        counter_hint=service.window or None,
        holder_code=ticket.holder_code,
        language="en" if english else "zh",
        id_label=document_label(ticket.id_masked, english) if ticket.id_masked else None,
    )


SCOPE_NOTES = {
    "district": ("区内通办：本区任一便民服务中心（站）均可办理",
                 "Available across the district: at any service centre or station"),
    "online": ("网上可办：扫码在线办理", "Also online: scan the code to apply"),
    "station": ("本站可办", "Available at this station"),
}
GUIDE_NOTES = (("收费：{}", "Fee: {}"), ("办理时限：{}", "Time limit: {}"), ("办理窗口：{}", "Counter: {}"),
               ("主管部门：{}", "Department: {}"))


def guide_fields(service: Service, station: Station | None, *, english: bool = False) -> dict:
    """What the printed 办事指南 of ``service`` says (drivers.printer.receipts.guide_receipt)."""
    language = 1 if english else 0
    service = service.in_language(english)
    station = station.in_language(english) if station is not None else None
    values = (service.fee, service.time_limit, service.window, service.department)
    notes = [forms[language].format(value) for forms, value in zip(GUIDE_NOTES, values) if value]
    scope = SCOPE_NOTES.get(service.scope)
    if scope:
        notes.append(scope[language])
    none_needed = "No documents needed" if english else "无需提交材料"
    return {"title": service.name, "materials": list(service.materials) or [none_needed], "notes": notes,
            "station_name": station.name if station else "", "qr_url": service.online_url,
            "language": "en" if english else "zh"}
