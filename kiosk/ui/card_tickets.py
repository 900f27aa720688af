"""On the rating screen: the resident lays the ID card down instead of typing, and picks one of the
tickets taken with that card today. Only ticket summaries reach this widget, never the card."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.i18n import pick
from kiosk.ui.widgets import Retranslating

translate = QCoreApplication.translate
SHOWN = 4  # today's tickets of one resident, newest first: more than this is rare


class CardTickets(Retranslating, QWidget):
    ticket_chosen = Signal(dict)  # a ticket summary, as the store's find_ticket gives it

    def __init__(self, sizes, parent=None):
        super().__init__(parent, objectName="transparent")
        self._catalogue = None
        self._state = "idle"  # idle | looking | none | list
        self._tickets: list[dict] = []
        self.hint = QLabel(objectName="hint")
        self.hint.setWordWrap(True)
        self.buttons = [QPushButton(objectName="reason") for _ in range(SHOWN)]
        row = QHBoxLayout()
        row.setSpacing(sizes.px(14))
        for index, button in enumerate(self.buttons):
            button.clicked.connect(lambda _=False, i=index: self.ticket_chosen.emit(dict(self._tickets[i])))
            button.hide()
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(sizes.px(10))
        layout.addWidget(self.hint)
        layout.addLayout(row)
        self.retranslate()

    def set_catalogue(self, catalogue) -> None:
        self._catalogue = catalogue

    def reset(self) -> None:
        self._state, self._tickets = "idle", []
        self.retranslate()

    def show_looking(self) -> None:
        self._state, self._tickets = "looking", []
        self.retranslate()

    def show_tickets(self, tickets: list[dict]) -> None:
        """Today's tickets of the card; the rated ones are shown but cannot be chosen."""
        self._tickets = [dict(t) for t in tickets[:SHOWN]]
        self._state = "list" if self._tickets else "none"
        self.retranslate()

    def shown_numbers(self) -> list[str]:
        return [t["number"] for t in self._tickets]

    def retranslate(self) -> None:
        hints = {
            "idle": translate("CardTickets", "也可以把身份证放到读卡区，查看您今天取的号"),
            "looking": translate("CardTickets", "正在查找这张身份证今天取的号…"),
            "none": translate("CardTickets", "今天没有用这张身份证取的号，请输入小票上的号码"),
            "list": translate("CardTickets", "您今天取的号（点一个来评价）："),
        }
        self.hint.setText(hints[self._state])
        for index, button in enumerate(self.buttons):
            ticket = self._tickets[index] if index < len(self._tickets) else None
            button.setVisible(ticket is not None)
            if ticket is None:
                continue
            text = f"{ticket['number']} · {self._service_name(ticket.get('service_code'))}".rstrip(" ·")
            if ticket.get("rated"):
                text += translate("CardTickets", "（已评价）")
            button.setText(text)
            button.setEnabled(not ticket.get("rated"))

    def _service_name(self, code: str | None) -> str:
        service = self._catalogue.service(code) if self._catalogue is not None and code else None
        return pick(service.name, service.name_en) if service is not None else ""
