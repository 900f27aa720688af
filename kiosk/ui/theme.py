"""One place for sizes, colours and the style sheet. Sizes scale with the window's short side."""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILIES = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Droid Sans Fallback"]

BLUE = "#0B4F9C"
BLUE_DARK = "#083A73"
BLUE_LIGHT = "#E8F0FA"
RED = "#C62828"
GREEN = "#1B7F3B"
AMBER = "#8A5A00"
TEXT = "#1A1A1A"
MUTED = "#4A4A4A"
BACKGROUND = "#F5F7FA"
WHITE = "#FFFFFF"


@dataclass(frozen=True)
class Sizes:
    """Pixel sizes for a window whose short side is ``short_side`` pixels (1080 is the design size)."""

    short_side: int = 1080

    def px(self, design_px: float) -> int:
        return max(1, round(design_px * self.short_side / 1080))

    @property
    def body(self) -> int:
        return self.px(34)

    @property
    def title(self) -> int:
        return self.px(52)

    @property
    def tile_min(self) -> int:
        return self.px(190)

    @property
    def button_min(self) -> int:
        return self.px(110)

    @property
    def number(self) -> int:
        return self.px(190)


def stylesheet(sizes: Sizes) -> str:
    px = sizes.px
    return f"""
QWidget#screen {{ background: {BACKGROUND}; }}
QLabel {{ color: {TEXT}; font-size: {sizes.body}px; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#title {{ font-size: {sizes.title}px; font-weight: bold; color: {BLUE_DARK}; }}
QLabel#stationName {{ font-size: {px(46)}px; font-weight: bold; color: {WHITE}; }}
QLabel#clock {{ font-size: {px(40)}px; color: {WHITE}; }}
QLabel#headerSmall {{ font-size: {px(28)}px; color: {WHITE}; }}
QWidget#header {{ background: {BLUE}; }}
QLabel#number {{ font-size: {sizes.number}px; font-weight: bold; color: {BLUE_DARK}; }}
QLabel#notice {{ background: {BLUE_LIGHT}; border-radius: {px(16)}px; padding: {px(20)}px; }}
QLabel#printOk {{ color: {GREEN}; font-weight: bold; }}
QLabel#printWarn {{ color: {AMBER}; font-weight: bold; }}
QLabel#printBusy {{ color: {MUTED}; }}
QPushButton {{
    font-size: {sizes.body}px; min-height: {sizes.button_min}px; padding: {px(12)}px {px(28)}px;
    border-radius: {px(18)}px; background: {WHITE}; color: {BLUE_DARK}; border: {px(3)}px solid {BLUE};
}}
QPushButton:pressed {{ background: {BLUE_LIGHT}; }}
QPushButton:disabled {{ color: #8A8A8A; border-color: #B0B0B0; }}
QPushButton#tile {{
    font-size: {px(44)}px; font-weight: bold; min-height: {sizes.tile_min}px;
    background: {BLUE}; color: {WHITE}; border: none; border-radius: {px(24)}px;
}}
QPushButton#tile:pressed {{ background: {BLUE_DARK}; }}
QPushButton#primary {{ background: {BLUE}; color: {WHITE}; border: none; font-weight: bold; }}
QPushButton#category {{ text-align: left; padding-left: {px(28)}px; }}
QPushButton#category:checked {{ background: {BLUE}; color: {WHITE}; }}
QPushButton#service {{ text-align: left; padding-left: {px(28)}px; min-height: {px(120)}px; }}
QScrollArea {{ border: none; background: transparent; }}
QScrollArea > QWidget > QWidget#transparent {{ background: transparent; }}
QPushButton#category {{ min-height: {px(70)}px; padding: {px(4)}px {px(20)}px; }}
"""
