"""A phone number for the follow-up call (回访), typed on a digit pad: optional, so empty is fine.

Shows the digits as typed (a mobile number grouped 3-4-4), says when the number is not complete yet,
and emits `changed()` after every key.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.ratings import looks_like_phone
from kiosk.ui.letter_pad import DigitPad
from kiosk.ui.widgets import Retranslating, wrapped_label

translate = QCoreApplication.translate

PHONE_DIGITS_MAX = 12


class PhoneEntry(Retranslating, QWidget):
    changed = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        self.digits = ""
        self.title = wrapped_label("", "sectionTitle")
        # the warning of an incomplete number takes the title's place: a line added under it would push
        # the pad's bottom row off a short screen in elder mode
        self.hint = self.title
        self.display = wrapped_label("", "query", centre=True)
        self.pad = DigitPad(sizes)
        self.pad.key_pressed.connect(lambda d: self.set_digits(self.digits + d))
        self.pad.backspace_pressed.connect(lambda: self.set_digits(self.digits[:-1]))
        self.pad.clear_pressed.connect(lambda: self.set_digits(""))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(sizes.px(14))
        for widget in (self.title, self.display):
            layout.addWidget(widget)
        layout.addWidget(self.pad, 1)
        self.set_digits("")

    def retranslate(self) -> None:
        self.set_digits(self.digits)

    def is_ok(self) -> bool:
        """Empty (no follow-up call wanted) or a complete phone number."""
        return not self.digits or looks_like_phone(self.digits)

    def set_digits(self, digits: str) -> None:
        self.digits = digits[:PHONE_DIGITS_MAX]
        shown = self.digits
        if len(shown) == 11 and shown.startswith("1"):
            shown = f"{shown[:3]} {shown[3:7]} {shown[7:]}"
        self.display.setText(shown or "—")
        self.title.setText(translate("RatingScreen", "留个电话，我们会回访您（可不填）") if self.is_ok()
                           else "⚠ " + translate("RatingScreen", "号码还不完整：手机号11位，座机请带区号"))
        self.changed.emit()
