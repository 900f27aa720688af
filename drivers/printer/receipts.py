"""Receipts the kiosk prints: the queue ticket, a service guide, and a printer test page."""

from __future__ import annotations

from datetime import datetime
from typing import Optional, Protocol

from .document import WIDTH_80MM, Document, display_width, wrap

PRIORITY_MARKS = {
    "elderly": "长者优先",
    "disabled": "残障人士优先",
    "pregnant": "孕产妇优先",
    "military": "军人优先",
}
ASSISTANCE_MARK = "帮办代办"
HOLDER_CODE_LABEL = "评价码"
HOLDER_CODE_HINT = "办结后，在自助机输入号码和评价码评价服务"


class TicketSlipFields(Protocol):
    """What ``ticket_receipt`` reads from a ticket: any object with these attributes (the kiosk
    passes its kiosk.domain.receipt_slip.TicketSlip). An optional ``holder_code`` attribute, when
    set, is printed large: the 评价码 with which the ticket's holder rates the service."""

    @property
    def station_name(self) -> str: ...
    @property
    def service_name(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def waiting_ahead(self) -> int: ...
    @property
    def issued_at(self) -> datetime: ...
    @property
    def qr_url(self) -> str: ...
    @property
    def priority(self) -> Optional[str]: ...
    @property
    def assistance(self) -> bool: ...
    @property
    def id_masked(self) -> Optional[str]: ...
    @property
    def guidance(self) -> Optional[str]: ...
    @property
    def counter_hint(self) -> Optional[str]: ...


def _wrapped(doc: Document, text: str, *, size: int = 1, align: str = "left",
             bold: bool = False, indent: str = "") -> None:
    for line in wrap(text, doc.width_chars // size, indent=indent):
        doc.text(line, size=size, align=align, bold=bold)


def _label_value(doc: Document, label: str, value: str) -> None:
    _wrapped(doc, f"{label}：{value}", indent=" " * (display_width(label) + 2))


def ticket_receipt(slip: TicketSlipFields, width_chars: int = WIDTH_80MM) -> Document:
    """The queue ticket, laid out for the resident to read at a glance."""
    doc = Document(width_chars=width_chars)
    _wrapped(doc, slip.station_name, align="center", bold=True)
    _wrapped(doc, slip.service_name, size=2, align="center")
    doc.rule()
    doc.text("您的排队号", align="center")
    doc.text(slip.number, size=3, align="center", bold=True)
    if slip.waiting_ahead > 0:
        doc.text(f"前面还有 {slip.waiting_ahead} 人等候", align="center", bold=True)
    else:
        doc.text("前面无人等候，请留意叫号", align="center", bold=True)
    marks = []
    if slip.priority:
        marks.append(PRIORITY_MARKS.get(slip.priority, slip.priority))
    if slip.assistance:
        marks.append(ASSISTANCE_MARK)
    if marks:
        doc.text("【" + "】【".join(marks) + "】", align="center")
    doc.rule()
    _label_value(doc, "取号时间", slip.issued_at.strftime("%Y-%m-%d %H:%M"))
    if slip.id_masked:
        _label_value(doc, "身份证号", slip.id_masked)
    if slip.counter_hint:
        _label_value(doc, "办理窗口", slip.counter_hint)
    if slip.guidance:
        _label_value(doc, "一次告知", slip.guidance)
    doc.feed(1)
    doc.qr(slip.qr_url, module=6, ec="M")
    doc.text("扫码查看排队进度、评价服务", align="center")
    holder_code = getattr(slip, "holder_code", None)
    if holder_code:
        doc.rule()
        doc.text(f"{HOLDER_CODE_LABEL} {holder_code}", size=2, align="center", bold=True)
        _wrapped(doc, HOLDER_CODE_HINT, align="center")
    doc.text("过号请重新取号，请妥善保管本票", align="center")
    doc.feed(2)
    doc.cut()
    return doc


def guide_receipt(title: str, materials: list[str], notes: list[str], station_name: str,
                  qr_url: Optional[str] = None, width_chars: int = WIDTH_80MM) -> Document:
    """A printed 办事指南: the full, numbered materials list and the notes."""
    doc = Document(width_chars=width_chars)
    _wrapped(doc, station_name, align="center")
    _wrapped(doc, title, size=2, align="center", bold=True)
    doc.text("办事指南", align="center")
    doc.rule()
    doc.text(f"所需材料（共 {len(materials)} 项）", bold=True)
    for i, item in enumerate(materials, 1):
        prefix = f"{i}. "
        _wrapped(doc, prefix + item, indent=" " * len(prefix))
    if notes:
        doc.rule()
        doc.text("注意事项", bold=True)
        for note in notes:
            _wrapped(doc, "· " + note, indent="  ")
    if qr_url:
        doc.feed(1)
        doc.qr(qr_url, module=6, ec="M")
        doc.text("扫码查看完整办事指南", align="center")
    doc.feed(2)
    doc.cut()
    return doc


def test_receipt(width_chars: int = WIDTH_80MM) -> Document:
    """A test page: sizes, alignment, bold, Chinese and full-width punctuation, a QR code."""
    doc = Document(width_chars=width_chars)
    doc.text("打印测试", size=2, align="center", bold=True)
    doc.rule()
    doc.text("左对齐 left")
    doc.text("居中 center", align="center")
    doc.text("右对齐 right", align="right")
    doc.text("加粗 bold", bold=True)
    doc.text("A017", size=3, align="center")
    doc.text("全角标点：（，。；！？）")
    doc.text("金额 ￥12.50")
    doc.rule()
    doc.qr("https://kiosk.invalid/printer-test", module=6, ec="M")
    doc.text("扫码测试二维码", align="center")
    doc.feed(2)
    doc.cut()
    return doc


test_receipt.__test__ = False  # not a pytest test, despite the name
