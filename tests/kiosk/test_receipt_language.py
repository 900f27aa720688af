"""The printed receipt in the resident's language, and the identity document named for its type.

Printed by the simulated printer into a folder (NNNN.bin, as the kiosk's printer does) and read back.
"""

import re
from datetime import date, datetime

import pytest

from drivers.idcard.idnumber import mask_id
from drivers.idcard.sample_cards import SAMPLE_CARDS
from drivers.idcard.textblock import parse_text_block
from drivers.printer.document import Text, display_width
from drivers.printer.printer import open_printer
from drivers.printer.receipts import guide_receipt, ticket_receipt
from kiosk.domain.idnumber import document_kind
from kiosk.domain.tickets import Priority, Ticket
from kiosk.services.print_ticket import guide_fields, ticket_slip

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
URL = "https://zwfw.example.gov.cn/q/XZ01/A017?t=3f9a"


def masked(card: str) -> str:
    return mask_id(parse_text_block(SAMPLE_CARDS[card].text).id_number)


def ticket(id_masked="610113********1234", waiting_ahead=1, priority=Priority.ELDERLY):
    return Ticket(ticket_id="0193f6a2-0000-7000-8000-000000000017", station_id="yt-xiaozhai", service_code="SB-KSL",
                  number="A017", seq=17, issued_at=datetime(2025, 3, 18, 9, 42), business_date=date(2025, 3, 18),
                  priority=priority, id_masked=id_masked, waiting_ahead=waiting_ahead, holder_code="482913")


# ESC/POS commands of the receipts: initialise, align, bold, size, Chinese mode on/off, feed, cut, QR
COMMANDS = re.compile(rb"\x1b@|\x1b[aEd!-].|\x1d!.|\x1c[&.]|\x1dV[AB]?.|\x1d\(k(..)")


def without_commands(data: bytes) -> bytes:
    out, at = bytearray(), 0
    while (found := COMMANDS.search(data, at)) is not None:
        out += data[at:found.start()]
        at = found.end()
        if found.group(1) is not None:  # GS ( k pL pH: skip its payload
            at += found.group(1)[0] | (found.group(1)[1] << 8)
    return bytes(out + data[at:])


def printed(tmp_path, doc) -> str:
    """Print ``doc`` on the simulated printer into a folder and read the job back: its lines of text,
    joined with spaces (a wrapped line reads as one)."""
    printer = open_printer(f"sim://?dir={tmp_path / 'printed'}")
    try:
        printer.print_document(doc)
    finally:
        printer.close()
    data = next((tmp_path / "printed").glob("*.bin")).read_bytes()
    lines = without_commands(data).decode("gb18030").splitlines()
    return " ".join(line.strip() for line in lines if line.strip())


@pytest.fixture
def demo(store):
    return store.catalogue()


def test_an_english_session_prints_an_english_ticket(tmp_path, demo):
    slip = ticket_slip(ticket(), demo.service("SB-KSL"), demo.station("yt-xiaozhai"), URL, english=True)
    text = printed(tmp_path, ticket_receipt(slip))
    for words in ("Xiaozhai Road Subdistrict Service Centre", "Social security card application", "Your number",
                  "A017", "1 person waiting before you", "[Senior priority]", "Issued: 2025-03-18 09:42",
                  "Resident ID card no.: 610113********1234", "Counter: General service counter",
                  "Original resident ID card", "Rating code 482913"):
        assert words in text, words
    assert not CJK.search(text), CJK.findall(text)


def test_chinese_stays_the_default(tmp_path, demo):
    slip = ticket_slip(ticket(waiting_ahead=3), demo.service("SB-KSL"), demo.station("yt-xiaozhai"), URL)
    text = printed(tmp_path, ticket_receipt(slip))
    for words in ("小寨路街道便民服务中心", "社会保障卡申领", "您的排队号", "前面还有 3 人等候", "办理窗口：综合受理窗口",
                  "居民身份证号：610113********1234", "一次告知：请到综合受理窗口办理。请携带："):
        assert words in text, words
    assert "Your number" not in text and "General service counter" not in text


@pytest.mark.parametrize("card, chinese, english", [
    ("foreign_2023", "外国人永久居留身份证号", "Foreign Permanent Resident ID Card no."),
    ("foreign", "外国人永久居留身份证号", "Foreign Permanent Resident ID Card no."),
    ("hk_mo_tw", "港澳台居民居住证号", "Residence Permit for HK, Macao and Taiwan Residents no."),
    ("resident", "居民身份证号", "Resident ID card no."),
])
def test_the_document_is_named_for_the_card_type(tmp_path, card, chinese, english, demo):
    number = masked(card)
    service, station = demo.service("SB-KSL"), demo.station("yt-xiaozhai")
    for is_english, label in ((False, chinese), (True, english)):
        doc = ticket_receipt(ticket_slip(ticket(number), service, station, URL, english=is_english))
        text = printed(tmp_path / str(is_english), doc)
        assert re.search(re.escape(label) + r"(：|: ) ?" + re.escape(number), text), text
        assert re.findall(r"(\S*身份证号|\S*居住证号)：?", text) == [chinese] * (not is_english)
        assert parse_text_block(SAMPLE_CARDS[card].text).id_number not in text


def test_a_foreign_permanent_resident_card_is_not_an_id_card_on_the_slip(demo):
    slip = ticket_slip(ticket(masked("foreign_2023")), demo.service("SB-KSL"), None, URL)
    assert slip.id_label == "外国人永久居留身份证号" and slip.id_masked == masked("foreign_2023")
    assert [document_kind(masked(c)) for c in ("resident", "hk_mo_tw", "foreign", "foreign_2023")] == [
        "resident", "hk_mo_tw", "foreign", "foreign"]


def test_english_and_long_labels_fit_both_paper_widths(demo):
    slip = ticket_slip(ticket(masked("hk_mo_tw"), waiting_ahead=12), demo.service("XCY-BA"),
                       demo.station("yt-xz-bank"), URL, english=True)
    for width in (48, 32):
        doc = ticket_receipt(slip, width_chars=width)
        assert all(display_width(el.text) * el.size <= width for el in doc.lines if isinstance(el, Text))


def test_an_english_guide_prints_in_english(tmp_path, demo):
    fields = guide_fields(demo.service("HJ-QY"), demo.station("yt-xiaozhai"), english=True)
    text = printed(tmp_path, guide_receipt(**fields))
    for words in ("Household registration transfer (within city)", "Service guide", "Materials needed (4 items)",
                  "Fee: Free", "Time limit: 5 working days", "Counter: Police household registration counter",
                  "Department: Yanta Branch, Xi'an Public Security Bureau"):
        assert words in text, words
    assert not CJK.search(text), CJK.findall(text)
    chinese = guide_fields(demo.service("HJ-QY"), demo.station("yt-xiaozhai"))
    assert chinese["notes"][0] == "收费：免费" and chinese["language"] == "zh"
