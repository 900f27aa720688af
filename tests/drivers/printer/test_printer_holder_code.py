"""The 评价码 on the printed ticket: large, bold and clear, so its holder can rate the service."""

from datetime import date, datetime

from PIL import Image

from drivers.printer import preview
from drivers.printer.document import Text, display_width
from drivers.printer.encoder import encode
from drivers.printer.receipts import ticket_receipt
from kiosk.domain.catalogue import Service
from kiosk.domain.tickets import Priority, Ticket
from kiosk.services.print_ticket import ticket_slip

URL = "https://zwfw.example.gov.cn/q/XZ01/A017?t=3f9a"
SERVICE = Service(code="SB-KSL", name="社会保障卡申领", category="社保", prefix="A", window="二楼 3 号窗口",
                  materials=("居民身份证原件", "近期一寸白底免冠照片"))


def ticket(holder_code="482913"):
    return Ticket(ticket_id="0193f6a2-0000-7000-8000-000000000017", station_id="yt-xiaozhai", service_code="SB-KSL",
                  number="A017", seq=17, issued_at=datetime(2025, 3, 18, 9, 42), business_date=date(2025, 3, 18),
                  priority=Priority.ELDERLY, id_masked="610113********1234", waiting_ahead=5,
                  holder_code=holder_code)


def code_line(doc):
    return next(el for el in doc.lines if isinstance(el, Text) and "评价码" in el.text and "482913" in el.text)


def test_the_ticket_slip_carries_the_tickets_holder_code_to_the_receipt():
    doc = ticket_receipt(ticket_slip(ticket(), SERVICE, None, URL))
    line = code_line(doc)
    assert (line.text, line.size, line.bold, line.align) == ("评价码 482913", 2, True, "center")
    texts = [el.text for el in doc.lines if isinstance(el, Text)]
    assert texts.index("评价码 482913") > texts.index("扫码查看排队进度、评价服务")  # under the QR, apart from A017
    assert "办结后，在自助机输入号码和评价码评价服务" in texts


def test_the_code_fits_both_paper_widths_and_the_ticket_stays_small():
    slip = ticket_slip(ticket(), SERVICE, None, URL)
    for width in (48, 32):
        doc = ticket_receipt(slip, width_chars=width)
        assert all(display_width(el.text) * el.size <= width for el in doc.lines if isinstance(el, Text))
    data = encode(ticket_receipt(slip))
    assert "评价码 482913".encode("gb18030") in data and len(data) <= 1024


def test_a_ticket_without_a_code_prints_no_code_line():
    doc = ticket_receipt(ticket_slip(ticket(holder_code=None), SERVICE, None, URL))
    assert not any("评价码" in el.text for el in doc.lines if isinstance(el, Text))


def test_the_code_is_drawn_large_in_the_preview(tmp_path):
    with_code = preview.render_png(ticket_receipt(ticket_slip(ticket(), SERVICE, None, URL)), tmp_path / "code.png")
    without = preview.render_png(ticket_receipt(ticket_slip(ticket(None), SERVICE, None, URL)), tmp_path / "no.png")
    with Image.open(with_code) as a, Image.open(without) as b:
        img, plain = a.convert("L"), b.convert("L")
    assert img.width == plain.width == 576
    assert img.height - plain.height >= 80  # a rule, a double-height line and a hint line more
    left, top, right, bottom = Image.eval(img, lambda p: 255 if p < 128 else 0).getbbox()
    assert left >= 4 and right <= 572 and bottom <= img.height - 4  # nothing clipped at the paper's edges
    # The rows where the two receipts differ hold the code: ink across a wide, tall band (size 2 text)
    rows = [y for y in range(plain.height - 140) if img.crop((0, y, 576, y + 1)).tobytes()
            != plain.crop((0, y, 576, y + 1)).tobytes()]
    band = img.crop((0, rows[0], 576, rows[0] + 140))
    ink = Image.eval(band, lambda p: 255 if p < 128 else 0).getbbox()
    assert ink is not None and ink[2] - ink[0] > 250 and ink[3] - ink[1] > 40
