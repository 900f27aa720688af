"""Receipts the kiosk prints: the queue ticket, a service guide, and a printer test page.

The ticket and the guide come in Chinese (the default) or English: the caller's data is already
in that language; this module gives the receipt's own words (``RECEIPT_WORDS``).
"""

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
LANGUAGES = ("zh", "en")

RECEIPT_WORDS = {
    "zh": {
        "priority": PRIORITY_MARKS, "assistance": ASSISTANCE_MARK, "marks": ("【", "】【", "】"),
        "your_number": "您的排队号", "ahead_1": "前面还有 1 人等候", "ahead_n": "前面还有 {n} 人等候",
        "none_ahead": "前面无人等候，请留意叫号", "issued": "取号时间", "id": "身份证号", "counter": "办理窗口",
        "guidance": "一次告知", "scan_ticket": "扫码查看排队进度、评价服务", "holder_code": HOLDER_CODE_LABEL,
        "holder_hint": HOLDER_CODE_HINT, "keep": "过号请重新取号，请妥善保管本票",
        "guide": "办事指南", "materials_1": "所需材料（共 1 项）", "materials_n": "所需材料（共 {n} 项）",
        "notes": "注意事项", "scan_guide": "扫码查看完整办事指南",
    },
    "en": {
        "priority": {"elderly": "Senior priority", "disabled": "Disability priority",
                     "pregnant": "Pregnancy priority", "military": "Military priority"},
        "assistance": "Assisted service", "marks": ("[", "] [", "]"),
        "your_number": "Your number", "ahead_1": "1 person waiting before you",
        "ahead_n": "{n} people waiting before you", "none_ahead": "No one waiting before you: listen for your number",
        "issued": "Issued", "id": "ID number", "counter": "Counter", "guidance": "Please note",
        "scan_ticket": "Scan to follow the queue and rate the service", "holder_code": "Rating code",
        "holder_hint": "When you are done, enter your number and rating code at a kiosk to rate the service",
        "keep": "If your number is missed, please take a new one. Keep this ticket safe.",
        "guide": "Service guide", "materials_1": "Materials needed (1 item)",
        "materials_n": "Materials needed ({n} items)", "notes": "Notes", "scan_guide": "Scan for the full service guide",
    },
}


def receipt_words(language: str) -> dict:
    """The receipt's own words in ``language`` ("zh" or "en")."""
    if language not in RECEIPT_WORDS:
        raise ValueError(f"receipt language must be one of {LANGUAGES}, got {language!r}")
    return RECEIPT_WORDS[language]


class TicketSlipFields(Protocol):
    """What ``ticket_receipt`` reads from a ticket: any object with these attributes (the kiosk
    passes its kiosk.domain.receipt_slip.TicketSlip). Optional attributes: ``holder_code``, when
    set, is printed large (the 评价码 with which the ticket's holder rates the service);
    ``language`` ("zh" by default, or "en") gives the receipt's words; ``id_label`` names the
    identity document of ``id_masked`` (default: the words' "身份证号")."""

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


def _label_value(doc: Document, label: str, value: str, colon: str = "：") -> None:
    """``label：value``, continued under the value; a long label gets a line of its own."""
    if display_width(label) > doc.width_chars // 3:
        _wrapped(doc, label + colon.strip())
        _wrapped(doc, "  " + value, indent="  ")
        return
    _wrapped(doc, f"{label}{colon}{value}", indent=" " * (display_width(label) + display_width(colon)))


def ticket_receipt(slip: TicketSlipFields, width_chars: int = WIDTH_80MM) -> Document:
    """The queue ticket, laid out for the resident to read at a glance."""
    words = receipt_words(getattr(slip, "language", None) or "zh")
    colon = "：" if words is RECEIPT_WORDS["zh"] else ": "
    doc = Document(width_chars=width_chars)
    _wrapped(doc, slip.station_name, align="center", bold=True)
    _wrapped(doc, slip.service_name, size=2, align="center")
    doc.rule()
    doc.text(words["your_number"], align="center")
    doc.text(slip.number, size=3, align="center", bold=True)
    if slip.waiting_ahead > 0:
        ahead = words["ahead_1"] if slip.waiting_ahead == 1 else words["ahead_n"].format(n=slip.waiting_ahead)
        _wrapped(doc, ahead, align="center", bold=True)
    else:
        _wrapped(doc, words["none_ahead"], align="center", bold=True)
    marks = []
    if slip.priority:
        marks.append(words["priority"].get(slip.priority, slip.priority))
    if slip.assistance:
        marks.append(words["assistance"])
    if marks:
        opening, between, closing = words["marks"]
        _wrapped(doc, opening + between.join(marks) + closing, align="center")
    doc.rule()
    _label_value(doc, words["issued"], slip.issued_at.strftime("%Y-%m-%d %H:%M"), colon)
    if slip.id_masked:
        _label_value(doc, getattr(slip, "id_label", None) or words["id"], slip.id_masked, colon)
    if slip.counter_hint:
        _label_value(doc, words["counter"], slip.counter_hint, colon)
    if slip.guidance:
        _label_value(doc, words["guidance"], slip.guidance, colon)
    doc.feed(1)
    doc.qr(slip.qr_url, module=6, ec="M")
    _wrapped(doc, words["scan_ticket"], align="center")
    holder_code = getattr(slip, "holder_code", None)
    if holder_code:
        doc.rule()
        line = f"{words['holder_code']} {holder_code}"
        if display_width(line) * 2 > doc.width_chars:  # the label above the code, on narrow paper
            doc.text(words["holder_code"], align="center", bold=True)
            line = holder_code
        doc.text(line, size=2, align="center", bold=True)
        _wrapped(doc, words["holder_hint"], align="center")
    _wrapped(doc, words["keep"], align="center")
    doc.feed(2)
    doc.cut()
    return doc


def guide_receipt(title: str, materials: list[str], notes: list[str], station_name: str,
                  qr_url: Optional[str] = None, width_chars: int = WIDTH_80MM, language: str = "zh") -> Document:
    """A printed 办事指南: the full, numbered materials list and the notes (in ``language``)."""
    words = receipt_words(language)
    doc = Document(width_chars=width_chars)
    _wrapped(doc, station_name, align="center")
    _wrapped(doc, title, size=2, align="center", bold=True)
    doc.text(words["guide"], align="center")
    doc.rule()
    count = words["materials_1"] if len(materials) == 1 else words["materials_n"].format(n=len(materials))
    _wrapped(doc, count, bold=True)
    for i, item in enumerate(materials, 1):
        prefix = f"{i}. "
        _wrapped(doc, prefix + item, indent=" " * len(prefix))
    if notes:
        doc.rule()
        doc.text(words["notes"], bold=True)
        for note in notes:
            _wrapped(doc, "· " + note, indent="  ")
    if qr_url:
        doc.feed(1)
        doc.qr(qr_url, module=6, ec="M")
        _wrapped(doc, words["scan_guide"], align="center")
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
