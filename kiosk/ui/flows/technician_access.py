"""Technician access: five taps on the right end of the home header, then the PIN, then the
technician screen (devices, store, sync; test print and test read; quit to the desktop)."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QObject, Signal, Slot

from kiosk.domain.pin import PinGuard

SECRET_TAPS = 5  # taps on the right end of the header, within SECRET_TAP_SECONDS, open the PIN screen
SECRET_TAP_SECONDS = 3.0


class _SecretTaps(QObject):
    """Counts taps on the right quarter of the home header; enough of them in time opens the PIN."""

    TAPS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)

    def __init__(self, on_opened, now=time.monotonic):
        super().__init__()
        self._taps: list[float] = []
        self._on_opened = on_opened
        self._now = now

    def eventFilter(self, watched, event):
        # A quick second tap arrives as a double click, not as a press: both count.
        if event.type() in self.TAPS and event.position().x() > watched.width() * 0.75:
            now = self._now()
            self._taps = [t for t in self._taps if now - t < SECRET_TAP_SECONDS] + [now]
            if len(self._taps) >= SECRET_TAPS:
                self._taps = []
                self._on_opened()
        return False


class TechnicianAccess(QObject):
    status_shown = Signal(dict)  # the store's figures, now on the technician screen
    quit_requested = Signal()  # the technician leaves the kiosk for the desktop

    def __init__(self, navigation, session, bridge, sizes, info: dict, kiosk_mode: bool):
        super().__init__()
        self._navigation = navigation
        self._session = session
        self._bridge = bridge
        self._sizes = sizes
        self._info = info
        self._kiosk_mode = kiosk_mode
        self._pin_guard = PinGuard(info.get("pin_hash", ""), time.monotonic)
        self._printer_status = None
        self._reader_state: str | None = None  # "ok", a fault kind, or None before the reader answers
        navigation.define("pin", self._build_pin)
        navigation.define("technician", self._build_technician)
        self._secret_taps = _SecretTaps(self.show_pin)
        navigation.screen("home").header.installEventFilter(self._secret_taps)
        bridge.printer.printer_status_changed.connect(self.on_printer_status_changed)
        bridge.card.reader_failed.connect(self.on_reader_failed)
        bridge.card.reader_ready.connect(self.on_reader_ready)
        bridge.card.card_read.connect(self.on_card_read)

    def _build_pin(self):
        from kiosk.ui.screens.technician_pin import TechnicianPinScreen

        pin = TechnicianPinScreen(self._sizes)
        pin.pin_entered.connect(self.on_pin_entered)
        pin.cancelled.connect(self._navigation.go_home)
        return pin

    def _build_technician(self):
        from kiosk.ui.screens.technician import TechnicianScreen

        info, bridge = self._info, self._bridge
        version = info["version"]() if callable(info.get("version")) else info.get("version", "")
        technician = TechnicianScreen(self._sizes, kiosk_id=info.get("kiosk_id", ""),
                                      station_id=self._session.station_id, version=version,
                                      sync_server=info.get("sync_server", ""), can_quit=self._kiosk_mode)
        technician.refresh_clicked.connect(self.refresh_status)
        technician.test_print_clicked.connect(bridge.test_print)
        technician.quit_clicked.connect(self.quit_requested)
        if bridge.sync is not None:
            technician.sync_now_clicked.connect(bridge.sync_now)
            bridge.sync.sync_progressed.connect(technician.set_sync_progress)
            bridge.sync.sync_finished.connect(self.on_sync_finished)
            bridge.sync.sync_failed.connect(self.on_sync_failed)
        technician.set_printer_status(self._printer_status)
        technician.set_reader_state(self._reader_state)
        return technician

    # -- the way in -------------------------------------------------------------------------------

    @Slot()
    def show_pin(self) -> None:
        pin = self._navigation.screen("pin")
        if self._pin_guard.locked_for():
            pin.reset("locked", self._lock_minutes())
        else:
            pin.reset("ask")
        self._navigation.show("pin")

    @Slot(str)
    def on_pin_entered(self, pin_text: str) -> None:
        verdict = self._pin_guard.check(pin_text)
        pin = self._navigation.screen("pin")
        if verdict == "ok":
            self._navigation.show("technician")
            self.refresh_status()
        elif verdict == "wrong":
            pin.reset("wrong", self._pin_guard.tries_left)
        elif verdict == "locked":
            pin.reset("locked", self._lock_minutes())
        else:
            pin.reset("no_pin")

    def _lock_minutes(self) -> int:
        return max(1, math.ceil(self._pin_guard.locked_for() / 60))

    # -- what the technician screen shows ---------------------------------------------------------

    @Slot()
    def refresh_status(self) -> None:
        self._bridge.technician_status().success(self.on_status_loaded).run_in_background()

    def on_status_loaded(self, status: dict) -> None:
        self._navigation.screen("technician").set_store_status(status)
        self.status_shown.emit(status)

    @Slot(object)
    def on_printer_status_changed(self, status) -> None:
        self._printer_status = status
        if self._navigation.built("technician"):
            self._navigation.screen("technician").set_printer_status(status)

    def _set_reader_state(self, state: str) -> None:
        self._reader_state = state
        if self._navigation.built("technician"):
            self._navigation.screen("technician").set_reader_state(state)

    @Slot()
    def on_reader_ready(self) -> None:
        self._set_reader_state("ok")

    @Slot(str, str)
    def on_reader_failed(self, kind: str, _detail: str) -> None:
        if kind != "card_read_failed":
            self._set_reader_state(kind)

    @Slot(object)
    def on_card_read(self, card) -> None:
        self._set_reader_state("ok")  # a card read is the best proof the reader works
        if self._navigation.is_current("technician"):
            self._navigation.screen("technician").set_card_test(card.card_test)

    @Slot(dict)
    def on_sync_finished(self, summary: dict) -> None:
        self._navigation.screen("technician").set_sync_result("ok", summary)
        self.refresh_status()

    @Slot(str, str)
    def on_sync_failed(self, kind: str, detail: str) -> None:
        self._navigation.screen("technician").set_sync_result(kind, detail)

