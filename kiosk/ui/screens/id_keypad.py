"""Type the resident ID number on a big keypad (digits and X), checked digit by digit as it is typed."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import Retranslating, screen_base, title_label

translate = QCoreApplication.translate

HINTS = {
    "empty": ("muted", QT_TRANSLATE_NOOP("IdKeypadScreen", "请输入18位身份证号码")),
    "typing": ("muted", QT_TRANSLATE_NOOP("IdKeypadScreen", "已输入 {n} 位，共18位")),
    "bad_char": ("printWarn", QT_TRANSLATE_NOOP("IdKeypadScreen", "前17位只能是数字，最后一位是数字或X")),
    "bad_check": ("printWarn", QT_TRANSLATE_NOOP("IdKeypadScreen", "号码校验不通过，请核对后重新输入")),
    "bad_date": ("printWarn", QT_TRANSLATE_NOOP("IdKeypadScreen", "号码中的出生日期不正确，请核对")),
    "valid": ("printOk", QT_TRANSLATE_NOOP("IdKeypadScreen", "号码正确，请按“确定”")),
}


def shown_id(text: str) -> str:
    """What the large display shows of a typed ID number: the first 6 (the region) and the last 4
    can be checked; the birth date and sequence in between are starred for people standing behind."""
    masked = "".join(c if i < 6 or i >= 14 else "*" for i, c in enumerate(text))
    return " ".join(part for part in (masked[:6], masked[6:14], masked[14:]) if part)


class IdKeypadScreen(Retranslating, QWidget):
    id_entered = Signal(str)
    back_clicked = Signal()

    def __init__(self, sizes, state_of, parent=None):
        super().__init__(parent)
        screen_base(self)
        self._state_of = state_of
        self.text = ""
        self.title = title_label()
        self.display = QLabel(objectName="number")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setStyleSheet(f"font-size: {sizes.px(72)}px; letter-spacing: {sizes.px(4)}px;")
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self._sizes = sizes
        self.grid = grid = QGridLayout()
        grid.setSpacing(sizes.px(14))
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate("123456789X0⌫"):
            button = QPushButton(key, objectName="key")
            button.setMinimumSize(sizes.px(150), sizes.px(110))
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            self.keys[key] = button
            grid.addWidget(button, i // 3, i % 3)
        self.clear = QPushButton()
        self.clear.clicked.connect(lambda: self.set_text(""))
        self.back = QPushButton()
        self.back.clicked.connect(self.back_clicked)
        self.ok = QPushButton(objectName="primary")
        self.ok.clicked.connect(lambda: self.id_entered.emit(self.text))
        actions = QHBoxLayout()
        for button in (self.back, self.clear, self.ok):
            actions.addWidget(button)
        self.layout_ = layout = QVBoxLayout(self)
        margin = sizes.px(40)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(sizes.px(18))
        layout.addWidget(self.title)
        layout.addWidget(self.display)
        layout.addWidget(self.hint)
        layout.addLayout(grid, 1)
        layout.addLayout(actions)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("IdKeypadScreen", "输入身份证号码"))
        self.clear.setText(translate("IdKeypadScreen", "清空"))
        self.back.setText(translate("IdKeypadScreen", "返回"))
        self.ok.setText(translate("IdKeypadScreen", "确定"))
        self.set_text(self.text)

    def set_elder(self, elder: bool) -> None:
        """长辈模式: the keys and type grow (style sheet), so the gaps shrink to keep it on one screen."""
        px = self._sizes.px
        margin = px(24 if elder else 40)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.layout_.setSpacing(px(10 if elder else 18))
        self.grid.setSpacing(px(10 if elder else 14))

    def spoken_prompt(self) -> str:
        return translate("IdKeypadScreen", "输入身份证号码")

    def press(self, key: str) -> None:
        if key == "⌫":
            self.set_text(self.text[:-1])
        elif len(self.text) < 18:
            self.set_text(self.text + key)

    def set_text(self, text: str) -> None:
        self.text = text
        self.display.setText(shown_id(text) or "—")
        state = self._state_of(text)
        name, hint = HINTS[state]
        self.hint.setObjectName(name)
        self.hint.setText(translate("IdKeypadScreen", hint).format(n=len(text)))
        self.hint.style().unpolish(self.hint)
        self.hint.style().polish(self.hint)
        self.ok.setEnabled(state == "valid")

    def state(self) -> str:
        return self._state_of(self.text)
