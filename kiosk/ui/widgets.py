"""Small widgets shared by the screens: the header bar, the QR code, the screen base, and the
language helpers for texts that come from the catalogue (opening hours, badges)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QEvent, QLocale, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.i18n import is_english

WEEKDAYS = "一二三四五六日"
HOURS_DAYS = {
    "周一至周五": QT_TRANSLATE_NOOP("Hours", "周一至周五"),
    "周六日": QT_TRANSLATE_NOOP("Hours", "周六日"),
    "周六": QT_TRANSLATE_NOOP("Hours", "周六"),
    "周日": QT_TRANSLATE_NOOP("Hours", "周日"),
    "每天": QT_TRANSLATE_NOOP("Hours", "每天"),
}
BADGES = {
    "noon_open": QT_TRANSLATE_NOOP("Hours", "中午不打烊"),
    "extended_hours": QT_TRANSLATE_NOOP("Hours", "延时服务"),
    "self_service_24h": QT_TRANSLATE_NOOP("Hours", "24小时自助"),
}


def localized_hours(text: str) -> str:
    """Opening hours as the domain writes them ("周一至周五 09:00-17:30；周六 09:00-12:00"), in the current language."""
    for chinese, source in HOURS_DAYS.items():
        text = text.replace(chinese, QCoreApplication.translate("Hours", source))
    return text.replace("；", QCoreApplication.translate("Hours", "；"))


def station_hours(station) -> str:
    return localized_hours(station.hours_text())


def station_badges(station) -> list[str]:
    """中午不打烊 / 延时服务 / 24小时自助, for the station's flags, in the current language."""
    return [QCoreApplication.translate("Hours", BADGES[flag]) for flag in BADGES if getattr(station, flag)]


def is_language_change(event) -> bool:
    return event.type() == QEvent.Type.LanguageChange


def title_label() -> QLabel:
    """A screen's title: it wraps rather than pushing the 返回首页 button beside it off a narrow screen."""
    label = QLabel(objectName="title")
    label.setWordWrap(True)
    return label


class Retranslating:
    """Mixin, before the Qt base: a widget with retranslate() re-runs it when the language changes."""

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)


def wrap_to_width(text: str, font_px: int, width: int, bold: bool = False) -> str:
    """Break ``text`` at spaces so that no line is wider than ``width`` pixels (for push buttons,
    which do not wrap). Text without spaces (Chinese) is returned as it is."""
    font = QFont(QApplication.font())
    font.setPixelSize(max(1, font_px))
    font.setBold(bold)
    metrics = QFontMetrics(font)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def wrap_characters(text: str, metrics, width: int) -> str:
    """Chinese lines wider than ``width`` broken between characters (a closing mark stays with the
    character before it); lines that fit are kept as they are."""
    out = []
    for line in text.split("\n"):
        if metrics.horizontalAdvance(line) <= width:
            out.append(line)
            continue
        current = ""
        for char in line:
            if current and metrics.horizontalAdvance(current + char) > width and char not in "，。、；：）》」』·":
                out.append(current.rstrip())
                current = char.lstrip()
            else:
                current += char
        if len(current) == 1 and len(out[-1]) > 2:  # no character left alone on its line: 事\n项 → 事项
            out[-1], current = out[-1][:-1], out[-1][-1] + current
        out.append(current)
    return "\n".join(out)


class WrappingButton(QPushButton):
    """A push button whose text breaks to fit its width (QPushButton never wraps): English at
    spaces, Chinese between characters, where a line is wider than the button.

    ``inset`` is the room the style sheet's padding and border take. ``&`` is shown as itself,
    never as a shortcut mark.
    """

    def __init__(self, text: str = "", inset: int = 0, parent=None, **kwargs):
        super().__init__(parent, **kwargs)
        self._full = ""
        self._inset = inset
        self.setMinimumWidth(inset + 40)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self._rewrap()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._rewrap()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):  # 长辈模式: larger type
            self._rewrap(refit=True)

    def _rewrap(self, refit: bool = False) -> None:
        text = self._full.replace("&", "&&")
        width = self.width() - self._inset
        if is_english() and width > 40:
            text = wrap_to_width(text, self.font().pixelSize(), width, bold=self.font().bold())
        elif width > 40:
            text = wrap_characters(text, self.fontMetrics(), width)
        if text != super().text() or refit:
            super().setText(text)
            self.setMinimumHeight(0)
            self.setMinimumHeight(self.sizeHint().height())  # layouts keep the old height otherwise


NETWORK_TEXTS = {
    True: QT_TRANSLATE_NOOP("HeaderBar", "● 在线"),
    False: QT_TRANSLATE_NOOP("HeaderBar", "● 离线 · 取号不受影响"),
}
OFFLINE_NOT_ISSUING = QT_TRANSLATE_NOOP("HeaderBar", "● 离线")  # never "numbers not affected" when they are


class HeaderBar(QWidget):
    """Station name on the left, date and time on the right; the clock ticks once a second.

    Under the date, whether the kiosk reaches the district server (nothing until it has tried).
    In portrait the mode buttons go under the station name and the clock, so a long station name
    keeps the width of the screen.
    """

    def __init__(self, clock, sizes, parent=None):
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._clock = clock
        self._online: bool | None = None
        self.station = QLabel(objectName="stationName")
        self.hours = QLabel(objectName="headerSmall")
        for label in (self.station, self.hours):
            label.setWordWrap(True)  # a long station name wraps instead of widening a portrait screen
        self.time = QLabel(objectName="clock")
        self.date = QLabel(objectName="headerSmall")
        self._issuing = True
        self.network = QLabel(objectName="headerSmall")
        self.network.hide()
        left = QVBoxLayout()
        left.addWidget(self.station)
        left.addWidget(self.hours)
        right = QVBoxLayout()
        for label in (self.time, self.date, self.network):
            right.addWidget(label, alignment=Qt.AlignmentFlag.AlignRight)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(sizes.px(20))
        grid = QGridLayout(self)
        grid.setContentsMargins(sizes.px(36), sizes.px(18), sizes.px(36), sizes.px(18))
        grid.setHorizontalSpacing(sizes.px(30))
        grid.setVerticalSpacing(sizes.px(12))
        grid.addLayout(left, 0, 0)
        grid.setColumnStretch(0, 1)
        if sizes.portrait:
            grid.addLayout(right, 0, 1)
            grid.addLayout(self.actions, 1, 0, 1, 2, Qt.AlignmentFlag.AlignRight)
        else:
            grid.addLayout(self.actions, 0, 1)
            grid.addLayout(right, 0, 2)
        self._timer = QTimer(self, interval=1000, timeout=self.tick)
        self._timer.start()
        self.tick()

    def tick(self) -> None:
        now: datetime = self._clock()
        self.time.setText(now.strftime("%H:%M"))
        if is_english():
            date = QDate(now.year, now.month, now.day)
            self.date.setText(QLocale(QLocale.Language.English).toString(date, "dddd, d MMMM yyyy"))
        else:
            self.date.setText(f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]}")

    def set_station(self, name: str, hours_text: str) -> None:
        self.station.setText(name)
        self.hours.setText(hours_text)

    def set_online(self, online: bool | None) -> None:
        """True: the district server answered the last sync; False: it did not; None: not known."""
        self._online = online
        self.network.setVisible(online is not None)
        if online is not None:
            text = NETWORK_TEXTS[online] if online or self._issuing else OFFLINE_NOT_ISSUING
            self.network.setText(QCoreApplication.translate("HeaderBar", text))
            self.network.setProperty("online", online)

    def set_issuing(self, issuing: bool) -> None:
        """False while the kiosk cannot issue numbers (its store failed)."""
        self._issuing = issuing
        self.set_online(self._online)

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.tick()
            self.set_online(self._online)
        super().changeEvent(event)


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of the QR code of ``data``, quiet zone included (qrcode is imported on first use)."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


class QrWidget(QWidget):
    """A QR code drawn module by module (no image files), with a quiet zone."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._matrix: list[list[bool]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_data(self, data: str) -> None:
        self._matrix = qr_matrix(data)
        self.update()

    def modules(self) -> int:
        return len(self._matrix)

    def paintEvent(self, _event) -> None:
        if not self._matrix:
            return
        painter = QPainter(self)
        side = min(self.width(), self.height())
        n = len(self._matrix)
        cell = side / n
        x0 = (self.width() - side) / 2
        y0 = (self.height() - side) / 2
        painter.fillRect(QRectF(x0, y0, side, side), QColor("white"))
        black = QColor("black")
        for r, row in enumerate(self._matrix):
            for c, dark in enumerate(row):
                if dark:
                    painter.fillRect(QRectF(x0 + c * cell, y0 + r * cell, cell + 0.5, cell + 0.5), black)
        painter.end()


def screen_base(widget: QWidget) -> None:
    widget.setObjectName("screen")
    widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)


def stacked_page(*items, spacing=24) -> QWidget:
    """A transparent page of widgets, layouts (an (item, stretch) pair for a stretch) and spacer ints."""
    page = QWidget(objectName="transparent")
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for item in items:
        item, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(item, int):
            layout.addStretch(item)
        elif isinstance(item, QWidget):
            layout.addWidget(item, stretch)
        else:
            layout.addLayout(item, stretch)
    return page


def wrapped_label(text: str = "", name: str = "", centre: bool = False) -> QLabel:
    label = QLabel(text, objectName=name)
    label.setWordWrap(True)
    if centre:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
