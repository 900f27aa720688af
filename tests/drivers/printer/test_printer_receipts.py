"""Receipt layouts: what the resident gets on paper, and its size on the wire."""

from datetime import datetime

from drivers.printer.document import QrCode, Text, display_width
from drivers.printer.encoder import encode, qr_native
from drivers.printer.receipts import guide_receipt, test_receipt, ticket_receipt
from kiosk.domain.receipt_slip import TicketSlip

URL = "https://zwfw.example.gov.cn/q/XZ01/A017?t=3f9a"


def slip(**over):
    fields = dict(
        station_name="小寨街道便民服务中心", service_name="社会保障卡申领", number="A017",
        waiting_ahead=5, issued_at=datetime(2025, 3, 18, 9, 42), qr_url=URL,
        priority="elderly", assistance=True, id_masked="610113********1234",
        guidance="请携带本人身份证原件及近期一寸白底免冠照片，到二楼3号窗口办理；无需复印件。",
        counter_hint="二楼 3 号窗口",
    )
    fields.update(over)
    return TicketSlip(**fields)


def texts(doc):
    return [el.text for el in doc.lines if isinstance(el, Text)]


def test_ticket_contains_what_the_resident_needs():
    doc = ticket_receipt(slip())
    lines = texts(doc)
    number = next(el for el in doc.lines if isinstance(el, Text) and el.text == "A017")
    assert (number.size, number.align) == (3, "center")
    assert "前面还有 5 人等候" in lines
    assert "【长者优先】【帮办代办】" in lines
    assert any("610113********1234" in t for t in lines)
    assert any("2025-03-18 09:42" in t for t in lines)
    assert "扫码查看排队进度、评价服务" in lines
    assert [el.data for el in doc.lines if isinstance(el, QrCode)] == [URL]
    assert all(display_width(t) <= 48 for t in lines)


def test_ticket_bytes_hold_number_station_and_native_qr_within_1024():
    data = encode(ticket_receipt(slip()))
    assert b"A017" in data
    assert "小寨街道便民服务中心".encode("gb18030") in data
    assert qr_native(URL, 6, "M") in data
    assert data.endswith(b"\x1dVB\x00")
    assert len(data) <= 1024


def test_image_qr_ticket_is_larger():
    doc = ticket_receipt(slip())
    native, image = len(encode(doc)), len(encode(doc, native_qr=False))
    assert image > native * 4


def test_guidance_wraps_to_58mm_paper():
    doc = ticket_receipt(slip(), width_chars=32)
    assert all(display_width(t) * el.size <= 32 for el in doc.lines if isinstance(el, Text)
               for t in [el.text])
    joined = "".join(t.strip() for t in texts(doc))
    assert "请携带本人身份证原件及近期一寸白底免冠照片" in joined


def test_optional_fields_are_left_out():
    doc = ticket_receipt(slip(priority=None, assistance=False, id_masked=None, guidance=None,
                              counter_hint=None, waiting_ahead=0))
    lines = texts(doc)
    assert not any("【" in t or "身份证" in t or "一次告知" in t for t in lines)
    assert "前面无人等候，请留意叫号" in lines


def test_guide_lists_every_material_numbered():
    materials = ["居民身份证原件", "户口簿", "近期一寸白底免冠彩色照片一张"]
    doc = guide_receipt("社会保障卡申领", materials, ["本人到场办理"], "小寨街道便民服务中心",
                        qr_url="https://zwfw.example.gov.cn/g/1")
    lines = texts(doc)
    for i, item in enumerate(materials, 1):
        assert f"{i}. {item}" in lines
    assert "所需材料（共 3 项）" in lines
    assert len([el for el in doc.lines if isinstance(el, QrCode)]) == 1


def test_test_receipt_has_words_and_qr():
    doc = test_receipt()
    assert "打印测试" in texts(doc)
    assert any(isinstance(el, QrCode) for el in doc.lines)
    assert "打印测试".encode("gb18030") in encode(doc)


def test_ticket_slip_takes_keywords_only():
    import pytest

    with pytest.raises(TypeError):
        TicketSlip("小寨", "社保", "A017", 5, datetime(2025, 1, 1), URL)  # noqa


def test_ticket_receipt_takes_any_object_with_the_slip_fields():
    from types import SimpleNamespace

    plain = SimpleNamespace(**{name: getattr(slip(), name) for name in TicketSlip.__dataclass_fields__})
    assert encode(ticket_receipt(plain)) == encode(ticket_receipt(slip()))
