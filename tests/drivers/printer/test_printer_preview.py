"""PNG previews: Chinese drawn with a real font, QR decodable as modules, nothing clipped."""

from datetime import datetime

from PIL import Image

from drivers.printer import preview
from drivers.printer.document import Document
from drivers.printer.qrmatrix import qr_matrix
from drivers.printer.receipts import ticket_receipt
from kiosk.domain.receipt_slip import TicketSlip


def load(path):
    with Image.open(path) as img:
        return img.convert("L")


def test_a_cjk_font_is_found():
    path = preview.find_cjk_font()
    assert path and "wqy" in path.lower()


def test_chinese_glyphs_differ_from_each_other(tmp_path):
    a = preview.render_png(Document().text("中"), tmp_path / "a.png")
    b = preview.render_png(Document().text("国"), tmp_path / "b.png")
    assert load(a).tobytes() != load(b).tobytes()


def test_qr_modules_are_drawn_true_to_size(tmp_path):
    url = "https://k.example/t/A017"
    out = preview.render_png(Document().qr(url, module=6, align="left"), tmp_path / "q.png")
    img = load(out)
    matrix = qr_matrix(url, "M")
    x0, y0 = preview.MARGIN, preview.MARGIN + 2
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            assert (img.getpixel((x0 + c * 6 + 3, y0 + r * 6 + 3)) < 128) == dark


def test_ticket_preview_keeps_ink_inside_the_paper(tmp_path):
    slip = TicketSlip(station_name="小寨街道便民服务中心", service_name="社会保障卡申领", number="A017",
                      waiting_ahead=5, issued_at=datetime(2025, 3, 18, 9, 42),
                      qr_url="https://zwfw.example.gov.cn/q/XZ01/A017", priority="elderly",
                      id_masked="610113********1234", guidance="请携带本人身份证原件" * 4)
    out = preview.render_png(ticket_receipt(slip), tmp_path / "t.png")
    img = load(out)
    assert img.width == 576
    left, top, right, bottom = Image.eval(img, lambda p: 255 if p < 128 else 0).getbbox()  # black ink only
    assert left >= 4 and right <= 572 and top >= 4 and bottom <= img.height - 4


def test_falls_back_without_a_cjk_font(tmp_path, monkeypatch):
    monkeypatch.setattr(preview, "find_cjk_font", lambda: None)
    preview._font.cache_clear()
    try:
        out = preview.render_png(Document().text("中文 fallback", size=2).rule().cut(), tmp_path / "f.png")
        assert load(out).height > 0
    finally:
        preview._font.cache_clear()
