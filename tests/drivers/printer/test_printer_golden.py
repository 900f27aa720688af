"""The exact ESC/POS bytes of one complete queue ticket, compared byte for byte with a stored file.

Any change to the layout, the encoder, the QR code or the code page changes these bytes. When the
change is intended, regenerate the file and review the diff of the receipt before committing it:

    KIOSK_REWRITE_GOLDEN=1 .venv/bin/pytest -p no:randomly tests/drivers/printer/test_printer_golden.py

(the run that rewrites the file is reported as skipped, so it never passes by itself).
"""

import os
from datetime import datetime
from pathlib import Path

import pytest

from drivers.printer.encoder import encode
from drivers.printer.receipts import ticket_receipt
from kiosk.domain.receipt_slip import TicketSlip

GOLDEN = Path(__file__).with_name("golden_ticket_receipt.bin")

SLIP = TicketSlip(
    station_name="小寨街道便民服务中心", service_name="社会保障卡申领", number="A017",
    waiting_ahead=5, issued_at=datetime(2025, 3, 18, 9, 42), qr_url="https://zwfw.example.gov.cn/q/XZ01/A017?t=3f9a",
    priority="elderly", assistance=True, id_masked="610113********1234",
    guidance="请携带本人身份证原件及近期一寸白底免冠照片，到二楼3号窗口办理；无需复印件。",
    counter_hint="二楼 3 号窗口",
)


def _first_difference(a: bytes, b: bytes) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def test_whole_ticket_receipt_bytes_are_the_golden_ones():
    data = encode(ticket_receipt(SLIP))
    if os.environ.get("KIOSK_REWRITE_GOLDEN"):
        GOLDEN.write_bytes(data)
        pytest.skip(f"rewrote {GOLDEN.name} ({len(data)} bytes): review it before committing")
    golden = GOLDEN.read_bytes()
    if data != golden:
        at = _first_difference(data, golden)
        pytest.fail(f"receipt bytes differ from {GOLDEN.name} at offset {at} "
                    f"(now {len(data)} bytes, golden {len(golden)}): "
                    f"now {data[at:at + 16].hex(' ')}, golden {golden[at:at + 16].hex(' ')}")
