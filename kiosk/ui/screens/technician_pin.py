"""The technician's PIN, typed on a keypad that shows only dots; five wrong tries lock it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import screen_base


class TechnicianPinScreen(QWidget):
    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self.pin = ""
        self.title = QLabel("技术人员验证 · Technician PIN", objectName="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel(objectName="number")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setStyleSheet(f"font-size: {sizes.px(80)}px;")
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid = QGridLayout()
        grid.setSpacing(sizes.px(14))
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate("123456789⌫0✓"):
            button = QPushButton(key, objectName="key")
            button.setMinimumSize(sizes.px(150), sizes.px(100))
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            self.keys[key] = button
            grid.addWidget(button, i // 3, i % 3)
        self.cancel = QPushButton("取消")
        self.cancel.clicked.connect(self.cancelled)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(grid, 2)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        margin = sizes.px(40)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addWidget(self.title)
        layout.addWidget(self.dots)
        layout.addWidget(self.hint)
        layout.addLayout(row, 1)
        layout.addWidget(self.cancel)
        self.reset()

    def reset(self, hint: str = "请输入技术人员密码") -> None:
        self.pin = ""
        self.dots.setText("—")
        self.hint.setText(hint)

    def press(self, key: str) -> None:
        if key == "✓":
            pin, self.pin = self.pin, ""
            self.dots.setText("—")
            self.pin_entered.emit(pin)
            return
        self.pin = self.pin[:-1] if key == "⌫" else (self.pin + key)[:12]
        self.dots.setText("●" * len(self.pin) or "—")
