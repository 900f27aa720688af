"""The technician's PIN, typed on a keypad that shows only dots; five wrong tries lock it."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import Retranslating, screen_base, title_label

translate = QCoreApplication.translate
HINTS = {
    "ask": QT_TRANSLATE_NOOP("TechnicianPinScreen", "请输入技术人员密码"),
    "wrong": QT_TRANSLATE_NOOP("TechnicianPinScreen", "密码不正确，还可以再试 {n} 次"),
    "locked": QT_TRANSLATE_NOOP("TechnicianPinScreen", "输错次数过多，已锁定：请 {n} 分钟后再试"),
    "wrong_last": QT_TRANSLATE_NOOP("TechnicianPinScreen", "密码不正确，还可以再试 1 次"),
    "no_pin": QT_TRANSLATE_NOOP("TechnicianPinScreen", "本机未设置技术人员密码（kiosk.technician_pin_hash）"),
}


class TechnicianPinScreen(Retranslating, QWidget):
    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self.pin = ""
        self._hint = ("ask", 0)
        self.title = title_label()
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
        self.cancel = QPushButton()
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

    def reset(self, hint: str = "ask", n: int = 0) -> None:
        """Empty the dots; ``hint`` is a key of HINTS, ``n`` the tries or minutes it names."""
        self.pin = ""
        self.dots.setText("—")
        self._hint = (hint, n)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("TechnicianPinScreen", "技术人员验证"))
        self.cancel.setText(translate("TechnicianPinScreen", "取消"))
        key, n = self._hint
        key = "wrong_last" if key == "wrong" and n == 1 else key  # English: "1 try left"
        self.hint.setText(translate("TechnicianPinScreen", HINTS[key]).format(n=n))

    def press(self, key: str) -> None:
        if key == "✓":
            pin, self.pin = self.pin, ""
            self.dots.setText("—")
            self.pin_entered.emit(pin)
            return
        self.pin = self.pin[:-1] if key == "⌫" else (self.pin + key)[:12]
        self.dots.setText("●" * len(self.pin) or "—")
