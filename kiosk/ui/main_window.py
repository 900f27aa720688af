"""The main window: a stack of screens and the flow between them.

It reaches the store and devices only through the bridge's signals.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from kiosk.domain.pin import PinGuard
from kiosk.services.identify import resident_from_card, resident_from_typed, typed_id_state
from kiosk.services.issue_ticket import IssueRequest
from kiosk.services.print_ticket import guide_fields, ticket_slip
from kiosk.ui.idle_prompt import IdlePrompt
from kiosk.ui.screens.assistance import AssistanceScreen
from kiosk.ui.screens.bundles import BundlesScreen
from kiosk.ui.screens.guide_detail import GuideDetailScreen
from kiosk.ui.screens.guides import GuidesScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.id_keypad import IdKeypadScreen
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.screens.stations import StationsScreen
from kiosk.ui.screens.technician import TechnicianScreen
from kiosk.ui.screens.technician_pin import TechnicianPinScreen

SECRET_TAPS = 5  # taps on the right end of the header, within SECRET_TAP_SECONDS, open technician mode
SECRET_TAP_SECONDS = 3.0
from kiosk.ui.screens.message import MessageScreen
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


class MainWindow(QMainWindow):
    first_frame_painted = Signal()
    resident_wiped = Signal()

    def __init__(self, bridge, *, clock, sizes, station_id: str, qr_url, kiosk_mode: bool,
                 resident_policy, idle_seconds: int = 90, technician: dict | None = None):
        super().__init__()
        technician = technician or {}
        self._pin_guard = PinGuard(technician.get("pin_hash", ""), time.monotonic)
        self._today, self._elderly_age, self._digest_key = resident_policy
        self._resident = None
        self.setWindowTitle("10分钟政务服务圈 · 自助服务")
        self.bridge = bridge
        self._station_id = station_id
        self._qr_url = qr_url
        self._kiosk_mode = kiosk_mode
        self._catalogue = None
        self._station = None
        self._busy = False
        self.stack = QStackedWidget()
        self.home = HomeScreen(clock, sizes)
        self.services = ServicesScreen(sizes)
        self.ticket = TicketScreen(sizes)
        self.message = MessageScreen(sizes)
        self.keypad = IdKeypadScreen(sizes, lambda text: typed_id_state(text, self._today()))
        self.guides = GuidesScreen(sizes)
        self.guide_detail = GuideDetailScreen(sizes)
        self.bundles = BundlesScreen(sizes)
        self.stations = StationsScreen(sizes)
        self.rating = RatingScreen(sizes)
        self.assistance = AssistanceScreen(sizes)
        self._assistance: tuple | None = None
        self.pin = TechnicianPinScreen(sizes)
        self.technician = TechnicianScreen(
            sizes, kiosk_id=technician.get("kiosk_id", ""), station_id=station_id,
            version=technician.get("version", ""), sync_server=technician.get("sync_server", ""),
            can_quit=kiosk_mode)
        for screen in (self.home, self.services, self.ticket, self.message, self.keypad, self.guides,
                       self.guide_detail, self.bundles, self.stations, self.rating, self.assistance, self.pin, self.technician):
            self.stack.addWidget(screen)
            if hasattr(screen, "home_clicked"):
                screen.home_clicked.connect(self.show_home)
        self.setCentralWidget(self.stack)
        self._first_paint = _FirstPaint(self.first_frame_painted.emit)
        self.home.installEventFilter(self._first_paint)

        self.home.take_number_clicked.connect(self.show_services)
        self.home.guides_clicked.connect(lambda: self._show(self.guides))
        self.home.bundles_clicked.connect(lambda: self._show(self.bundles))
        self.home.stations_clicked.connect(lambda: self._show(self.stations))
        self.home.rating_clicked.connect(lambda: self._show(self.rating))
        self.services.service_chosen.connect(self.request_ticket)
        self.ticket.done_clicked.connect(self.show_home)
        self.guides.guide_chosen.connect(self.show_guide)
        self.guide_detail.back_clicked.connect(lambda: self.stack.setCurrentWidget(self.guides))
        self.guide_detail.take_number_requested.connect(self.request_ticket)
        self.guide_detail.print_guide_requested.connect(self.print_guide)
        self.bundles.take_number_requested.connect(self.request_ticket)
        self.rating.ticket_lookup_requested.connect(bridge.ticket_lookup_requested)
        self.rating.rating_submitted.connect(bridge.rating_requested)
        bridge.store.ticket_found.connect(self.rating.show_ticket_found)
        bridge.store.rating_saved.connect(lambda _rating_id: self.rating.show_result(True))
        bridge.store.rating_failed.connect(lambda kind, _detail: self.rating.show_result(False, kind))
        bridge.printer.guide_printed.connect(lambda _code: self.guide_detail.print_guide.setText("已打印，请取走"))
        bridge.printer.guide_print_failed.connect(
            lambda _code, _reason: self.guide_detail.print_guide.setText("打印机暂不可用"))
        bridge.store.store_opened.connect(self.on_store_opened)
        bridge.store.store_failed.connect(self.on_store_failed)
        bridge.store.ticket_issued.connect(self.on_ticket_issued)
        bridge.store.issue_failed.connect(self.on_issue_failed)
        bridge.store.waiting_counts_changed.connect(self.services.set_counts)
        bridge.printer.ticket_printed.connect(self.on_ticket_printed)
        bridge.printer.print_failed.connect(self.on_print_failed)
        bridge.card.card_read.connect(self.on_card_read)
        bridge.card.reader_failed.connect(self.on_reader_failed)
        self.services.type_id_clicked.connect(self.show_keypad)
        self.keypad.back_clicked.connect(self.show_services)
        self.keypad.id_entered.connect(self.on_id_typed)
        self._secret_taps = _SecretTaps(self.show_pin)
        self.home.header.installEventFilter(self._secret_taps)
        self.pin.pin_entered.connect(self.on_pin_entered)
        self.pin.cancelled.connect(self.show_home)
        self.technician.refresh_clicked.connect(bridge.technician_status_requested)
        self.technician.test_print_clicked.connect(bridge.test_print_requested)
        self.technician.quit_clicked.connect(self.quit_to_desktop)
        bridge.store.technician_status_loaded.connect(self.technician.set_store_status)
        bridge.printer.printer_status_changed.connect(self.technician.set_printer_status)
        bridge.card.reader_failed.connect(lambda kind, _d: self.technician.set_reader_state(f"故障：{kind}"))
        bridge.card.reader_ready.connect(lambda: self.technician.set_reader_state("正常"))
        self.assistance.take_number_with_help.connect(self.take_number_with_help)
        self.assistance.staff_called.connect(self.call_staff)
        self.idle = QTimer(self, singleShot=True, interval=idle_seconds * 1000, timeout=self.on_idle)
        self.idle_prompt_seconds = 15
        self.idle_prompt = IdlePrompt(sizes, self.stack)
        self.idle_prompt.more_time_requested.connect(self.idle.start)
        self.idle_prompt.expired.connect(self.reset_for_next_resident)
        self._activity = _Activity(self.on_activity)
        QApplication.instance().installEventFilter(self._activity)
        self.idle.start()
    @Slot()
    def show_home(self) -> None:
        """Home is where each resident ends: their identity leaves memory and every screen."""
        self.set_resident(None)
        self._assistance = None
        self.assistance.reset()
        self.idle_prompt.cancel()
        self.keypad.set_text("")
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
    def reset_for_next_resident(self) -> None:
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
        locked = self._pin_guard.locked_for()
        self.pin.reset(f"输错次数过多，请 {int(locked // 60) + 1} 分钟后再试" if locked else "请输入技术人员密码")
        self.stack.setCurrentWidget(self.pin)

    @Slot(str)
    def on_pin_entered(self, pin: str) -> None:
        verdict = self._pin_guard.check(pin)
        if verdict == "ok":
            self.technician.set_reader_state(self.technician.reader.text())
            self.bridge.technician_status_requested.emit()
            self.stack.setCurrentWidget(self.technician)
        elif verdict == "wrong":
            self.pin.reset(f"密码不正确，还可以再试 {self._pin_guard.tries_left} 次")
        elif verdict == "locked":
            self.pin.reset("输错次数过多，已锁定 5 分钟")
        else:
            self.pin.reset("本机未设置技术人员密码（kiosk.technician_pin_hash）")

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
        if self.stack.currentWidget() is self.technician:
            masked = info.to_json(reveal=False)
            self.technician.set_card_test(f"读卡成功：{masked['card_type']} {masked['name']} {masked['id_number']}")
            return
        if self.stack.currentWidget() not in (self.home, self.services, self.keypad) or self._busy:
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
        self.stack.setCurrentWidget(self.services)

    @Slot(str)
    def request_ticket(self, service_code: str) -> None:
        if self._busy:
            return
        self._busy = True
        for screen in (self.services, self.guide_detail, self.bundles):
            screen.setEnabled(False)
        resident = self._resident
        help_wanted = self._assistance is not None
        if resident is None:
            request = IssueRequest(service_code=service_code, assistance=help_wanted)
        else:
            request = IssueRequest(service_code=service_code, priority=resident.priority, assistance=help_wanted,
                                   id_masked=resident.id_masked, id_digest=resident.id_digest)
        self.bridge.issue_requested.emit(request)

    @Slot(object, dict)
    def on_store_opened(self, catalogue, counts: dict) -> None:
        self._catalogue = catalogue
        self._station = catalogue.station(self._station_id)
        self.home.on_store_opened(self._station, catalogue.district_name)
        self.services.set_catalogue(catalogue, counts)
        self.guides.set_catalogue(catalogue)
        self.bundles.set_bundles(list(catalogue.bundles), catalogue)
        self.stations.set_stations(catalogue.stations, self._station_id)
        self.stations.set_waiting({self._station_id: sum(counts.values())})
        self.rating.set_catalogue(catalogue)
        self.rating.set_reasons(list(catalogue.rating_reasons) if catalogue.rating_reasons else None)

    @Slot(str, str)
    def on_store_failed(self, _kind: str, _detail: str) -> None:
        self.home.on_store_failed()

    def _ready_for_next(self) -> None:
        self._busy = False
        for screen in (self.services, self.guide_detail, self.bundles):
            screen.setEnabled(True)

    @Slot(object)
    def on_ticket_issued(self, ticket) -> None:
        self._ready_for_next()
        service = self._catalogue.queue_item(ticket.service_code)
        url = self._qr_url(ticket)
        self.ticket.show_ticket(ticket, service, url)
        if ticket.assistance:
            self.ticket.where.setText(self.ticket.where.text() + "\n已登记帮办代办：工作人员会主动来帮您。")
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
