"""The last page of 好差评: thanks, or a calm word on why this ticket cannot be rated now, with the
way back that fits (type the code again, the number again, try again) and the way home."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.ui.screens.rating_texts import CANNOT_CHECK, REFUSAL_TITLE, REFUSALS, RESULTS
from kiosk.ui.widgets import Retranslating, wrapped_label

translate = QCoreApplication.translate
RETRY_TEXTS = {"code": QT_TRANSLATE_NOOP("RatingScreen", "重新输入评价码"),
               "number": QT_TRANSLATE_NOOP("RatingScreen", "重新输入号码"),
               "": QT_TRANSLATE_NOOP("RatingScreen", "再试一次")}


class RatingResult(Retranslating, QWidget):
    retry_clicked = Signal()
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent, objectName="transparent")
        self.said: tuple[str, str, str] = ("", "", "")  # (result | refused | cannot_check, kind, words)
        self.retry_step: str | None = None
        self.title = wrapped_label("", "bigThanks", centre=True)
        self.text = wrapped_label("", "notice", centre=True)
        self.retry = QPushButton()
        self.retry.clicked.connect(self.retry_clicked)
        self.home = QPushButton(objectName="primary")
        self.home.clicked.connect(self.home_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(sizes.px(36))
        layout.addStretch(1)
        for widget in (self.title, self.text, self.retry, self.home):
            layout.addWidget(widget)
        layout.addStretch(1)

    def say(self, mode: str, kind: str, words: str, retry_step: str | None) -> None:
        """``mode`` result (kind: a RESULTS key), refused (kind: the rule's code, ``words`` the
        server's for a code not known here) or cannot_check; ``retry_step`` where 再试 leads, or None."""
        self.said, self.retry_step = (mode, kind, words), retry_step
        self.title.setObjectName("bigThanks" if (mode, kind) == ("result", "ok") else "bigCalm")
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)
        self.retranslate()

    def clear(self) -> None:
        self.said, self.retry_step = ("", "", ""), None

    def retranslate(self) -> None:
        self.home.setText(translate("RatingScreen", "返回首页"))
        mode, kind, words = self.said
        if mode == "result":
            title, text = (translate("RatingScreen", t) for t in RESULTS[kind])
        elif mode == "cannot_check":
            title, text = (translate("RatingScreen", t) for t in CANNOT_CHECK)
        elif mode == "refused":
            title = translate("RatingScreen", REFUSAL_TITLE)
            text = translate("RatingScreen", REFUSALS[kind]) if kind in REFUSALS else (words or kind)
        else:
            return
        self.title.setText(title)
        self.text.setText(text)
        self.retry.setVisible(self.retry_step is not None)
        self.retry.setText(translate("RatingScreen", RETRY_TEXTS.get(self.retry_step or "", RETRY_TEXTS[""])))
