"""Small widgets shared by the screens: the header bar, the QR code, the screen base."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

WEEKDAYS = "一二三四五六日"


class HeaderBar(QWidget):
    """Station name on the left, date and time on the right; the clock ticks once a second."""

    def __init__(self, clock, sizes, parent=None):
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._clock = clock
        self.station = QLabel(objectName="stationName")
        self.hours = QLabel(objectName="headerSmall")
        self.time = QLabel(objectName="clock")
        self.date = QLabel(objectName="headerSmall")
        left = QVBoxLayout()
        left.addWidget(self.station)
        left.addWidget(self.hours)
        right = QVBoxLayout()
        right.addWidget(self.time, alignment=Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.date, alignment=Qt.AlignmentFlag.AlignRight)
        row = QHBoxLayout(self)
        row.setContentsMargins(sizes.px(36), sizes.px(18), sizes.px(36), sizes.px(18))
        row.addLayout(left, 1)
        row.addLayout(right)
        self._timer = QTimer(self, interval=1000, timeout=self.tick)
        self._timer.start()
        self.tick()

    def tick(self) -> None:
        now: datetime = self._clock()
        self.time.setText(now.strftime("%H:%M"))
        self.date.setText(f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]}")

    def set_station(self, name: str, hours_text: str) -> None:
        self.station.setText(name)
        self.hours.setText(hours_text)


class QrWidget(QWidget):
    """A QR code drawn module by module (no image files), with a quiet zone."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._matrix: list[list[bool]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_data(self, data: str) -> None:
        import qrcode

        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
        code.add_data(data)
        code.make(fit=True)
        self._matrix = code.get_matrix()
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
