"""The rating flow (好差评): the holder of a served ticket rates its service, once.

The resident names the ticket (its number, a card that took it today, or home's invitation of a
ticket just served) and proves holding it (the 评价码 printed on it, or that card). Before the five
levels the kiosk asks its sync server (the station service, or the district) whether this holder
may rate this ticket now. When no server answers, the kiosk's own store decides if it knows the
ticket is served (a counter service shares the store), by the same rule; else the resident is told
calmly that it cannot be checked now, and where else to rate. Nothing waits on the UI thread: the
store's and the server's answers come back as operations.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.domain.ratings import SERVED_INVITE_WINDOW, holder_by_card
from kiosk.ui.screens.home import INVITATIONS_SHOWN


class RatingFlow(QObject):
    check_answered = Signal(str, str)  # ok | refused | local_ok | local_refused | cannot_check, and the code
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
        rating.check_requested.connect(self.check)
        rating.rating_submitted.connect(self.submit_rating)
        catalogue = self._session.catalogue
        if catalogue is not None:
            rating.set_catalogue(catalogue)
            prefixes = {s.prefix for s in catalogue.services} | {b.get("prefix", "Y") for b in catalogue.bundles}
            rating.entry.set_letters({p[:1] for p in prefixes if p}, self._session.letter_numbers)
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
        """An invitation names the ticket; its holder still proves holding it."""
        self._rating.start_with_number(number)
        self._navigation.show("rating")

    # -- may this holder rate this ticket? --------------------------------------------------------

    @Slot(str, dict)
    def check(self, number: str, holder: dict) -> None:
        """First what the kiosk's own store knows (for when no server answers), then the server."""
        self._bridge.check_rating_locally(number, holder) \
            .success(partial(self.on_local_known, number, holder)).run_in_background()

    def _still_asked(self, number: str, holder: dict) -> bool:
        """The resident still waits for this check (not gone home, not asking another)."""
        return self._navigation.is_current("rating") and self._rating.asked() == (number, holder)

    def on_local_known(self, number: str, holder: dict, local: dict) -> None:
        if not self._still_asked(number, holder):
            return
        self._bridge.check_rating(number, self._session.today().isoformat(), holder) \
            .success(partial(self.on_server_answered, number, holder, local)) \
            .failure(partial(self.on_server_silent, number, holder, local)).run_in_background()

    def on_server_answered(self, number: str, holder: dict, local: dict, answer: dict) -> None:
        if not self._still_asked(number, holder):
            return
        if answer["ok"]:
            self._passed(number, answer.get("ticket_id"), local, "ok")
            return
        self._rating.show_refusal(answer["code"], answer.get("words") or "")
        if answer["code"] in ("already_rated", "rating_closed"):  # no more invitations for it
            self._set_served([t for t in self._served if t["number"] != number])
        self.check_answered.emit("refused", answer["code"])

    def on_server_silent(self, number: str, holder: dict, local: dict, kind: str, _detail: str) -> None:
        """No answer from the server: the store's, when it knows the ticket is served."""
        if not self._still_asked(number, holder):
            return
        if not local.get("known"):
            self._rating.show_cannot_check()
            self.check_answered.emit("cannot_check", kind)
        elif local.get("refusal"):
            self._rating.show_refusal(local["refusal"][0])
            self.check_answered.emit("local_refused", local["refusal"][0])
        else:
            self._passed(number, local["ticket"]["ticket_id"], local, "local_ok")

    def _passed(self, number: str, ticket_id: str | None, local: dict, how: str) -> None:
        known = local.get("ticket") or {}
        same = known.get("ticket_id") == ticket_id
        self._rating.show_check_passed({
            "ticket_id": ticket_id, "number": number,
            "station_id": known.get("station_id") if same else self._session.station_id,
            "service_code": known.get("service_code") if same else None})
        self.check_answered.emit(how, "")

    # -- the card on the reader -------------------------------------------------------------------

    @Slot(object)
    def on_card_read(self, card) -> None:
        """On the rating screen a card proves holding a ticket it took; nothing of it is stored
        but that proof in the rating (the keyed digest, as the ticket itself carries it)."""
        if not self._navigation.is_current("rating") or not self._rating.wants_card():
            return
        resident = card.resident
        holder = holder_by_card(resident.id_digest) if resident.id_digest else None
        if self._rating.current_step() == "code":
            self._rating.check_with_card(holder)
            return
        self._rating.show_card_looking()
        self._bridge.resident_tickets(resident.id_digest or "", resident.id_masked) \
            .success(partial(self.on_resident_tickets_found, holder)) \
            .failure(partial(self.on_resident_tickets_failed, holder)).run_in_background()

    def on_resident_tickets_found(self, holder: dict | None, tickets: list) -> None:
        if not self._navigation.is_current("rating") or self._rating.current_step() != "number":
            return
        self._rating.show_resident_tickets(tickets, holder)
        self.resident_tickets_shown.emit(tickets)

    def on_resident_tickets_failed(self, holder: dict | None, _kind: str, _detail: str) -> None:
        self.on_resident_tickets_found(holder, [])

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
