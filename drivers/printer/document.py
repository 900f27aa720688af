"""Receipt document model: what to print, independent of the printer's byte language."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterator, Union

ALIGNMENTS = ("left", "center", "right")
QR_EC_LEVELS = ("L", "M", "Q", "H")
WIDTH_58MM = 32
WIDTH_80MM = 48

# A line should not start with these; the character before them is carried down instead.
_NO_LINE_START = set("，。、；：？！）》」』】〕…—·,.;:?!)]}%")


@dataclass(frozen=True)
class Text:
    text: str
    size: int = 1
    align: str = "left"
    bold: bool = False


@dataclass(frozen=True)
class QrCode:
    data: str
    module: int = 6
    ec: str = "M"
    align: str = "center"


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class Cut:
    partial: bool = True
    feed: int = 0


Element = Union[Text, QrCode, Feed, Rule, Cut]


@dataclass
class Document:
    """A receipt built line by line; ``width_chars`` is 48 for 80 mm paper, 32 for 58 mm."""

    width_chars: int = WIDTH_80MM
    lines: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 8 <= self.width_chars <= 96:
            raise ValueError(f"width_chars must be 8..96, got {self.width_chars}")

    def __iter__(self) -> Iterator[Element]:
        return iter(self.lines)

    def text(self, s: str, *, size: int = 1, align: str = "left", bold: bool = False) -> Document:
        if size not in (1, 2, 3):
            raise ValueError(f"size must be 1, 2 or 3, got {size!r}")
        if align not in ALIGNMENTS:
            raise ValueError(f"align must be one of {ALIGNMENTS}, got {align!r}")
        for part in str(s).split("\n"):
            self.lines.append(Text(part, size=size, align=align, bold=bool(bold)))
        return self

    def qr(self, data: str, *, module: int = 6, ec: str = "M", align: str = "center") -> Document:
        if not data:
            raise ValueError("QR data must not be empty")
        if len(data.encode("utf-8")) > 2953:
            raise ValueError("QR data too long (max 2953 bytes)")
        if not 1 <= module <= 16:
            raise ValueError(f"QR module size must be 1..16, got {module!r}")
        if ec not in QR_EC_LEVELS:
            raise ValueError(f"QR error correction must be one of {QR_EC_LEVELS}, got {ec!r}")
        if align not in ALIGNMENTS:
            raise ValueError(f"align must be one of {ALIGNMENTS}, got {align!r}")
        self.lines.append(QrCode(data, module=module, ec=ec, align=align))
        return self

    def feed(self, lines: int = 1) -> Document:
        if not 0 <= lines <= 255:
            raise ValueError(f"feed lines must be 0..255, got {lines!r}")
        self.lines.append(Feed(lines))
        return self

    def rule(self, char: str = "-") -> Document:
        if len(char) != 1 or char_width(char) != 1:
            raise ValueError("rule character must be one single-width character")
        self.lines.append(Rule(char))
        return self

    def cut(self, partial: bool = True, *, feed: int = 0) -> Document:
        if not 0 <= feed <= 255:
            raise ValueError(f"cut feed must be 0..255, got {feed!r}")
        self.lines.append(Cut(partial=bool(partial), feed=feed))
        return self


def char_width(ch: str) -> int:
    """Columns a character takes on the printer: CJK and full-width forms take two."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(s: str) -> int:
    return sum(char_width(ch) for ch in s)


def _tokens(s: str) -> list[str]:
    """Split into wrap units: a run of ASCII letters/digits stays whole, anything else is single."""
    out: list[str] = []
    for ch in s:
        if out and ch.isascii() and ch.isalnum() and out[-1][-1:].isascii() and out[-1][-1:].isalnum():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap(s: str, width: int, *, indent: str = "") -> list[str]:
    """Wrap text to ``width`` columns (CJK = 2), continuing lines with ``indent``."""
    if width < 2:
        raise ValueError("width must be at least 2 columns")
    lines: list[str] = []
    line = ""
    for token in _tokens(s):
        if display_width(line + token) <= width:
            line += token
            continue
        if display_width(token) > width - display_width(indent):
            for ch in token:
                if display_width(line + ch) > width:
                    lines.append(line)
                    line = indent
                line += ch
            continue
        carry = ""
        if token in _NO_LINE_START and len(line) > len(indent) + 1:
            carry, line = line[-1], line[:-1]
        lines.append(line.rstrip())
        line = indent + carry + (token if token != " " else "")
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines
