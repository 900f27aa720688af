"""One place for sizes, colours and the style sheet. Sizes scale with the window's short side.

Two looks: the normal one, and 长辈模式 (elder mode) with larger type (no text under 40 px at the
1080 design size), larger touch targets (none under 80 px) and darker colours. Every text colour
meets WCAG contrast 4.5:1 on the background it is drawn on, in both looks (`text_pairs`).
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILIES = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Droid Sans Fallback"]


@dataclass(frozen=True)
class Palette:
    blue: str
    blue_dark: str
    blue_light: str
    red: str
    green: str
    amber: str
    text: str
    muted: str
    background: str
    white: str
    calm_background: str
    disabled_text: str
    disabled_border: str
    primary_disabled_text: str
    primary_disabled_background: str


NORMAL = Palette(
    blue="#0B4F9C", blue_dark="#083A73", blue_light="#E8F0FA", red="#C62828", green="#1B7F3B",
    amber="#8A5A00", text="#1A1A1A", muted="#4A4A4A", background="#F5F7FA", white="#FFFFFF",
    calm_background="#FFF6E0", disabled_text="#6B6B6B", disabled_border="#B0B0B0",
    primary_disabled_text="#3F3F3F", primary_disabled_background="#C9D3E0")
ELDER = Palette(
    blue="#08407F", blue_dark="#05284F", blue_light="#E3ECF8", red="#A31515", green="#0F5F2A",
    amber="#6B4500", text="#000000", muted="#262626", background="#FFFFFF", white="#FFFFFF",
    calm_background="#FFF3D6", disabled_text="#4F4F4F", disabled_border="#8A8A8A",
    primary_disabled_text="#262626", primary_disabled_background="#C9D3E0")

BLUE = NORMAL.blue
BLUE_DARK = NORMAL.blue_dark
BLUE_LIGHT = NORMAL.blue_light
RED = NORMAL.red
GREEN = NORMAL.green
AMBER = NORMAL.amber
TEXT = NORMAL.text
MUTED = NORMAL.muted
BACKGROUND = NORMAL.background
WHITE = NORMAL.white

ELDER_MIN_FONT = 40
ELDER_MIN_TARGET = 80
MIIT_MAIN_PX, MIIT_BODY_PX = 40, 24  # 30 pt and 18 pt at 96 dpi: the floor on a small screen too (kiosk/ui/elder_audit.py)


def palette(elder: bool = False) -> Palette:
    return ELDER if elder else NORMAL


def text_pairs(elder: bool = False) -> list[tuple[str, str, str]]:
    """(where, text colour, background colour) for every text the style sheet draws."""
    c = palette(elder)
    return [
        ("label on screen", c.text, c.background), ("label on card", c.text, c.white),
        ("muted on screen", c.muted, c.background), ("muted on card", c.muted, c.white),
        ("title", c.blue_dark, c.background), ("header", c.white, c.blue),
        ("number", c.blue_dark, c.background), ("notice", c.text, c.blue_light),
        ("print ok", c.green, c.background), ("print warning", c.amber, c.background),
        ("button", c.blue_dark, c.white), ("button pressed", c.blue_dark, c.blue_light),
        ("button disabled", c.disabled_text, c.white), ("tile", c.white, c.blue),
        ("tile pressed", c.white, c.blue_dark), ("primary", c.white, c.blue),
        ("primary disabled", c.primary_disabled_text, c.primary_disabled_background),
        ("checked", c.white, c.blue), ("pad action", c.blue_dark, c.blue_light),
        ("query", c.blue_dark, c.white), ("calm", c.amber, c.calm_background),
        ("thanks", c.green, c.background), ("badge", c.white, c.green), ("minutes", c.blue, c.white),
        ("where", c.blue_dark, c.blue_light), ("face", c.text, c.white), ("face checked", c.text, c.blue_light),
    ]


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class Sizes:
    """Pixel sizes for a window whose short side is ``short_side`` pixels (1080 is the design size)."""

    short_side: int = 1080
    portrait: bool = False  # 1080×1920 street terminals: wide rows are stacked

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


def stylesheet(sizes: Sizes, elder: bool = False) -> str:
    px = sizes.px
    c = palette(elder)

    def font(design: float, main: bool = False) -> int:
        """A font size: as designed, or in elder mode 1.2 times larger, never under 40 design px, and on
        any screen never under the 适老化 figures (main text 30 pt, body 18 pt: 40 and 24 px at 96 dpi)."""
        if not elder:
            return px(design)
        return max(px(max(design * 1.2, ELDER_MIN_FONT)), MIIT_MAIN_PX if main else MIIT_BODY_PX)

    def target(design: float, elder_design: float = 0) -> int:
        """A touch target's side: in elder mode at least 80 design px."""
        return px(max(design, elder_design, ELDER_MIN_TARGET) if elder else design)

    return f"""
QWidget#screen {{ background: {c.background}; }}
QLabel {{ color: {c.text}; font-size: {font(34)}px; }}
QLabel#muted {{ color: {c.muted}; }}
QLabel#title {{ font-size: {font(52, main=True)}px; font-weight: bold; color: {c.blue_dark}; }}
QLabel#stationName {{ font-size: {font(46)}px; font-weight: bold; color: {c.white}; }}
QLabel#clock {{ font-size: {font(40)}px; color: {c.white}; }}
QLabel#headerSmall {{ font-size: {font(28)}px; color: {c.white}; }}
QWidget#header {{ background: {c.blue}; }}
QLabel#number {{ font-size: {sizes.number}px; font-weight: bold; color: {c.blue_dark}; }}
QLabel#notice {{ background: {c.blue_light}; color: {c.text}; border-radius: {px(16)}px; padding: {px(20)}px; }}
QLabel#printOk {{ color: {c.green}; font-weight: bold; }}
QLabel#printWarn {{ color: {c.amber}; font-weight: bold; }}
QLabel#printBusy {{ color: {c.muted}; }}
QPushButton {{
    font-size: {font(34)}px; min-height: {target(sizes.button_min)}px; min-width: {target(0)}px;
    padding: {px(12)}px {px(28)}px; border-radius: {px(18)}px; background: {c.white}; color: {c.blue_dark};
    border: {px(3)}px solid {c.blue};
}}
QPushButton:pressed {{ background: {c.blue_light}; }}
QPushButton:disabled {{ color: {c.disabled_text}; border-color: {c.disabled_border}; }}
QPushButton#tile, QToolButton#tile {{
    font-size: {font(44, main=True)}px; font-weight: bold; min-height: {target(sizes.tile_min, 180)}px;
    background: {c.blue}; color: {c.white}; border: none; border-radius: {px(24)}px;
}}
QPushButton#tile:pressed, QToolButton#tile:pressed {{ background: {c.blue_dark}; }}
QPushButton#tileLight, QToolButton#tileLight {{
    font-size: {font(38, main=True)}px; font-weight: bold; min-height: {target(170, 170)}px;
    background: {c.white}; color: {c.blue_dark}; border: {px(4)}px solid {c.blue}; border-radius: {px(24)}px;
}}
QPushButton#tileLight:pressed, QToolButton#tileLight:pressed {{ background: {c.blue_light}; }}
QToolButton#tile:disabled, QToolButton#tileLight:disabled {{ color: {c.disabled_text}; }}
QToolButton#tile, QToolButton#tileLight {{ padding: {px(18)}px {px(12)}px; }}
QPushButton#mode {{
    font-size: {font(32)}px; font-weight: bold; min-height: {target(90)}px; padding: {px(6)}px {px(30)}px;
    background: {c.blue_light}; color: {c.blue_dark}; border: {px(3)}px solid {c.blue};
}}
QPushButton#primary {{ background: {c.blue}; color: {c.white}; border: none; font-weight: bold; }}
QPushButton#category {{
    text-align: left; min-height: {target(44, 76)}px; padding: {px(10)}px {px(20)}px; padding-left: {px(28)}px;
}}
QPushButton#category:checked {{ background: {c.blue}; color: {c.white}; }}
QPushButton#service {{ text-align: left; padding-left: {px(28)}px; min-height: {target(120, 170)}px; }}
QPushButton#key {{ font-size: {px(56)}px; font-weight: bold; }}
QScrollArea {{ border: none; background: transparent; }}
QScrollArea > QWidget > QWidget#transparent {{ background: transparent; }}
QPushButton#padKey {{
    font-size: {font(44)}px; font-weight: bold; min-height: {target(84, 88)}px; min-width: {target(84, 88)}px;
    padding: 0px; border-radius: {px(14)}px;
}}
QPushButton#padAction {{
    font-size: {font(32)}px; min-height: {target(84, 88)}px; min-width: {target(84, 88)}px; padding: 0px {px(10)}px;
    border-radius: {px(14)}px; background: {c.blue_light};
}}
QLabel#query {{
    font-size: {px(60)}px; font-weight: bold; color: {c.blue_dark}; background: {c.white};
    border: {px(3)}px solid {c.blue}; border-radius: {px(16)}px; padding: {px(8)}px {px(24)}px;
    min-height: {px(90)}px;
}}
QLabel#hint {{ color: {c.muted}; font-size: {font(30)}px; }}
QLabel#sectionTitle {{ font-size: {font(38)}px; font-weight: bold; color: {c.blue_dark}; }}
QLabel#calm {{
    background: {c.calm_background}; color: {c.amber}; border-radius: {px(16)}px; padding: {px(18)}px;
    font-size: {font(34)}px; font-weight: bold;
}}
QLabel#bigThanks {{ font-size: {font(56, main=True)}px; font-weight: bold; color: {c.green}; }}
QLabel#bigCalm {{ font-size: {font(56, main=True)}px; font-weight: bold; color: {c.blue_dark}; }}
QPushButton#filter {{ min-height: {target(76, 96)}px; padding: {px(4)}px {px(22)}px; font-size: {font(32)}px; }}
QPushButton#filter:checked {{ background: {c.blue}; color: {c.white}; }}
QPushButton#reason {{ min-height: {target(96, 110)}px; font-size: {font(34)}px; }}
QPushButton#reason:checked {{ background: {c.blue}; color: {c.white}; font-weight: bold; }}
QToolButton#levelFace {{
    font-size: {font(36)}px; font-weight: bold; color: {c.text}; background: {c.white};
    border: {px(3)}px solid #B8C4D6; border-radius: {px(24)}px; padding: {px(16)}px;
    min-height: {px(300)}px; min-width: {px(200)}px;
}}
QToolButton#levelFace:checked {{ background: {c.blue_light}; border: {px(6)}px solid {c.blue}; }}
QWidget#stationCard {{ background: {c.white}; border-radius: {px(16)}px; }}
QLabel#cardTitle {{ font-size: {font(36)}px; font-weight: bold; color: {c.blue_dark}; }}
QLabel#badge {{
    font-size: {font(26)}px; color: {c.white}; background: {c.green}; border-radius: {px(10)}px;
    padding: {px(4)}px {px(12)}px;
}}
QLabel#minutes {{ font-size: {font(44)}px; font-weight: bold; color: {c.blue}; }}
QLabel#detail {{ background: {c.white}; border-radius: {px(16)}px; padding: {px(24)}px; }}
QLabel#where {{
    background: {c.blue_light}; border-radius: {px(14)}px; padding: {px(10)}px {px(18)}px;
    font-weight: bold; color: {c.blue_dark};
}}
QPushButton#primary:disabled {{ background: {c.primary_disabled_background}; color: {c.primary_disabled_text}; }}
QScrollArea#touchScroll QScrollBar:vertical {{
    width: {target(48, 64)}px; background: {c.blue_light}; border-radius: {px(10)}px;
}}
QScrollArea#touchScroll QScrollBar::handle:vertical {{
    background: {c.blue}; min-height: {target(80)}px; border-radius: {px(10)}px;
}}
QScrollArea#touchScroll QScrollBar::add-line:vertical, QScrollArea#touchScroll QScrollBar::sub-line:vertical {{
    height: 0px;
}}
QPushButton#bundle {{
    min-height: {target(150)}px; font-size: {font(40)}px; font-weight: bold; text-align: left; padding-left: {px(32)}px;
}}
QPushButton#bundle:checked {{ background: {c.blue}; color: {c.white}; }}
""" + (portrait_rules(sizes) if sizes.portrait and not elder else "")  # elder: two tiles a row, large


def portrait_rules(sizes: Sizes) -> str:
    """A 1080-wide portrait screen puts three tiles in a row: their two-language labels get smaller."""
    return f"""
QPushButton#tileLight, QToolButton#tileLight {{ font-size: {sizes.px(30)}px; }}
"""
