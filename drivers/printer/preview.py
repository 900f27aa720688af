"""Draw a Document as the paper would come out (PNG), for the simulator and documentation."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Optional

from PIL import Image, ImageDraw, ImageFont

from .document import Cut, Document, Feed, QrCode, Rule, Text, wrap
from .qrmatrix import qr_matrix

FONT_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
MARGIN = 16


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> Optional[str]:
    """Path of a font with Chinese glyphs: fontconfig first, then well-known paths."""
    if shutil.which("fc-match"):
        for family in FONT_FAMILIES:
            try:
                out = subprocess.run(
                    ["fc-match", "-f", "%{file}", f"{family}:lang=zh-cn"],
                    capture_output=True, text=True, timeout=5, check=False,
                ).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                break
            if out and os.path.exists(out) and any(k in out.lower() for k in ("wqy", "cjk", "han")):
                return out
    return next((p for p in FONT_PATHS if os.path.exists(p)), None)


@functools.lru_cache(maxsize=16)
def _font(px: int):
    path = find_cjk_font()
    if path:
        try:
            return ImageFont.truetype(path, px)
        except OSError:
            pass
    try:
        return ImageFont.load_default(px)
    except (TypeError, OSError):
        return ImageFont.load_default()


class _Layout:
    def __init__(self, doc: Document, width_px: int) -> None:
        self.doc = doc
        self.width = width_px
        self.col_px = (width_px - 2 * MARGIN) / doc.width_chars
        self.base_px = max(8, int(self.col_px * 2))
        self.line_h = int(self.base_px * 1.3)

    def blocks(self):
        """(height, draw(draw, y)) for each printed block, top to bottom."""
        for el in self.doc.lines:
            if isinstance(el, Text):
                cols = max(2, self.doc.width_chars // el.size)
                for line in wrap(el.text, cols) if el.text else [""]:
                    yield self.line_h * el.size, functools.partial(self._text, el, line)
            elif isinstance(el, QrCode):
                matrix = qr_matrix(el.data, el.ec)
                yield len(matrix) * el.module + 4, functools.partial(self._qr, el, matrix)
            elif isinstance(el, Rule):
                yield self.line_h, functools.partial(self._rule, el)
            elif isinstance(el, Feed):
                yield self.line_h * el.lines, None
            elif isinstance(el, Cut):
                yield self.line_h * 2, functools.partial(self._cut, el)

    def _x(self, align: str, w: float) -> float:
        if align == "center":
            return (self.width - w) / 2
        if align == "right":
            return self.width - MARGIN - w
        return MARGIN

    def _text(self, el: Text, line: str, draw: ImageDraw.ImageDraw, y: int) -> None:
        font = _font(self.base_px * el.size)
        w = font.getlength(line)
        x = self._x(el.align, w)
        pad = (self.line_h - self.base_px) * el.size // 2
        draw.text((x, y + pad), line, fill=0, font=font,
                  stroke_width=1 if el.bold else 0, stroke_fill=0)

    def _qr(self, el: QrCode, matrix, draw: ImageDraw.ImageDraw, y: int) -> None:
        m = el.module
        x0 = int(self._x(el.align, len(matrix) * m))
        for r, row in enumerate(matrix):
            for c, dark in enumerate(row):
                if dark:
                    draw.rectangle([x0 + c * m, y + 2 + r * m, x0 + (c + 1) * m - 1,
                                    y + 2 + (r + 1) * m - 1], fill=0)

    def _rule(self, el: Rule, draw: ImageDraw.ImageDraw, y: int) -> None:
        mid = y + self.line_h // 2
        step = self.col_px
        for i in range(self.doc.width_chars):
            x = MARGIN + i * step
            draw.line([(x + step * 0.2, mid), (x + step * 0.8, mid)], fill=0, width=2)

    def _cut(self, el: Cut, draw: ImageDraw.ImageDraw, y: int) -> None:
        mid = y + self.line_h
        for x in range(0, self.width, 12):
            draw.line([(x, mid), (x + 6, mid)], fill=150, width=1)
        label = "partial cut" if el.partial else "cut"
        font = _font(max(8, self.base_px // 2))
        draw.text((self.width - MARGIN - len(label) * self.base_px / 4, mid - self.base_px // 2 - 2),
                  label, fill=150, font=font)


def render_png(doc: Document, path, *, width_px: int = 576) -> Path:
    """Draw ``doc`` at printer resolution (576 px = 80 mm at 203 dpi) and save it as PNG."""
    layout = _Layout(doc, width_px)
    blocks = list(layout.blocks())
    height = MARGIN * 2 + sum(h for h, _ in blocks)
    image = Image.new("L", (width_px, max(height, MARGIN * 2 + 1)), 255)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for h, paint in blocks:
        if paint is not None:
            paint(draw, y)
        y += h
    path = Path(path)
    image.save(path, format="PNG")
    return path
