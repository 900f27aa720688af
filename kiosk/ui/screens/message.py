"""A calm message when a number cannot be taken: what happened and what to do, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import screen_base

REFUSALS = {
    "station_closed": ("现在不是办理时间", "本站现在不取号。{hours}\nThe station is closed now."),
    "numbers_exhausted": ("今日号码已取完", "本机今日号码已全部发出，请到服务台咨询。\nNo more numbers today: please ask at the desk."),
    "unknown_service": ("该事项暂不可办理", "请返回重新选择，或到服务台咨询。\nThis service is not available here."),
    "store_unavailable": ("暂时无法取号", "自助取号暂时无法使用，请到服务台人工取号。\nPlease ask at the service desk."),
    "internal_error": ("暂时无法取号", "自助取号暂时无法使用，请到服务台人工取号。\nPlease ask at the service desk."),
}


class MessageScreen(QWidget):
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self.kind = ""
        self.title = QLabel(objectName="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(objectName="notice")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.home = QPushButton("返回首页", objectName="primary")
        self.home.clicked.connect(self.home_clicked)
        layout = QVBoxLayout(self)
        margin = sizes.px(80)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(sizes.px(40))
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.home)
        layout.addStretch(1)

    def show_refusal(self, kind: str, hours_text: str = "") -> None:
        self.kind = kind
        title, text = REFUSALS.get(kind, REFUSALS["internal_error"])
        self.title.setText(title)
        self.text.setText(text.format(hours=f"办理时间：{hours_text}" if hours_text else ""))
