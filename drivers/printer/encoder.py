"""Document -> ESC/POS bytes, with Chinese text sent raw in Chinese mode as GB18030."""

from __future__ import annotations

import unicodedata

from .document import Cut, Document, Feed, QrCode, Rule, Text
from .qrmatrix import qr_matrix

ESC_INIT = b"\x1b@"
FS_CHINESE_ON = b"\x1c&"
FS_CHINESE_OFF = b"\x1c."
LF = b"\n"
_ALIGN = {"left": 0, "center": 1, "right": 2}
_QR_EC = {"L": 48, "M": 49, "Q": 50, "H": 51}
# Characters GBK printers lack, with the form they do have.
_REPLACEMENTS = {"\u00a5": "\uffe5", "\u00a0": " ", "\u2022": "\u00b7", "\u20ac": "EUR"}


def normalise(text: str) -> str:
    """Text the printer can print: every character ends up at most 2 bytes in GB18030.

    Known substitutions first (``¥`` -> ``￥``), then NFKC for anything else outside GBK,
    then ``?``. Control characters are dropped so text can never inject printer commands.
    """
    out = []
    for ch in text:
        ch = _REPLACEMENTS.get(ch, ch)
        if len(ch) == 1 and unicodedata.category(ch) == "Cc":
            continue
        if _printable(ch):
            out.append(ch)
            continue
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if folded and all(_printable(c) for c in folded) else "?")
    return "".join(out)


def _printable(ch: str) -> bool:
    try:
        return len(ch.encode("gb18030")) <= 2 and unicodedata.category(ch) != "Cc"
    except UnicodeEncodeError:
        return False


def text_bytes(text: str) -> bytes:
    """One line's bytes: ASCII as is, anything else wrapped in ``FS &`` ... ``FS .``."""
    s = normalise(text)
    if s.isascii():
        return s.encode("ascii")
    return FS_CHINESE_ON + s.encode("gb18030") + FS_CHINESE_OFF


def select_size(size: int) -> bytes:
    """``GS ! n``: width and height multiplier 1..3."""
    n = size - 1
    return bytes([0x1D, 0x21, (n << 4) | n])


def select_align(align: str) -> bytes:
    return bytes([0x1B, 0x61, _ALIGN[align]])


def select_bold(bold: bool) -> bytes:
    return bytes([0x1B, 0x45, 1 if bold else 0])


def feed_lines(n: int) -> bytes:
    """``ESC d n``: print and feed n lines."""
    return bytes([0x1B, 0x64, n])


def cut_bytes(partial: bool = True, feed: int = 0) -> bytes:
    """``GS V 66 n`` (feed to the cutter plus n, partial cut) or ``GS V 65 n`` (full cut)."""
    return bytes([0x1D, 0x56, 66 if partial else 65, feed])


def _qr_frame(fn: int, payload: bytes) -> bytes:
    body = bytes([0x31, fn]) + payload
    return b"\x1d(k" + len(body).to_bytes(2, "little") + body


def qr_native(data: str, module: int = 6, ec: str = "M") -> bytes:
    """``GS ( k``: model 2, module size, error correction, store, print."""
    raw = data.encode("utf-8")
    return (
        _qr_frame(65, b"\x32\x00")
        + _qr_frame(67, bytes([module]))
        + _qr_frame(69, bytes([_QR_EC[ec]]))
        + _qr_frame(80, b"\x30" + raw)
        + _qr_frame(81, b"\x30")
    )


def qr_raster(data: str, module: int = 6, ec: str = "M", *, paper_width_dots: int = 576) -> bytes:
    """The QR code drawn here and sent as a ``GS v 0`` raster image (aligned by ``ESC a``).

    The module size shrinks when the code would be wider than the paper.
    """
    matrix = qr_matrix(data, ec)
    while module > 1 and len(matrix) * module > paper_width_dots:
        module -= 1
    size_dots = len(matrix) * module
    width_bytes = (size_dots + 7) // 8
    spare_bits = width_bytes * 8 - size_dots
    full = (1 << module) - 1
    rows = bytearray()
    for modules in matrix:
        bits = 0
        for dark in modules:
            bits = (bits << module) | (full if dark else 0)
        rows += (bits << spare_bits).to_bytes(width_bytes, "big") * module
    header = b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + size_dots.to_bytes(2, "little")
    return header + bytes(rows)


def encode(doc: Document, *, native_qr: bool = True, paper_width_dots: int = 576) -> bytes:
    """The whole job: ``ESC @``, then each element; style commands only where they change."""
    out = bytearray(ESC_INIT)
    align, size, bold = "left", 1, False  # the state after ESC @

    def set_align(a: str) -> None:
        nonlocal align
        if a != align:
            out.extend(select_align(a))
            align = a

    for el in doc.lines:
        if isinstance(el, Text):
            set_align(el.align)
            if el.size != size:
                out.extend(select_size(el.size))
                size = el.size
            if el.bold != bold:
                out.extend(select_bold(el.bold))
                bold = el.bold
            out.extend(text_bytes(el.text) + LF)
        elif isinstance(el, QrCode):
            set_align(el.align)
            if native_qr:
                out.extend(qr_native(el.data, el.module, el.ec) + LF)
            else:
                out.extend(qr_raster(el.data, el.module, el.ec,
                                     paper_width_dots=paper_width_dots))
        elif isinstance(el, Rule):
            if size != 1:
                out.extend(select_size(1))
                size = 1
            out.extend(el.char.encode("ascii") * doc.width_chars + LF)
        elif isinstance(el, Feed):
            out.extend(feed_lines(el.lines))
        elif isinstance(el, Cut):
            out.extend(cut_bytes(el.partial, el.feed))
        else:
            raise TypeError(f"not a document element: {el!r}")
    return bytes(out)
