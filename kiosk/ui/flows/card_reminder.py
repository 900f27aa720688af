"""请取走您的身份证: a resident who took a number with their ID card is reminded to take it.

The card reader reports when a card is laid down and when it leaves. While the card that took the
number is still on the reader, the ticket screen says so (and speaks it in elder mode); Done then
shows the reminder alone instead of going home, and home follows as soon as the card is lifted.
A card forgotten for good is left to the idle timer, which goes home in any case.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot


class CardReminderFlow(QObject):
    def __init__(self, navigation, bridge, idle, ticket_flow):
        super().__init__()
        self._navigation = navigation
        self._idle = idle
        self._ticket_flow = ticket_flow
        self.card_on_reader = False
        self._waiting = False  # the reminder screen is up, waiting for the card to leave
        self._finish = ticket_flow.finish
        ticket_flow.finish = self.finish
        bridge.card.card_read.connect(self.on_card_read)
        bridge.card.card_removed.connect(self.on_card_removed)
        ticket_flow.ticket_shown.connect(self.on_ticket_shown)
        navigation.resident_left.connect(self.on_resident_left)

    @Slot(object)
    def on_card_read(self, _card) -> None:
        self.card_on_reader = True

    @Slot(object)
    def on_ticket_shown(self, _ticket) -> None:
        self._ticket_flow.ticket.set_card_on_reader(self.card_on_reader)

    @Slot()
    def on_card_removed(self) -> None:
        self.card_on_reader = False
        self._ticket_flow.ticket.set_card_on_reader(False)
        if self._waiting and self._navigation.is_current("message"):
            self._waiting = False
            self._finish()

    def finish(self) -> None:
        """Done on the ticket screen (or its own timer): home, unless the card is still there."""
        if not self.card_on_reader:
            self._finish()
            return
        self._waiting = True
        self._navigation.screen("message").show_refusal("take_card")
        self._navigation.show("message")
        self._idle.restart()

    @Slot()
    def on_resident_left(self) -> None:
        self._waiting = False
