"""Step 1 of 好差评: the ticket's number on a letter pad and a digit pad (A001), or the ID card that
took it laid on the reader (today's tickets of that card are listed to choose from)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.card_tickets import CardTickets
from kiosk.ui.letter_pad import DigitPad, LetterPad
from kiosk.ui.widgets import Retranslating, wrapped_label

translate = QCoreApplication.translate

NUMBER = re.compile(r"[A-Z]{1,2}\d{1,4}")


def ticket_number(typed: str) -> str:
    """The number as the ticket prints it: the digits padded to three (B7 is B007)."""
    letters = typed.rstrip("0123456789")
    digits = typed[len(letters):]
    return letters + digits.zfill(3) if digits else letters


class TicketNumberEntry(Retranslating, QWidget):
    number_entered = Signal(str)  # the padded number, once 下一步 is pressed

    def __init__(self, sizes, parent=None):
        super().__init__(parent, objectName="transparent")
        px = sizes.px
        self.typed = ""
        self.hint = wrapped_label("", "hint")
        self.display = wrapped_label("", "query", centre=True)
        self.letters = LetterPad(sizes, columns=7, with_actions=False)  # the digit pad's 删除/清空 serve both
        self._first_letters: set[str] | None = None  # the queues' prefixes (None: not known, A–Z)
        self._second_letter = False  # numbered with a kiosk's letter after the prefix (AK001)
        self.digits = DigitPad(sizes)
        self.next = QPushButton(objectName="primary")
        self.card_tickets = CardTickets(sizes)
        self.letters.key_pressed.connect(lambda key: self.set_typed(self.typed + key))
        self.digits.key_pressed.connect(lambda key: self.set_typed(self.typed + key))
        self.digits.backspace_pressed.connect(lambda: self.set_typed(self.typed[:-1]))
        self.digits.clear_pressed.connect(lambda: self.set_typed(""))
        self.next.clicked.connect(self._on_next)
        pads = QVBoxLayout() if sizes.portrait else QHBoxLayout()
        pads.setSpacing(px(40))
        pads.addWidget(self.letters, 7)
        pads.addWidget(self.digits, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(px(18))
        layout.addWidget(self.hint)
        layout.addWidget(self.display)
        layout.addLayout(pads)
        layout.addWidget(self.next)
        layout.addWidget(self.card_tickets)
        self.set_typed("")

    def retranslate(self) -> None:
        self.hint.setText(translate("RatingScreen", "请输入号票上的号码：先按字母，再按数字（例如 A001）"))
        self.next.setText(translate("RatingScreen", "下一步  Next"))

    def set_letters(self, first: set[str] | None, second_letter: bool) -> None:
        """The letters a number here can start with (the queues' prefixes), and whether a kiosk's
        letter may follow (numbering in letter mode): the pad offers those, not A–Z."""
        self._first_letters = set(first) if first else None
        self._second_letter = second_letter
        self.letters.show_only(self._first_letters if not second_letter else None)
        self.set_typed(self.typed)

    def number(self) -> str:
        return ticket_number(self.typed)

    def set_typed(self, text: str) -> None:
        self.typed = text
        letters = len(text.rstrip("0123456789"))
        self.display.setText(text or "—")
        if letters < len(text) or letters >= (2 if self._second_letter else 1):
            self.letters.set_available(set())
        else:
            self.letters.set_available(self._first_letters if letters == 0 else None)
        for digit in "0123456789":
            self.digits.key(digit).setEnabled(letters > 0 and len(text) - letters < 4)
        self.next.setEnabled(bool(NUMBER.fullmatch(text)))
        self.retranslate()

    def _on_next(self) -> None:
        if NUMBER.fullmatch(self.typed):
            self.number_entered.emit(self.number())
