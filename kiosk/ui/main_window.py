"""The main window: a stack of screens and the flow between them.

It reaches the store and devices only through the bridge's signals.
"""

from __future__ import annotations

import importlib
import math
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from kiosk.domain.pin import PinGuard
from kiosk.domain.ratings import SERVED_INVITE_WINDOW
from kiosk.domain.tickets import Priority
from kiosk.services.identify import resident_from_card, resident_from_typed, typed_id_state
from kiosk.services.issue_ticket import IssueRequest
from kiosk.services.print_ticket import guide_fields, ticket_slip
from kiosk.ui.i18n import current_language, install_language, other_language
from kiosk.ui.idle_prompt import IdlePrompt
from kiosk.ui.speech import Speaker
from kiosk.ui.theme import stylesheet
from kiosk.ui.screens.home import INVITATIONS_SHOWN, HomeScreen

SECRET_TAPS = 5  # taps on the right end of the header, within SECRET_TAP_SECONDS, open technician mode
SECRET_TAP_SECONDS = 3.0
from kiosk.ui.screens.services import ServicesScreen
from kiosk.ui.screens.ticket import TicketScreen


class _FirstPaint(QObject):
    def __init__(self, callback):
        super().__init__()
        self._callback = callback

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            callback()
        return False


class _Activity(QObject):
    """Any touch, click or key press means the resident is still there."""

    KINDS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}

    def __init__(self, on_activity):
        super().__init__()
        self._on_activity = on_activity

    def eventFilter(self, watched, event):
        if event.type() in self.KINDS:
            self._on_activity()
        return False


class _SecretTaps(QObject):
    """Counts taps on the right quarter of the home header; enough of them in time opens the PIN."""

    def __init__(self, on_opened):
        super().__init__()
        self._taps: list[float] = []
        self._on_opened = on_opened

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.MouseButtonPress and event.position().x() > watched.width() * 0.75:
            now = time.monotonic()
            self._taps = [t for t in self._taps if now - t < SECRET_TAP_SECONDS] + [now]
            if len(self._taps) >= SECRET_TAPS:
                self._taps = []
                self._on_opened()
        return False


def _screen_class(module: str, name: str):
    """Screens used later are imported when first built, not at start-up."""
    return getattr(importlib.import_module(module), name)


class _Lazy:
    """A screen built, wired and added to the stack the first time it is used.

    The home, services and ticket screens are built at start; the others wait for a resident to
    need them, which keeps start-up and the idle footprint small (tests/bench/test_bench_startup.py).
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, window, owner=None):
        if window is None:
            return self
        screen = getattr(window, f"_build_{self.name}")()
        window.__dict__[self.name] = screen
        window.stack.addWidget(screen)
        if hasattr(screen, "set_elder"):
            screen.set_elder(window._elder)
        if hasattr(screen, "home_clicked"):
            screen.home_clicked.connect(window.show_home)
        return screen


class MainWindow(QMainWindow):
    first_frame_painted = Signal()
    resident_wiped = Signal()

    message = _Lazy()
    keypad = _Lazy()
    guides = _Lazy()
    guide_detail = _Lazy()
    bundles = _Lazy()
    stations = _Lazy()
    rating = _Lazy()
    assistance = _Lazy()
    pin = _Lazy()
    technician = _Lazy()

    def __init__(self, bridge, *, clock, sizes, station_id: str, qr_url, kiosk_mode: bool,
                 resident_policy, idle_seconds: int = 90, technician: dict | None = None):
        super().__init__()
        self._sizes = sizes
        self._clock = clock
        self._technician_info = technician or {}
        self._pin_guard = PinGuard(self._technician_info.get("pin_hash", ""), time.monotonic)
        self._today, self._elderly_age, self._digest_key = resident_policy
        self._resident = None
        self._assistance: tuple | None = None
        self._printer_status = None
        self._reader_state: str | None = None  # "ok", a fault kind, or None before the reader answers
        self.setWindowTitle("10分钟政务服务圈 · 自助服务")
        self.bridge = bridge
        self._station_id = station_id
        self._qr_url = qr_url
        self._kiosk_mode = kiosk_mode
        self._catalogue = None
        self._counts: dict = {}
        self._station = None
        self._busy = False
        self._elder = False
        self.stack = QStackedWidget()
        self.home = HomeScreen(clock, sizes)
        self.services = ServicesScreen(sizes)
        self.ticket = TicketScreen(sizes)
        for screen in (self.home, self.services, self.ticket):
            self.stack.addWidget(screen)
        self.services.home_clicked.connect(self.show_home)
        self.setCentralWidget(self.stack)
        self._first_paint = _FirstPaint(self.first_frame_painted.emit)
        self.home.installEventFilter(self._first_paint)

        self.home.take_number_clicked.connect(self.show_services)
        self.home.guides_clicked.connect(lambda: self._show(self.guides))
        self.home.bundles_clicked.connect(lambda: self._show(self.bundles))
        self.home.stations_clicked.connect(lambda: self._show(self.stations))
        self.home.rating_clicked.connect(lambda: self._show(self.rating))
        self.home.assistance_clicked.connect(lambda: self._show(self.assistance))
        self.services.service_chosen.connect(self.request_ticket)
        self.services.type_id_clicked.connect(self.show_keypad)
        self.ticket.done_clicked.connect(self.show_home)
        bridge.store.store_opened.connect(self.on_store_opened)
        bridge.store.store_failed.connect(self.on_store_failed)
        bridge.store.ticket_issued.connect(self.on_ticket_issued)
        bridge.store.issue_failed.connect(self.on_issue_failed)
        bridge.store.waiting_counts_changed.connect(self.on_waiting_counts)
        bridge.store.wait_estimates_changed.connect(self.services.set_estimates)
        bridge.store.tickets_served.connect(self.on_tickets_served)
        self.home.rate_ticket_clicked.connect(self.rate_served_ticket)
        self._served: list[dict] = []  # tickets just served, invited to rate on home
        if bridge.sync is not None:
            bridge.sync.online_changed.connect(self.home.header.set_online)
        else:
            self.home.header.set_online(False)  # no district server configured: this kiosk runs offline
        bridge.printer.ticket_printed.connect(self.on_ticket_printed)
        bridge.printer.print_failed.connect(self.on_print_failed)
        bridge.printer.printer_status_changed.connect(self.on_printer_status)
        bridge.card.card_read.connect(self.on_card_read)
        bridge.card.reader_failed.connect(self.on_reader_failed)
        bridge.card.reader_ready.connect(self.on_reader_ready)
        self._secret_taps = _SecretTaps(self.show_pin)
        self.home.header.installEventFilter(self._secret_taps)
        self.speaker = Speaker(self)
        self.home.language_toggled.connect(self.on_language_toggled)
        self.home.elder_mode_toggled.connect(self.on_elder_mode_toggled)
        self.stack.currentChanged.connect(self._speak_prompt)
        self.idle = QTimer(self, singleShot=True, interval=idle_seconds * 1000, timeout=self.on_idle)
        self.idle_prompt_seconds = 15
        self.idle_prompt = IdlePrompt(sizes, self.stack)
        self.idle_prompt.more_time_requested.connect(self.idle.start)
        self.idle_prompt.expired.connect(self.reset_for_next_resident)
        self._activity = _Activity(self.on_activity)
        QApplication.instance().installEventFilter(self._activity)
        self.idle.start()

    # -- screens built on first use -------------------------------------------------------------

    def _built(self, name: str) -> bool:
        return name in self.__dict__

    def _build_message(self):
        return _screen_class("kiosk.ui.screens.message", "MessageScreen")(self._sizes)

    def _build_keypad(self):
        keypad = _screen_class("kiosk.ui.screens.id_keypad", "IdKeypadScreen")(self._sizes, lambda text: typed_id_state(text, self._today()))
        keypad.back_clicked.connect(self.show_services)
        keypad.id_entered.connect(self.on_id_typed)
        return keypad

    def _build_guides(self):
        guides = _screen_class("kiosk.ui.screens.guides", "GuidesScreen")(self._sizes)
        guides.guide_chosen.connect(self.show_guide)
        if self._catalogue is not None:
            guides.set_catalogue(self._catalogue)
        return guides

    def _build_guide_detail(self):
        detail = _screen_class("kiosk.ui.screens.guide_detail", "GuideDetailScreen")(self._sizes)
        detail.back_clicked.connect(lambda: self.stack.setCurrentWidget(self.guides))
        detail.take_number_requested.connect(self.request_ticket)
        detail.print_guide_requested.connect(self.print_guide)
        self.bridge.printer.guide_printed.connect(self.on_guide_printed)
        self.bridge.printer.guide_print_failed.connect(self.on_guide_print_failed)
        return detail

    def _build_bundles(self):
        bundles = _screen_class("kiosk.ui.screens.bundles", "BundlesScreen")(self._sizes)
        bundles.take_number_requested.connect(self.request_ticket)
        if self._catalogue is not None:
            bundles.set_bundles(list(self._catalogue.bundles), self._catalogue)
        return bundles

    def _build_stations(self):
        stations = _screen_class("kiosk.ui.screens.stations", "StationsScreen")(self._sizes)
        if self._catalogue is not None:
            stations.set_stations(self._catalogue.stations, self._station_id)
            stations.set_waiting({self._station_id: sum(self._counts.values())})
        return stations

    def _build_rating(self):
        rating = _screen_class("kiosk.ui.screens.rating", "RatingScreen")(self._sizes)
        rating.ticket_lookup_requested.connect(self.bridge.ticket_lookup_requested)
        rating.rating_submitted.connect(self.bridge.rating_requested)
        self.bridge.store.ticket_found.connect(rating.show_ticket_found)
        self.bridge.store.resident_tickets_found.connect(rating.show_resident_tickets)
        self.bridge.store.rating_saved.connect(self.on_rating_saved)
        self.bridge.store.rating_failed.connect(self.on_rating_failed)
        if self._catalogue is not None:
            rating.set_catalogue(self._catalogue)
            rating.set_reasons(list(self._catalogue.rating_reasons) if self._catalogue.rating_reasons else None)
        return rating

    def _build_assistance(self):
        assistance = _screen_class("kiosk.ui.screens.assistance", "AssistanceScreen")(self._sizes)
        assistance.take_number_with_help.connect(self.take_number_with_help)
        assistance.staff_called.connect(self.call_staff)
        return assistance

    def _build_pin(self):
        pin = _screen_class("kiosk.ui.screens.technician_pin", "TechnicianPinScreen")(self._sizes)
        pin.pin_entered.connect(self.on_pin_entered)
        pin.cancelled.connect(self.show_home)
        return pin

    def _build_technician(self):
        info = self._technician_info
        technician = _screen_class("kiosk.ui.screens.technician", "TechnicianScreen")(
            self._sizes, kiosk_id=info.get("kiosk_id", ""), station_id=self._station_id,
            version=info["version"]() if callable(info.get("version")) else info.get("version", ""), sync_server=info.get("sync_server", ""), can_quit=self._kiosk_mode)
        technician.refresh_clicked.connect(self.bridge.technician_status_requested)
        technician.test_print_clicked.connect(self.bridge.test_print_requested)
        technician.quit_clicked.connect(self.quit_to_desktop)
        self.bridge.store.technician_status_loaded.connect(technician.set_store_status)
        if self.bridge.sync is not None:
            technician.sync_now_clicked.connect(self.bridge.sync_requested)
            self.bridge.sync.sync_progressed.connect(technician.set_sync_progress)
            self.bridge.sync.sync_finished.connect(self.on_sync_finished)
            self.bridge.sync.sync_failed.connect(self.on_sync_failed)
        technician.set_printer_status(self._printer_status)
        technician.set_reader_state(self._reader_state)
        return technician

    # Worker signals reach the UI thread only through slots of this window: a lambda connected to
    # them would run on the worker's thread.

    @Slot(str)
    def on_guide_printed(self, _code: str) -> None:
        self.guide_detail.print_guide.setText("已打印，请取走")

    @Slot(str, str)
    def on_guide_print_failed(self, _code: str, _reason: str) -> None:
        self.guide_detail.print_guide.setText("打印机暂不可用")

    @Slot(str)
    def on_rating_saved(self, _rating_id: str) -> None:
        rated = (self.rating.rated_ticket() or {}).get("ticket_id")
        self._set_served([t for t in self._served if t["ticket_id"] != rated])
        self.rating.show_result(True)

    @Slot(list)
    def on_tickets_served(self, tickets: list) -> None:
        """The counters marked these done: home invites each to rate, for half an hour."""
        self._set_served(list(reversed(tickets)) + self._served)

    def _set_served(self, tickets: list[dict]) -> None:
        cutoff = (self._clock() - SERVED_INVITE_WINDOW).isoformat(timespec="seconds")
        self._served = [t for t in tickets if t["served_at"] >= cutoff][:INVITATIONS_SHOWN]
        self.home.set_invitations([t["number"] for t in self._served])

    @Slot(str)
    def rate_served_ticket(self, number: str) -> None:
        self.rating.start_with_number(number)
        self.stack.setCurrentWidget(self.rating)

    @Slot(str, str)
    def on_rating_failed(self, kind: str, _detail: str) -> None:
        self.rating.show_result(False, kind)

    @Slot(dict)
    def on_sync_finished(self, summary: dict) -> None:
        self.technician.set_sync_result("ok", summary)
        self.bridge.technician_status_requested.emit()

    @Slot(str, str)
    def on_sync_failed(self, kind: str, detail: str) -> None:
        self.technician.set_sync_result(kind, detail)

    @Slot()
    def on_reader_ready(self) -> None:
        self._set_reader_state("ok")

    @Slot(dict)
    def on_waiting_counts(self, counts: dict) -> None:
        self._counts = dict(counts)
        self.services.set_counts(counts)
        if self._built("stations"):
            self.stations.set_waiting({self._station_id: sum(counts.values())})

    @Slot(object)
    def on_printer_status(self, status) -> None:
        self._printer_status = status
        if self._built("technician"):
            self.technician.set_printer_status(status)

    def _set_reader_state(self, state: str) -> None:
        self._reader_state = state
        if self._built("technician"):
            self.technician.set_reader_state(state)

    # -- the resident's flow ----------------------------------------------------------------------

    @Slot()
    def show_home(self) -> None:
        """Home is where each resident ends: their identity leaves memory and every screen."""
        self.set_resident(None)
        self.services.clear_priority()
        self._assistance = None
        if self._built("assistance"):
            self.assistance.reset()
        if self._built("keypad"):
            self.keypad.set_text("")
        self.idle_prompt.cancel()
        self.stack.setCurrentWidget(self.home)

    @Slot()
    def on_activity(self) -> None:
        self.idle_prompt.cancel()
        self.idle.start()

    @Slot()
    def on_idle(self) -> None:
        """Nobody touched the screen for a while: ask before wiping, unless there is nothing to wipe."""
        if self.stack.currentWidget() is self.home and self._resident is None and self._assistance is None:
            self.idle.start()
            return
        self.idle_prompt.start(self.idle_prompt_seconds)

    @Slot(tuple)
    def take_number_with_help(self, reasons: tuple) -> None:
        self._assistance = reasons
        self.show_services()

    @Slot(tuple)
    def call_staff(self, reasons: tuple) -> None:
        self.bridge.event_requested.emit("assistance_request", {"reasons": list(reasons), "ticket_id": None})
        self.assistance.show_staff_called()

    @Slot()
    def on_language_toggled(self) -> None:
        install_language(QApplication.instance(), other_language())

    @Slot()
    def on_elder_mode_toggled(self) -> None:
        self.set_elder(not self._elder)

    def set_elder(self, elder: bool) -> None:
        """长辈模式: larger type, higher contrast, fewer items, spoken prompts when a voice exists."""
        self._elder = elder
        QApplication.instance().setStyleSheet(stylesheet(self._sizes, elder))
        for i in range(self.stack.count()):
            screen = self.stack.widget(i)
            if hasattr(screen, "set_elder"):
                screen.set_elder(elder)
        self.speaker.set_enabled(elder)
        self._speak_prompt()

    @Slot()
    def _speak_prompt(self, *_args) -> None:
        screen = self.stack.currentWidget()
        if hasattr(screen, "spoken_prompt"):
            self.speaker.say(screen.spoken_prompt())

    @Slot()
    def reset_for_next_resident(self) -> None:
        """Idle: the next resident starts from the default look and language."""
        if self._elder:
            self.set_elder(False)
        if current_language() != "zh_CN":
            install_language(QApplication.instance(), "zh_CN")
        self.show_home()
        self.resident_wiped.emit()

    def set_resident(self, resident, note: str = "") -> None:
        self._resident = resident
        self.services.set_resident(resident, note)

    @Slot()
    def show_keypad(self) -> None:
        self.keypad.set_text("")
        self.stack.setCurrentWidget(self.keypad)

    @Slot()
    def show_pin(self) -> None:
        if self._pin_guard.locked_for():
            self.pin.reset("locked", self._lock_minutes())
        else:
            self.pin.reset("ask")
        self.stack.setCurrentWidget(self.pin)

    @Slot(str)
    def on_pin_entered(self, pin: str) -> None:
        verdict = self._pin_guard.check(pin)
        if verdict == "ok":
            self.stack.setCurrentWidget(self.technician)  # built and connected before the request goes out
            self.bridge.technician_status_requested.emit()
        elif verdict == "wrong":
            self.pin.reset("wrong", self._pin_guard.tries_left)
        elif verdict == "locked":
            self.pin.reset("locked", self._lock_minutes())
        else:
            self.pin.reset("no_pin")

    def _lock_minutes(self) -> int:
        return max(1, math.ceil(self._pin_guard.locked_for() / 60))

    @Slot()
    def quit_to_desktop(self) -> None:
        self.allow_close = True
        QApplication.instance().quit()

    def keyPressEvent(self, event) -> None:
        """Esc, Alt+F4 and friends do nothing for the public; technicians leave through their screen."""
        if self._kiosk_mode and (event.key() == Qt.Key.Key_Escape or event.modifiers() & Qt.KeyboardModifier.AltModifier):
            event.accept()
            return
        super().keyPressEvent(event)

    @Slot(object)
    def on_card_read(self, info) -> None:
        if self._built("technician") and self.stack.currentWidget() is self.technician:
            masked = info.to_json(reveal=False)
            self.technician.set_card_test(f"{masked['card_type']} {masked['name']} {masked['id_number']}")
            return
        if self._built("rating") and self.stack.currentWidget() is self.rating:
            if self.rating.wants_card():  # the card only finds its tickets; nothing of it is kept
                resident = resident_from_card(info, self._today(), self._elderly_age, self._digest_key)
                self.rating.show_card_looking()
                self.bridge.resident_tickets_requested.emit(resident.id_digest or "", resident.id_masked)
            return
        if self._busy or not (self.stack.currentWidget() in (self.home, self.services)
                              or (self._built("keypad") and self.stack.currentWidget() is self.keypad)):
            return  # a card laid down on the ticket screen is not the next resident yet
        self.set_resident(resident_from_card(info, self._today(), self._elderly_age, self._digest_key))
        self.idle.start()
        self.show_services()

    @Slot(str, str)
    def on_reader_failed(self, kind: str, _detail: str) -> None:
        if kind == "card_read_failed":
            self.set_resident(None, "读卡失败：请拿起身份证，再重新放到读卡区")
        elif kind in ("reader_unavailable", "unsupported_reader", "no_reply"):
            self.set_resident(None, "读卡器暂不可用：可点“输入身份证号”，或直接选择事项")
        if kind != "card_read_failed":
            self._set_reader_state(kind)

    @Slot(str)
    def on_id_typed(self, text: str) -> None:
        try:
            resident = resident_from_typed(text, self._today(), self._elderly_age, self._digest_key)
        except ValueError:
            return
        self.set_resident(resident)
        self.keypad.set_text("")
        self.show_services()

    def _show(self, screen) -> None:
        if hasattr(screen, "reset"):
            screen.reset()
        self.stack.setCurrentWidget(screen)

    @Slot(str)
    def show_guide(self, code: str) -> None:
        service = self._catalogue.service(code)
        offered = self._station is None or not self._station.services or code in self._station.services
        self.guide_detail.show_service(service, offered_here=offered)
        self.guide_detail.print_guide.setText("打印办事指南")
        self.stack.setCurrentWidget(self.guide_detail)

    @Slot(str)
    def print_guide(self, code: str) -> None:
        self.guide_detail.print_guide.setText("正在打印…")
        self.bridge.guide_print_requested.emit(code, guide_fields(self._catalogue.service(code), self._station))

    @Slot()
    def show_services(self) -> None:
        self.bridge.queue_refresh_requested.emit()  # the counters may have called since the last look
        self.stack.setCurrentWidget(self.services)

    @Slot(str)
    def request_ticket(self, service_code: str) -> None:
        if self._busy:
            return
        self._busy = True
        for screen in self._issuing_screens():
            screen.setEnabled(False)
        resident = self._resident
        help_wanted = self._assistance is not None
        tapped = self.services.chosen_priority()  # disabled or pregnant, by a tap
        priority = Priority(tapped) if tapped else (resident.priority if resident else Priority.NORMAL)
        if resident is None:
            request = IssueRequest(service_code=service_code, priority=priority, assistance=help_wanted)
        else:
            request = IssueRequest(service_code=service_code, priority=priority, assistance=help_wanted,
                                   id_masked=resident.id_masked, id_digest=resident.id_digest)
        self.bridge.issue_requested.emit(request)

    @Slot(object, dict)
    def on_store_opened(self, catalogue, counts: dict) -> None:
        self._catalogue = catalogue
        self._station = catalogue.station(self._station_id)
        self.home.on_store_opened(self._station, catalogue.district_name)
        self._counts = dict(counts)
        self.services.set_catalogue(catalogue, counts)

    @Slot(str, str)
    def on_store_failed(self, _kind: str, _detail: str) -> None:
        self.home.on_store_failed()

    def _issuing_screens(self) -> list:
        return [self.services] + [getattr(self, n) for n in ("guide_detail", "bundles") if self._built(n)]

    def _ready_for_next(self) -> None:
        self._busy = False
        for screen in self._issuing_screens():
            screen.setEnabled(True)

    @Slot(object)
    def on_ticket_issued(self, ticket) -> None:
        self._ready_for_next()
        service = self._catalogue.queue_item(ticket.service_code)
        url = self._qr_url(ticket)
        self.ticket.show_ticket(ticket, service, url)
        if ticket.assistance:
            self.bridge.event_requested.emit("assistance_request", {
                "reasons": list(self._assistance or ()), "ticket_id": ticket.ticket_id, "number": ticket.number})
        self.stack.setCurrentWidget(self.ticket)
        self.bridge.print_requested.emit(ticket.ticket_id, ticket_slip(ticket, service, self._station, url))

    @Slot(str, str)
    def on_issue_failed(self, kind: str, _detail: str) -> None:
        self._ready_for_next()
        self.message.show_refusal(kind, self._station.hours_text() if self._station else "")
        self.stack.setCurrentWidget(self.message)

    @Slot(str)
    def on_ticket_printed(self, ticket_id: str) -> None:
        self.ticket.set_print_state(ticket_id, "printed")

    @Slot(str, str)
    def on_print_failed(self, ticket_id: str, reason: str) -> None:
        self.ticket.set_print_state(ticket_id, reason)

    def closeEvent(self, event) -> None:
        if self._kiosk_mode and not getattr(self, "allow_close", False):
            event.ignore()
            return
        QApplication.instance().removeEventFilter(self._activity)
        self.idle.stop()
        super().closeEvent(event)
