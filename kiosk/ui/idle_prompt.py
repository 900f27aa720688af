"""The "need more time?" prompt that stands over any screen before an idle reset."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import Retranslating

translate = QCoreApplication.translate


class IdlePrompt(Retranslating, QWidget):
    more_time_requested = Signal()
    expired = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        self.setObjectName("idlePrompt")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#idlePrompt { background: rgba(0, 0, 0, 150); }")
        self.remaining = 0
        box = QWidget(objectName="screen")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.question = QLabel(objectName="title")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = QLabel()
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setWordWrap(True)
        self.more = QPushButton(objectName="primary")
        self.more.clicked.connect(self._on_more)
        inner = QVBoxLayout(box)
        margin = sizes.px(48)
        inner.setContentsMargins(margin, margin, margin, margin)
        inner.setSpacing(sizes.px(30))
        inner.addWidget(self.question)
        inner.addWidget(self.countdown)
        inner.addWidget(self.more)
        box.setMinimumWidth(sizes.px(900))
        self._text_width = sizes.px(900) - 2 * margin
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        self._tick = QTimer(self, interval=1000, timeout=self._on_tick)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.question.setText(translate("IdlePrompt", "您还需要更多时间吗？"))
        self.more.setText(translate("IdlePrompt", "继续使用"))
        self._show_remaining()

    def start(self, seconds: int) -> None:
        self.remaining = seconds
        self._show_remaining()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self._tick.start()

    def cancel(self) -> None:
        self._tick.stop()
        self.hide()

    def _on_more(self) -> None:
        self.cancel()
        self.more_time_requested.emit()

    def _on_tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.cancel()
            self.expired.emit()
            return
        self._show_remaining()

    def _show_remaining(self) -> None:
        self.countdown.setText(translate("IdlePrompt", "{n} 秒后将回到首页，并清除您的信息。").format(n=self.remaining))
        # the box is sized from its hints, which know nothing of a wrapped line's height: ask for it
        self.countdown.setMinimumHeight(self.countdown.heightForWidth(max(self.countdown.width(), self._text_width)))
