"""Step 2 of 好差评: the 6-digit 评价码 printed on the ticket, on a big keypad for elderly hands, or
the ID card that took the ticket laid on the reader. Only the holder of a ticket can rate it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.domain.ratings import HOLDER_CODE_LENGTH
from kiosk.ui.screens.rating_texts import NO_CARD_PROOF
from kiosk.ui.widgets import Retranslating, wrapped_label

translate = QCoreApplication.translate
BACKSPACE, CLEAR = "⌫", "C"


def shown_code(code: str) -> str:
    """The code as typed so far, each digit apart and the places still to fill as underscores."""
    return " ".join(code.ljust(HOLDER_CODE_LENGTH, "_"))


class HolderCodeEntry(Retranslating, QWidget):
    code_entered = Signal(str)  # six digits, once 确定 is pressed
    back_clicked = Signal()  # to the number, to correct it

    def __init__(self, sizes, parent=None):
        super().__init__(parent, objectName="transparent")
        px = sizes.px
        self.code = ""
        self.number = ""
        self._checking = ""  # "", "code" or "card": a check is on its way
        self._card_unusable = False  # a card was laid, but this kiosk keeps no card digests
        self.ticket_line = wrapped_label("", "sectionTitle", centre=True)
        self.hint = wrapped_label("", "", centre=True)
        self.display = wrapped_label("", "query", centre=True)
        self.display.setStyleSheet(f"font-size: {px(72)}px; letter-spacing: {px(6)}px;")
        self.card_hint = wrapped_label("", "hint", centre=True)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(px(14))
        for i, key in enumerate("123456789" + CLEAR + "0" + BACKSPACE):
            button = QPushButton(key, objectName="key")
            button.setMinimumSize(px(150), px(110))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)  # big, for elderly hands
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            self.keys[key] = button
            grid.addWidget(button, i // 3, i % 3)
        self.back = QPushButton()
        self.back.clicked.connect(self.back_clicked)
        self.ok = QPushButton(objectName="primary")
        self.ok.clicked.connect(self._on_ok)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back, 1)
        buttons.addWidget(self.ok, 2)
        words = QVBoxLayout()
        words.setSpacing(px(18))
        for widget in (self.ticket_line, self.hint, self.display, self.card_hint):
            words.addWidget(widget)
        words.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(px(18))
        if sizes.portrait:
            layout.addLayout(words)
            layout.addLayout(grid, 1)
        else:
            columns = QHBoxLayout()
            columns.setSpacing(px(48))
            columns.addLayout(words, 1)
            columns.addLayout(grid, 1)
            layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self.set_code("")

    def retranslate(self) -> None:
        self.ticket_line.setText(translate("RatingScreen", "号码 {number}").format(number=self.number))
        self.hint.setText(translate("RatingScreen", "请输入号票上“评价码”后面的6位数字"))
        self.card_hint.setText(translate("RatingScreen", NO_CARD_PROOF) if self._card_unusable
                               else translate("RatingScreen", "没有号票？把取号时用的身份证放到读卡区也可以"))
        self.back.setText(translate("RatingScreen", "重新输入号码"))
        self.ok.setText(translate("RatingScreen", "正在核对…") if self._checking
                        else translate("RatingScreen", "确定  OK"))
        self.keys[CLEAR].setText(translate("KeyPad", "清空"))
        self.keys[BACKSPACE].setText(translate("KeyPad", "删除"))
        if self._checking == "card":
            self.display.setText(translate("RatingScreen", "已读取身份证"))

    def start(self, number: str) -> None:
        """Ask the code of ticket ``number``, nothing typed."""
        self.number = number
        self._checking = ""
        self._card_unusable = False
        self.set_code("")

    def say_card_unusable(self) -> None:
        """A card was laid, but this kiosk cannot prove a holder by card: ask for the code."""
        self._card_unusable = True
        self.retranslate()

    def press(self, key: str) -> None:
        if key == BACKSPACE:
            self.set_code(self.code[:-1])
        elif key == CLEAR:
            self.set_code("")
        elif len(self.code) < HOLDER_CODE_LENGTH:
            self.set_code(self.code + key)

    def set_code(self, code: str) -> None:
        self.code = code
        self.display.setText(shown_code(code))
        self._enable()
        self.retranslate()

    def checking(self) -> bool:
        return bool(self._checking)

    def set_checking(self, how: str) -> None:
        """"code" or "card" while the check is on its way (nothing can be pressed), "" after."""
        self._checking = how
        if not how:
            self.display.setText(shown_code(self.code))
        self._enable()
        self.retranslate()

    def _enable(self) -> None:
        for key, button in self.keys.items():
            button.setEnabled(not self._checking and (len(self.code) < HOLDER_CODE_LENGTH or not key.isdigit()))
        self.back.setEnabled(not self._checking)
        self.ok.setEnabled(not self._checking and len(self.code) == HOLDER_CODE_LENGTH)

    def _on_ok(self) -> None:
        if len(self.code) == HOLDER_CODE_LENGTH and not self._checking:
            self.code_entered.emit(self.code)
