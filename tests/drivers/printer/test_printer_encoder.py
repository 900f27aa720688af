"""Exact ESC/POS bytes for each command the encoder emits."""

import pytest

from drivers.printer.document import Document
from drivers.printer.encoder import (
    cut_bytes, encode, normalise, qr_native, qr_raster, text_bytes,
)
from drivers.printer.qrmatrix import qr_matrix

INIT = b"\x1b@"


def test_empty_document_is_just_init():
    assert encode(Document()) == INIT


def test_ascii_line_is_sent_plain():
    assert encode(Document().text("A017")) == INIT + b"A017\n"


def test_chinese_is_wrapped_in_chinese_mode_as_gb18030():
    assert encode(Document().text("中文")) == INIT + b"\x1c&\xd6\xd0\xce\xc4\x1c.\n"


def test_station_name_bytes():
    assert text_bytes("小寨街道") == b"\x1c&" + "小寨街道".encode("gb18030") + b"\x1c."


def test_yen_sign_becomes_fullwidth_yen():
    assert normalise("¥12") == "￥12"
    assert text_bytes("¥12") == b"\x1c&\xa3\xa412\x1c."


def test_fullwidth_punctuation_only_line_prints_its_characters():
    data = text_bytes("（：）")
    assert data == b"\x1c&\xa3\xa8\xa3\xba\xa3\xa9\x1c."
    assert b"?" not in data


@pytest.mark.parametrize("text", ["𠀀", "😀", "\u00a5", "€", "𝐀", "\u3400"])
def test_no_four_byte_gb18030_sequences(text):
    out = normalise(text)
    assert all(len(ch.encode("gb18030")) <= 2 for ch in out)


def test_characters_outside_gbk_fold_or_become_question_mark():
    assert normalise("𝐀") == "A"  # NFKC
    assert normalise("😀") == "?"


def test_control_characters_cannot_inject_commands():
    assert encode(Document().text("a\x1b@\x1dV\x00b")) == INIT + b"a@Vb\n"


@pytest.mark.parametrize("size,n", [(2, 0x11), (3, 0x22)])
def test_size_then_back_to_normal(size, n):
    doc = Document().text("A017", size=size).text("x")
    assert encode(doc) == INIT + bytes([0x1D, 0x21, n]) + b"A017\n" + b"\x1d!\x00x\n"


@pytest.mark.parametrize("align,n", [("center", 1), ("right", 2)])
def test_alignment(align, n):
    doc = Document().text("x", align=align).text("y")
    assert encode(doc) == INIT + bytes([0x1B, 0x61, n]) + b"x\n\x1ba\x00y\n"


def test_style_commands_only_on_change():
    doc = Document().text("a", align="center").text("b", align="center")
    assert encode(doc) == INIT + b"\x1ba\x01a\nb\n"


def test_bold_on_and_off():
    doc = Document().text("x", bold=True).text("y")
    assert encode(doc) == INIT + b"\x1bE\x01x\n\x1bE\x00y\n"


def test_rule_is_a_line_of_dashes_at_normal_size():
    assert encode(Document(width_chars=32).rule()) == INIT + b"-" * 32 + b"\n"
    doc = Document(width_chars=32).text("A", size=2).rule()
    assert encode(doc) == INIT + b"\x1d!\x11A\n\x1d!\x00" + b"-" * 32 + b"\n"


def test_feed():
    assert encode(Document().feed(3)) == INIT + b"\x1bd\x03"


def test_cut_variants():
    assert cut_bytes(partial=True) == b"\x1dVB\x00"
    assert cut_bytes(partial=False) == b"\x1dVA\x00"
    assert encode(Document().cut(partial=False, feed=5)) == INIT + b"\x1dVA\x05"
    assert encode(Document().cut()) == INIT + b"\x1dV\x42\x00"


def test_native_qr_frames_for_a_short_url():
    url = "https://k.example/t/A017"
    expected = (
        b"\x1d(k\x04\x00\x31\x41\x32\x00"  # model 2
        b"\x1d(k\x03\x00\x31\x43\x06"  # module size 6
        b"\x1d(k\x03\x00\x31\x45\x31"  # error correction M
        + b"\x1d(k" + bytes([len(url) + 3, 0]) + b"\x31\x50\x30" + url.encode()  # store
        + b"\x1d(k\x03\x00\x31\x51\x30"  # print
    )
    assert qr_native(url, module=6, ec="M") == expected
    assert encode(Document().qr(url)) == INIT + b"\x1ba\x01" + expected + b"\n"


@pytest.mark.parametrize("ec,byte", [("L", 48), ("M", 49), ("Q", 50), ("H", 51)])
def test_native_qr_error_correction_levels(ec, byte):
    assert qr_native("x", ec=ec)[17:25] == bytes([0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x45, byte])


def _unpack_raster(data):
    assert data[:4] == b"\x1dv0\x00"
    width_bytes = int.from_bytes(data[4:6], "little")
    height = int.from_bytes(data[6:8], "little")
    body = data[8:]
    assert len(body) == width_bytes * height
    rows = [body[r * width_bytes:(r + 1) * width_bytes] for r in range(height)]
    return width_bytes, height, [[bool(row[x // 8] & (0x80 >> (x % 8))) for x in range(width_bytes * 8)]
                                 for row in rows]


def test_image_qr_header_and_pixels_match_the_code():
    url = "https://k.example/t/A017"
    data = qr_raster(url, module=4, ec="M")
    matrix = qr_matrix(url, "M")
    size = len(matrix) * 4
    width_bytes, height, pixels = _unpack_raster(data)
    assert data[:8] == b"\x1dv0\x00" + ((size + 7) // 8).to_bytes(2, "little") + size.to_bytes(2, "little")
    assert height == size
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            assert pixels[r * 4 + 1][c * 4 + 2] == dark
    assert not any(pixels[0][size:])  # padding bits are white


def test_image_qr_shrinks_to_fit_the_paper():
    data = qr_raster("x" * 200, module=16, paper_width_dots=384)
    assert int.from_bytes(data[6:8], "little") <= 384


def test_image_qr_used_when_native_is_off():
    doc = Document().qr("https://k.example/t/A017")
    assert b"\x1d(k" not in encode(doc, native_qr=False)
    assert encode(doc, native_qr=False).startswith(INIT + b"\x1ba\x01\x1dv0\x00")
