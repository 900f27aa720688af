"""On-screen keys for people who do not type: an A–Z letter pad and a 0–9 digit pad.

Both emit `key_pressed(str)` for a letter or digit, `backspace_pressed()` and `clear_pressed()`.
"""

from __future__ import annotations

import string

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.ui.widgets import Retranslating

BACKSPACE = QT_TRANSLATE_NOOP("KeyPad", "删除")
CLEAR = QT_TRANSLATE_NOOP("KeyPad", "清空")


class KeyPad(Retranslating, QWidget):
    key_pressed = Signal(str)
    backspace_pressed = Signal()
    clear_pressed = Signal()

    def __init__(self, sizes, rows: list[list[str]], parent=None):
        super().__init__(parent)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(sizes.px(10))
        for r, row in enumerate(rows):
            for c, key in enumerate(row):
                if not key:
                    continue
                button = QPushButton(key, objectName="padAction" if len(key) > 1 else "padKey")
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                if key == BACKSPACE:
                    button.clicked.connect(self.backspace_pressed)
                elif key == CLEAR:
                    button.clicked.connect(self.clear_pressed)
                else:
                    button.clicked.connect(lambda _=False, k=key: self.key_pressed.emit(k))
                grid.addWidget(button, r, c)
                self.keys[key] = button
        self.backspace = self.keys.get(BACKSPACE)
        self.clear = self.keys.get(CLEAR)
        self.retranslate()

    def key(self, text: str) -> QPushButton:
        return self.keys[text]

    def retranslate(self) -> None:
        """The action keys in the current language (the keys dict stays keyed by the Chinese names)."""
        for name in (BACKSPACE, CLEAR):
            if name in self.keys:
                self.keys[name].setText(QCoreApplication.translate("KeyPad", name))


class LetterPad(KeyPad):
    """A–Z in alphabetical order (most residents do not know QWERTY), then backspace and clear."""

    def __init__(self, sizes, columns: int = 7, with_actions: bool = True, parent=None):
        letters = list(string.ascii_uppercase)
        if with_actions:
            letters += [BACKSPACE, CLEAR]
        rows = [letters[i:i + columns] for i in range(0, len(letters), columns)]
        self._columns = columns
        super().__init__(sizes, rows, parent)

    def set_available(self, letters: set[str] | None) -> None:
        """Dim the letters that would find nothing (None: all available)."""
        for letter in string.ascii_uppercase:
            self.keys[letter].setEnabled(letters is None or letter in letters)

    def show_only(self, letters: set[str] | None) -> None:
        """Only these letters as keys, laid out again in order without gaps (None: A–Z)."""
        grid = self.layout()
        shown = [k for k in string.ascii_uppercase if letters is None or k in letters]
        keys = [self.keys[k] for k in string.ascii_uppercase] + [self.keys[n] for n in (BACKSPACE, CLEAR) if n in self.keys]
        for button in keys:
            grid.removeWidget(button)
            button.hide()
        columns = self._columns
        for index, button in enumerate([self.keys[k] for k in shown]
                                       + [self.keys[n] for n in (BACKSPACE, CLEAR) if n in self.keys]):
            grid.addWidget(button, index // columns, index % columns)
            button.show()


class DigitPad(KeyPad):
    """A telephone layout: 1 2 3 / 4 5 6 / 7 8 9 / clear 0 backspace."""

    def __init__(self, sizes, parent=None):
        super().__init__(sizes, [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], [CLEAR, "0", BACKSPACE]], parent)
