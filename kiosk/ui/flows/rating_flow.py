"""The rating flow (好差评): find the ticket by its number, by the card on the reader or from home's
invitation of a ticket just served; rate it once; thank the resident or say calmly why not."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.domain.ratings import SERVED_INVITE_WINDOW
from kiosk.ui.screens.home import INVITATIONS_SHOWN


class RatingFlow(QObject):
    ticket_looked_up = Signal(object)  # summary dict, or None when there is no such number today
    resident_tickets_shown = Signal(list)  # today's tickets of the card on the reader
    rating_finished = Signal(bool, str)  # saved, and the kind when it was not

    def __init__(self, navigation, session, bridge, sizes, clock):
        super().__init__()
        self._navigation = navigation
        self._session = session
        self._bridge = bridge
        self._sizes = sizes
        self._clock = clock
        self._served: list[dict] = []  # tickets just served, invited to rate on home
        navigation.define("rating", self._build_rating)
        self._home = navigation.screen("home")
        self._home.rating_clicked.connect(lambda: navigation.show_fresh("rating"))
        self._home.rate_ticket_clicked.connect(self.rate_served_ticket)
        bridge.store.tickets_served.connect(self.on_tickets_served)
        bridge.card.card_read.connect(self.on_card_read)

    def _build_rating(self):
        from kiosk.ui.screens.rating import RatingScreen

        rating = RatingScreen(self._sizes)
        rating.ticket_lookup_requested.connect(self.look_up_ticket)
        rating.rating_submitted.connect(self.submit_rating)
        catalogue = self._session.catalogue
        if catalogue is not None:
            rating.set_catalogue(catalogue)
            rating.set_reasons(list(catalogue.rating_reasons) if catalogue.rating_reasons else None)
        return rating

    @property
    def _rating(self):
        return self._navigation.screen("rating")

    # -- home's invitations -----------------------------------------------------------------------

    @Slot(list)
    def on_tickets_served(self, tickets: list) -> None:
        """The counters marked these done: home invites each to rate, for half an hour."""
        self._set_served(list(reversed(tickets)) + self._served)

    def _set_served(self, tickets: list[dict]) -> None:
        cutoff = (self._clock() - SERVED_INVITE_WINDOW).isoformat(timespec="seconds")
        self._served = [t for t in tickets if t["served_at"] >= cutoff][:INVITATIONS_SHOWN]
        self._home.set_invitations([t["number"] for t in self._served])

    @Slot(str)
    def rate_served_ticket(self, number: str) -> None:
        rating = self._rating
        rating.start_with_number(number)
        self._navigation.show("rating")

    # -- finding the ticket -----------------------------------------------------------------------

    @Slot(str)
    def look_up_ticket(self, number: str) -> None:
        self._bridge.find_ticket(number).success(self.on_ticket_found) \
            .failure(lambda _kind, _detail: self.on_ticket_found(None)).run_in_background()

    def on_ticket_found(self, summary) -> None:
        self._rating.show_ticket_found(summary)
        self.ticket_looked_up.emit(summary)

    @Slot(object)
    def on_card_read(self, card) -> None:
        """On the rating screen a card only finds its tickets; nothing of it is kept."""
        if not self._navigation.is_current("rating") or not self._rating.wants_card():
            return
        self._rating.show_card_looking()
        resident = card.resident
        self._bridge.resident_tickets(resident.id_digest or "", resident.id_masked) \
            .success(self.on_resident_tickets_found) \
            .failure(lambda _kind, _detail: self.on_resident_tickets_found([])).run_in_background()

    def on_resident_tickets_found(self, tickets: list) -> None:
        self._rating.show_resident_tickets(tickets)
        self.resident_tickets_shown.emit(tickets)

    # -- rating it --------------------------------------------------------------------------------

    @Slot(object)
    def submit_rating(self, request) -> None:
        self._bridge.rate(request).success(self.on_rating_saved).failure(self.on_rating_failed) \
            .run_in_background()

    def on_rating_saved(self, _rating_id: str) -> None:
        rated = (self._rating.rated_ticket() or {}).get("ticket_id")
        self._set_served([t for t in self._served if t["ticket_id"] != rated])
        self._rating.show_result(True)
        self.rating_finished.emit(True, "")

    def on_rating_failed(self, kind: str, _detail: str) -> None:
        self._rating.show_result(False, kind)
        self.rating_finished.emit(False, kind)
