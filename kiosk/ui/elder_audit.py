"""The 适老化 check of a screen as it is drawn (工信部《移动互联网应用（APP）适老化通用设计规范》's
figures, in the units a kiosk screen has): in elder mode the main text (titles, numbers, tiles, keys,
buttons) at least 30 pt and the body at least 18 pt (40 and 24 px at 96 dpi), every touch target at
least 60×60 px, text at least 4.5:1 against its background, and no text cut off. `kiosk
screenshots` runs it on every screen of its elder walk and fails naming the screen and the widget.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QWidget

from kiosk.ui.theme import contrast_ratio, relative_luminance

MAIN_PX, BODY_PX, TARGET_PX, CONTRAST = 40, 24, 60, 4.5
# widgets whose text is the screen's main text (the rest is body)
MAIN_NAMES = {"title", "number", "bigThanks", "bigCalm", "tile", "tileLight"}


def _text(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return " ".join(text.split())


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}#{widget.objectName() or '-'} {_text(widget)[:24]!r}"


def _is_main(widget: QWidget) -> bool:
    return widget.objectName() in MAIN_NAMES


def _clipped(widget: QWidget) -> bool:
    """Whether the widget's text does not fit in the room it has."""
    if isinstance(widget, QLabel):
        if widget.wordWrap():
            return widget.heightForWidth(widget.width()) > widget.height() + 2
        hint = widget.sizeHint()
        return hint.width() > widget.width() + 2 or hint.height() > widget.height() + 2
    if isinstance(widget, QAbstractButton):
        hint = widget.sizeHint()
        return hint.width() > widget.width() + 2 or hint.height() > widget.height() + 2
    return False


def _out_of_view(widget: QWidget) -> bool:
    """Partly hidden by what holds it (a list scrolled, a row too narrow)."""
    shown = widget.visibleRegion().boundingRect()
    return shown.width() < widget.width() - 2 or shown.height() < widget.height() - 2


def _colours(widget: QWidget) -> tuple[str, str]:
    """(text, background) as drawn: the commonest colour of the widget's pixels is its background,
    the one farthest from it in luminance its text (anti-aliased edges lie between the two)."""
    window = widget.window()
    image = window.grab(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())).toImage()
    counts: dict[int, int] = {}
    step = max(1, min(image.width(), image.height()) // 40)
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            rgb = image.pixel(x, y) & 0xFFFFFF
            counts[rgb] = counts.get(rgb, 0) + 1
    if not counts:
        return "#000000", "#ffffff"
    background = max(counts, key=counts.get)
    text = max(counts, key=lambda rgb: abs(_luminance(rgb) - _luminance(background)))
    return f"#{text:06x}", f"#{background:06x}"


def _luminance(rgb: int) -> float:
    return relative_luminance(f"#{rgb:06x}")


def _scrolls(widget: QWidget, screen: QWidget) -> bool:
    """Inside a scroll area whose bar can bring it into view (a long list is fine; a cut-off row is not)."""
    holder = widget.parentWidget()
    while holder is not None and holder is not screen:
        if isinstance(holder, QAbstractScrollArea):
            bar = holder.verticalScrollBar(), holder.horizontalScrollBar()
            return any(b.isVisible() and b.maximum() > 0 for b in bar)
        holder = holder.parentWidget()
    return False


def audit(screen: QWidget) -> list[str]:
    """What breaks the figures on ``screen`` as it is on show now (empty: nothing)."""
    problems = []
    for widget in [screen, *screen.findChildren(QWidget)]:
        if not widget.isVisibleTo(screen) or not widget.isVisible():
            continue
        text = _text(widget)
        if isinstance(widget, QAbstractButton) and widget.isEnabled():
            if widget.width() < TARGET_PX or widget.height() < TARGET_PX:
                problems.append(f"{_name(widget)}: target {widget.width()}×{widget.height()} px < {TARGET_PX}×{TARGET_PX}")
        if not text:
            continue
        size = QFontInfo(widget.font()).pixelSize()
        floor = MAIN_PX if _is_main(widget) else BODY_PX
        if size < floor:
            problems.append(f"{_name(widget)}: text {size} px < {floor} px")
        if _clipped(widget):
            problems.append(f"{_name(widget)}: text cut off ({widget.width()}×{widget.height()} px)")
        if _out_of_view(widget):
            if not _scrolls(widget, screen):
                problems.append(f"{_name(widget)}: partly hidden ({widget.visibleRegion().boundingRect().width()}×"
                                f"{widget.visibleRegion().boundingRect().height()} of {widget.width()}×{widget.height()} px)")
            continue
        if widget.isEnabled():
            foreground, background = _colours(widget)
            ratio = contrast_ratio(foreground, background)
            if ratio < CONTRAST:
                problems.append(f"{_name(widget)}: contrast {ratio:.2f}:1 ({foreground} on {background}) < {CONTRAST}:1")
    return problems


def measure(screen: QWidget) -> dict[str, float]:
    """The screen's smallest figures as drawn: main text and body text (px), touch target side (px),
    text contrast (ratio). What the walk writes to elder-figures.tsv."""
    main, body, target, contrast = [], [], [], []
    for widget in [screen, *screen.findChildren(QWidget)]:
        if not widget.isVisible() or not widget.isVisibleTo(screen) or _out_of_view(widget):
            continue
        if isinstance(widget, QAbstractButton) and widget.isEnabled():
            target.append(min(widget.width(), widget.height()))
        if not _text(widget):
            continue
        (main if _is_main(widget) else body).append(QFontInfo(widget.font()).pixelSize())
        if widget.isEnabled():
            contrast.append(contrast_ratio(*_colours(widget)))
    return {"main_px": min(main, default=0), "body_px": min(body, default=0), "target_px": min(target, default=0),
            "contrast": round(min(contrast, default=0), 2)}
