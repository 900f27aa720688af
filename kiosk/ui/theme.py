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
QPushButton#tileLight {{
    font-size: {px(38)}px; font-weight: bold; min-height: {px(170)}px;
    background: {WHITE}; color: {BLUE_DARK}; border: {px(4)}px solid {BLUE}; border-radius: {px(24)}px;
}}
QPushButton#tileLight:pressed {{ background: {BLUE_LIGHT}; }}
QPushButton#primary {{ background: {BLUE}; color: {WHITE}; border: none; font-weight: bold; }}
QPushButton#category {{ text-align: left; padding-left: {px(28)}px; }}
QPushButton#category:checked {{ background: {BLUE}; color: {WHITE}; }}
QPushButton#service {{ text-align: left; padding-left: {px(28)}px; min-height: {px(120)}px; }}
QPushButton#key {{ font-size: {px(56)}px; font-weight: bold; }}
QScrollArea {{ border: none; background: transparent; }}
QScrollArea > QWidget > QWidget#transparent {{ background: transparent; }}
QPushButton#category {{ min-height: {px(70)}px; padding: {px(4)}px {px(20)}px; }}
QPushButton#padKey {{
    font-size: {px(44)}px; font-weight: bold; min-height: {px(84)}px; min-width: {px(84)}px;
    padding: 0px; border-radius: {px(14)}px;
}}
QPushButton#padAction {{
    font-size: {px(32)}px; min-height: {px(84)}px; min-width: {px(84)}px; padding: 0px {px(10)}px;
    border-radius: {px(14)}px; background: {BLUE_LIGHT};
}}
QLabel#query {{
    font-size: {px(60)}px; font-weight: bold; color: {BLUE_DARK}; background: {WHITE};
    border: {px(3)}px solid {BLUE}; border-radius: {px(16)}px; padding: {px(8)}px {px(24)}px;
    min-height: {px(90)}px;
}}
QLabel#hint {{ color: {MUTED}; font-size: {px(30)}px; }}
QLabel#sectionTitle {{ font-size: {px(38)}px; font-weight: bold; color: {BLUE_DARK}; }}
QLabel#calm {{
    background: #FFF6E0; color: {AMBER}; border-radius: {px(16)}px; padding: {px(18)}px;
    font-size: {px(34)}px; font-weight: bold;
}}
QLabel#bigThanks {{ font-size: {px(56)}px; font-weight: bold; color: {GREEN}; }}
QLabel#bigCalm {{ font-size: {px(56)}px; font-weight: bold; color: {BLUE_DARK}; }}
QPushButton#filter {{ min-height: {px(76)}px; padding: {px(4)}px {px(22)}px; font-size: {px(32)}px; }}
QPushButton#filter:checked {{ background: {BLUE}; color: {WHITE}; }}
QPushButton#reason {{ min-height: {px(96)}px; font-size: {px(34)}px; }}
QPushButton#reason:checked {{ background: {BLUE}; color: {WHITE}; font-weight: bold; }}
QToolButton#levelFace {{
    font-size: {px(36)}px; font-weight: bold; color: {TEXT}; background: {WHITE};
    border: {px(3)}px solid #B8C4D6; border-radius: {px(24)}px; padding: {px(16)}px;
    min-height: {px(300)}px; min-width: {px(200)}px;
}}
QToolButton#levelFace:checked {{ background: {BLUE_LIGHT}; border: {px(6)}px solid {BLUE}; }}
QWidget#stationCard {{ background: {WHITE}; border-radius: {px(16)}px; }}
QLabel#cardTitle {{ font-size: {px(36)}px; font-weight: bold; color: {BLUE_DARK}; }}
QLabel#badge {{
    font-size: {px(26)}px; color: {WHITE}; background: {GREEN}; border-radius: {px(10)}px;
    padding: {px(4)}px {px(12)}px;
}}
QLabel#minutes {{ font-size: {px(44)}px; font-weight: bold; color: {BLUE}; }}
QLabel#detail {{ background: {WHITE}; border-radius: {px(16)}px; padding: {px(24)}px; }}
QLabel#where {{
    background: {BLUE_LIGHT}; border-radius: {px(14)}px; padding: {px(10)}px {px(18)}px;
    font-weight: bold; color: {BLUE_DARK};
}}
QPushButton#primary:disabled {{ background: #C9D3E0; color: #5A5A5A; }}
QScrollArea#touchScroll QScrollBar:vertical {{ width: {px(48)}px; background: {BLUE_LIGHT}; border-radius: {px(10)}px; }}
QScrollArea#touchScroll QScrollBar::handle:vertical {{ background: {BLUE}; min-height: {px(80)}px; border-radius: {px(10)}px; }}
QScrollArea#touchScroll QScrollBar::add-line:vertical, QScrollArea#touchScroll QScrollBar::sub-line:vertical {{ height: 0px; }}
QPushButton#bundle {{
    min-height: {px(150)}px; font-size: {px(40)}px; font-weight: bold; text-align: left; padding-left: {px(32)}px;
}}
QPushButton#bundle:checked {{ background: {BLUE}; color: {WHITE}; }}
"""
