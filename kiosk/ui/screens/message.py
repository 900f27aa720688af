"""A calm message when a number cannot be taken: what happened and what to do, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import Retranslating, localized_hours, screen_base, title_label

translate = QCoreApplication.translate

DESK = QT_TRANSLATE_NOOP("MessageScreen", "自助取号暂时无法使用，请到服务台人工取号。\nPlease ask at the service desk.")
REFUSALS = {
    "station_closed": (QT_TRANSLATE_NOOP("MessageScreen", "现在不是办理时间"),
                       QT_TRANSLATE_NOOP("MessageScreen", "本站现在不取号。{hours}\nThe station is closed now.")),
    "numbers_exhausted": (QT_TRANSLATE_NOOP("MessageScreen", "今日号码已取完"),
                          QT_TRANSLATE_NOOP("MessageScreen", "本机今日号码已全部发出，请到服务台咨询。\n"
                                                             "No more numbers today: please ask at the desk.")),
    "unknown_service": (QT_TRANSLATE_NOOP("MessageScreen", "该事项暂不可办理"),
                        QT_TRANSLATE_NOOP("MessageScreen", "请返回重新选择，或到服务台咨询。\n"
                                                           "This service is not available here.")),
    "store_unavailable": (QT_TRANSLATE_NOOP("MessageScreen", "暂时无法取号"), DESK),
    "internal_error": (QT_TRANSLATE_NOOP("MessageScreen", "暂时无法取号"), DESK),
    # not a refusal: Done was pressed with the ID card still on the reader
    "take_card": (QT_TRANSLATE_NOOP("MessageScreen", "请取走您的身份证"),
                  QT_TRANSLATE_NOOP("MessageScreen", "身份证还在读卡区上。取走后自动返回首页。")),
}


class MessageScreen(Retranslating, QWidget):
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self.kind = ""
        self._hours_text = ""
        self.title = title_label()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.text = QLabel(objectName="notice")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.home = QPushButton(objectName="primary")
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
        self.retranslate()

    def show_refusal(self, kind: str, hours_text: str = "") -> None:
        self.kind = kind
        self._hours_text = hours_text
        self.retranslate()

    def spoken_prompt(self) -> str:
        return self.title.text()

    def retranslate(self) -> None:
        self.home.setText(translate("MessageScreen", "返回首页"))
        if not self.kind:
            return
        title, text = REFUSALS.get(self.kind, REFUSALS["internal_error"])
        hours = (translate("MessageScreen", "办理时间：{hours}").format(hours=localized_hours(self._hours_text))
                 if self._hours_text else "")
        self.title.setText(translate("MessageScreen", title))
        self.text.setText(translate("MessageScreen", text).format(hours=hours))

