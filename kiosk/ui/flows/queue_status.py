"""What the store and the district say about the queue: the catalogue, waiting counts and
estimates, whether the store opened, whether the district is reachable."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot


class QueueStatusFlow(QObject):
    def __init__(self, navigation, session, bridge):
        super().__init__()
        self._navigation = navigation
        self._session = session
        self._home = navigation.screen("home")
        self._services = navigation.screen("services")
        bridge.store.store_opened.connect(self.on_store_opened)
        bridge.store.catalogue_changed.connect(self.on_store_opened)  # published at the district, synced
        bridge.store.store_failed.connect(self.on_store_failed)
        bridge.store.waiting_counts_changed.connect(self.on_waiting_counts_changed)
        bridge.store.wait_estimates_changed.connect(self.on_wait_estimates_changed)
        if bridge.sync is not None:
            bridge.sync.online_changed.connect(self.on_online_changed)
        else:
            self._home.header.set_online(False)  # no district server configured: this kiosk runs offline

    @Slot(object, dict)
    def on_store_opened(self, catalogue, counts: dict) -> None:
        session = self._session
        session.catalogue = catalogue
        session.station = catalogue.station(session.station_id)
        self._home.on_store_opened(session.station, catalogue.district_name, catalogue.district_name_en)
        session.counts = dict(counts)
        self._services.set_catalogue(catalogue, counts)

    @Slot(str, str)
    def on_store_failed(self, kind: str, _detail: str) -> None:
        self._home.on_store_failed(kind)

    @Slot(dict)
    def on_waiting_counts_changed(self, counts: dict) -> None:
        session = self._session
        session.counts = dict(counts)
        self._services.set_counts(counts)
        if self._navigation.built("stations"):
            self._navigation.screen("stations").set_waiting({session.station_id: sum(counts.values())})

    @Slot(dict)
    def on_wait_estimates_changed(self, estimates: dict) -> None:
        self._services.set_estimates(estimates)

    @Slot(bool)
    def on_online_changed(self, online: bool) -> None:
        self._home.header.set_online(online)
