"""Demo only: a small window that stands in for the resident's hands on the simulated devices."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QPushButton, QVBoxLayout, QWidget

CARDS = (("resident", "放置身份证（长者，1950年生）"), ("resident_young", "放置身份证（青年）"),
         ("hk_mo_tw", "放置港澳台居民居住证"), ("foreign_2023", "放置外国人永久居留身份证"))
PAPER = (("ok", "打印机：纸充足"), ("near_end", "打印机：纸将尽"), ("out", "打印机：缺纸"))


class DemoPanel(QWidget):
    def __init__(self, bridge, parent=None):
        super().__init__(parent)
        self.setWindowTitle("模拟设备 · Simulated devices")
        self.setStyleSheet("QPushButton { font-size: 16px; min-height: 36px; padding: 4px 12px; }"
                           "QGroupBox { font-size: 16px; }")
        cards = QGroupBox("身份证读卡器 ID card reader")
        card_layout = QVBoxLayout(cards)
        for key, text in CARDS:
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=key: bridge.simulate_card("place", k))
            card_layout.addWidget(button)
        remove = QPushButton("移走证件 Remove the card")
        remove.clicked.connect(lambda: bridge.simulate_card("remove", ""))
        card_layout.addWidget(remove)
        paper = QGroupBox("小票打印机 Receipt printer")
        paper_layout = QVBoxLayout(paper)
        for state, text in PAPER:
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, s=state: bridge.simulate_paper(s))
            paper_layout.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(cards)
        layout.addWidget(paper)
        layout.addStretch(1)

    def show_beside(self, window) -> None:
        """Beside the kiosk window once it is on screen, else over its right edge, and on top: without
        a window manager (a bare X server, Xvfb) the window shown last would otherwise cover it."""
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.adjustSize()
        frame = window.frameGeometry()
        screen = (window.screen() or self.screen()).availableGeometry()
        x = frame.right() + 20
        if x + self.width() > screen.right():
            x = max(screen.left(), screen.right() - self.width())
        self.move(x, max(screen.top(), frame.top()))
        self.show()
        self.raise_()
