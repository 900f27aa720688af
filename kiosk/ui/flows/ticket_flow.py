"""The ticket flow: who is taking the number (card, typed ID or nobody), issuing it, printing it.

A ticket is shown only after the store worker has committed it; it is then printed on the
printer worker's thread, and the ticket screen shows whether the slip came out.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.domain.tickets import Priority
from kiosk.services.identify import resident_from_typed, typed_id_state
from kiosk.services.issue_ticket import IssueRequest
from kiosk.services.print_ticket import ticket_slip
from kiosk.ui.i18n import is_english


def build_keypad(sizes, session):
    from kiosk.ui.screens.id_keypad import IdKeypadScreen

    return IdKeypadScreen(sizes, lambda text: typed_id_state(text, session.today()))


def build_message(sizes):
    from kiosk.ui.screens.message import MessageScreen

    return MessageScreen(sizes)


def build_assistance(sizes):
    from kiosk.ui.screens.assistance import AssistanceScreen

    return AssistanceScreen(sizes)


class TicketFlow(QObject):
    ticket_shown = Signal(object)  # Ticket: committed, on screen, sent to the printer
    issue_refused = Signal(str)  # kind: the message screen words it
    print_finished = Signal(str, str)  # ticket_id, "printed" or why not (paper_out, failed, ...)

    def __init__(self, navigation, session, bridge, sizes, idle, qr_url):
        super().__init__()
        self._navigation = navigation
        self._session = session
        self._bridge = bridge
        self._idle = idle
        self._qr_url = qr_url
        self._busy = False
        navigation.define("keypad", lambda: self._wire_keypad(build_keypad(sizes, session)))
        navigation.define("message", partial(build_message, sizes))
        navigation.define("assistance", lambda: self._wire_assistance(build_assistance(sizes)))
        home = navigation.screen("home")
        self.services = navigation.screen("services")
        self.ticket = navigation.screen("ticket")
        home.take_number_clicked.connect(self.show_services)
        home.assistance_clicked.connect(lambda: navigation.show_fresh("assistance"))
        self.services.service_chosen.connect(self.request_ticket)
        self.services.type_id_clicked.connect(self.show_keypad)
        self.services.home_clicked.connect(navigation.go_home)
        self.finish = idle.reset_for_next_resident  # the resident is done: defaults again (CardReminderFlow wraps it)
        self.ticket.done_clicked.connect(lambda: self.finish())
        navigation.resident_left.connect(self.on_resident_left)
        bridge.card.card_read.connect(self.on_card_read)
        bridge.card.reader_failed.connect(self.on_reader_failed)

    def _wire_keypad(self, keypad):
        keypad.back_clicked.connect(self.show_services)
        keypad.id_entered.connect(self.on_id_typed)
        return keypad

    def _wire_assistance(self, assistance):
        assistance.take_number_with_help.connect(self.take_number_with_help)
        assistance.staff_called.connect(self.call_staff)
        return assistance

    # -- who is taking the number -----------------------------------------------------------------

    def set_resident(self, resident) -> None:
        self._session.resident = resident
        self.services.set_resident(resident)

    @Slot()
    def on_resident_left(self) -> None:
        self.set_resident(None)
        self.services.clear_priority()
        if self._navigation.built("assistance"):
            self._navigation.screen("assistance").reset()
        if self._navigation.built("keypad"):
            self._navigation.screen("keypad").set_text("")

    @Slot(object)
    def on_card_read(self, card) -> None:
        """A card on home, services or the keypad is the resident taking the next number."""
        if self._busy or not self._navigation.is_current("home", "services", "keypad"):
            return  # a card laid down on the ticket screen is not the next resident yet
        self.set_resident(card.resident)
        self._idle.restart()
        self.show_services()

    @Slot(str, str)
    def on_reader_failed(self, kind: str, _detail: str) -> None:
        if kind in ("card_read_failed", "reader_unavailable", "unsupported_reader", "no_reply"):
            self._session.resident = None
            self.services.show_reader_problem(kind)

    @Slot(str)
    def on_id_typed(self, text: str) -> None:
        session = self._session
        try:
            resident = resident_from_typed(text, session.today(), session.elderly_age, session.digest_key)
        except ValueError:
            return
        self.set_resident(resident)
        self._navigation.screen("keypad").set_text("")
        self.show_services()

    @Slot()
    def show_services(self) -> None:
        self._bridge.refresh_queue()  # the counters may have called since the last look
        self._navigation.show("services")

    @Slot()
    def show_keypad(self) -> None:
        self._navigation.screen("keypad").set_text("")
        self._navigation.show("keypad")

    @Slot(tuple)
    def take_number_with_help(self, reasons: tuple) -> None:
        self._session.assistance = reasons
        self.show_services()

    @Slot(tuple)
    def call_staff(self, reasons: tuple) -> None:
        self._bridge.record_event("assistance_request", {"reasons": list(reasons), "ticket_id": None})
        self._navigation.screen("assistance").show_staff_called()

    # -- issuing and printing ---------------------------------------------------------------------

    def _issuing_screens(self) -> list:
        return [self.services] + [self._navigation.screen(n) for n in ("guide_detail", "bundles")
                                  if self._navigation.built(n)]

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for screen in self._issuing_screens():
            screen.setEnabled(not busy)

    @Slot(str)
    def request_ticket(self, service_code: str) -> None:
        if self._busy:
            return
        self._set_busy(True)
        resident = self._session.resident
        tapped = self.services.chosen_priority()  # disabled or pregnant, by a tap
        priority = Priority(tapped) if tapped else (resident.priority if resident else Priority.NORMAL)
        identity = {} if resident is None else {"id_masked": resident.id_masked, "id_digest": resident.id_digest}
        request = IssueRequest(service_code=service_code, priority=priority,
                               assistance=self._session.assistance is not None, **identity)
        self._bridge.issue_ticket(request).success(self.on_ticket_issued).failure(self.on_issue_failed) \
            .run_in_background()

    def on_ticket_issued(self, ticket) -> None:
        self._set_busy(False)
        session = self._session
        service = session.catalogue.queue_item(ticket.service_code)
        url = self._qr_url(ticket)
        self.ticket.show_ticket(ticket, service, url)
        if ticket.assistance:
            self._bridge.record_event("assistance_request", {
                "reasons": list(session.assistance or ()), "ticket_id": ticket.ticket_id, "number": ticket.number})
        self._navigation.show("ticket")
        self._bridge.print_ticket(ticket.ticket_id, ticket_slip(ticket, service, session.station, url,
                                                                     english=is_english())) \
            .success(self.on_ticket_printed).failure(partial(self.on_print_failed, ticket.ticket_id)) \
            .run_in_background()
        self.ticket_shown.emit(ticket)

    def on_issue_failed(self, kind: str, _detail: str) -> None:
        self._set_busy(False)
        station = self._session.station
        self._navigation.screen("message").show_refusal(kind, station.hours_text() if station else "")
        self._navigation.show("message")
        self.issue_refused.emit(kind)

    def on_ticket_printed(self, ticket_id: str) -> None:
        self.ticket.set_print_state(ticket_id, "printed")
        self.print_finished.emit(ticket_id, "printed")

    def on_print_failed(self, ticket_id: str, reason: str, _detail: str = "") -> None:
        self.ticket.set_print_state(ticket_id, reason)
        self.print_finished.emit(ticket_id, reason)
