"""Reading before queuing: service guides (and printing one), life-event bundles, nearby stations.

A guide or a bundle can take a number straight away, through the ticket flow.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.services.print_ticket import guide_fields
from kiosk.ui.i18n import is_english


class GuideFlow(QObject):
    guide_print_finished = Signal(str, str)  # service code, "printed" or why not

    def __init__(self, navigation, session, bridge, sizes, ticket_flow):
        super().__init__()
        self._navigation = navigation
        self._session = session
        self._bridge = bridge
        self._sizes = sizes
        self._ticket_flow = ticket_flow
        navigation.define("guides", self._build_guides)
        navigation.define("guide_detail", self._build_guide_detail)
        navigation.define("bundles", self._build_bundles)
        navigation.define("stations", self._build_stations)
        home = navigation.screen("home")
        home.guides_clicked.connect(lambda: navigation.show_fresh("guides"))
        home.bundles_clicked.connect(lambda: navigation.show_fresh("bundles"))
        home.stations_clicked.connect(lambda: navigation.show_fresh("stations"))

    def _build_guides(self):
        from kiosk.ui.screens.guides import GuidesScreen

        guides = GuidesScreen(self._sizes)
        guides.guide_chosen.connect(self.show_guide)
        if self._session.catalogue is not None:
            guides.set_catalogue(self._session.catalogue)
        return guides

    def _build_guide_detail(self):
        from kiosk.ui.screens.guide_detail import GuideDetailScreen

        detail = GuideDetailScreen(self._sizes)
        detail.back_clicked.connect(lambda: self._navigation.show("guides"))
        detail.take_number_requested.connect(self._ticket_flow.request_ticket)
        detail.print_guide_requested.connect(self.print_guide)
        return detail

    def _build_bundles(self):
        from kiosk.ui.screens.bundles import BundlesScreen

        bundles = BundlesScreen(self._sizes)
        bundles.take_number_requested.connect(self._ticket_flow.request_ticket)
        catalogue = self._session.catalogue
        if catalogue is not None:
            bundles.set_bundles(list(catalogue.bundles), catalogue)
        return bundles

    def _build_stations(self):
        from kiosk.ui.screens.stations import StationsScreen

        stations = StationsScreen(self._sizes)
        session = self._session
        if session.catalogue is not None:
            stations.set_stations(session.catalogue.stations, session.station_id)
            stations.set_waiting({session.station_id: sum(session.counts.values())})
        return stations

    @Slot(str)
    def show_guide(self, code: str) -> None:
        session = self._session
        service = session.catalogue.service(code)
        station = session.station
        offered = station is None or not station.services or code in station.services
        detail = self._navigation.screen("guide_detail")
        detail.show_service(service, offered_here=offered)
        detail.set_print_state("ready")
        self._navigation.show("guide_detail")

    @Slot(str)
    def print_guide(self, code: str) -> None:
        self._navigation.screen("guide_detail").set_print_state("printing")
        fields = guide_fields(self._session.catalogue.service(code), self._session.station, english=is_english())
        self._bridge.print_guide(code, fields).success(self.on_guide_printed).failure(
            lambda kind, _detail: self.on_guide_print_failed(code, kind)).run_in_background()

    def on_guide_printed(self, code: str) -> None:
        self._navigation.screen("guide_detail").set_print_state("printed")
        self.guide_print_finished.emit(code, "printed")

    def on_guide_print_failed(self, code: str, reason: str) -> None:
        self._navigation.screen("guide_detail").set_print_state("failed")
        self.guide_print_finished.emit(code, reason)
