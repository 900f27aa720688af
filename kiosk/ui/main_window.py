"""The main window: a frame for the stack of screens and the small flows that move between them.

Each flow (kiosk/ui/flows) owns a few screens and reaches the store and devices only through the
bridge: one-shot actions as operations whose results come back on the UI thread, events as the
workers' signals.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from kiosk.ui.flows.card_reminder import CardReminderFlow
from kiosk.ui.flows.elder_mode import ElderModeFlow
from kiosk.ui.flows.printer_notice import PrinterNoticeFlow
from kiosk.ui.flows.guide_flow import GuideFlow
from kiosk.ui.flows.idle import IdleFlow
from kiosk.ui.flows.navigation import Navigation
from kiosk.ui.flows.queue_status import QueueStatusFlow
from kiosk.ui.flows.rating_flow import RatingFlow
from kiosk.ui.flows.session import Session
from kiosk.ui.flows.technician_access import TechnicianAccess
from kiosk.ui.flows.ticket_flow import TicketFlow
from kiosk.ui.screens.home import HomeScreen
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


class MainWindow(QMainWindow):
    first_frame_painted = Signal()

    def __init__(self, bridge, *, clock, sizes, station_id: str, qr_url, kiosk_mode: bool,
                 resident_policy, idle_seconds: int = 90, technician: dict | None = None,
                 letter_numbers: bool = False):
        super().__init__()
        self.setWindowTitle("10分钟政务服务圈 · 自助服务")
        self.bridge = bridge
        self._kiosk_mode = kiosk_mode
        today, elderly_age, digest_key = resident_policy
        self.session = Session(station_id=station_id, today=today, elderly_age=elderly_age, digest_key=digest_key,
                               letter_numbers=letter_numbers)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.navigation = nav = Navigation(self.stack, self.session)
        nav.add("home", HomeScreen(clock, sizes))
        nav.add("services", ServicesScreen(sizes))
        nav.add("ticket", TicketScreen(sizes))
        self._first_paint = _FirstPaint(self.first_frame_painted.emit)
        self.home.installEventFilter(self._first_paint)
        self.elder_mode = ElderModeFlow(nav, self.session, sizes, self)
        self.idle_flow = IdleFlow(nav, self.session, sizes, self.elder_mode, idle_seconds)
        self.queue_status = QueueStatusFlow(nav, self.session, bridge)
        self.ticket_flow = TicketFlow(nav, self.session, bridge, sizes, self.idle_flow, qr_url)
        self.card_reminder = CardReminderFlow(nav, bridge, self.idle_flow, self.ticket_flow)
        self.printer_notice = PrinterNoticeFlow(nav, bridge)
        self.guide_flow = GuideFlow(nav, self.session, bridge, sizes, self.ticket_flow)
        self.rating_flow = RatingFlow(nav, self.session, bridge, sizes, clock)
        self.technician_access = TechnicianAccess(nav, self.session, bridge, sizes, technician or {}, kiosk_mode)
        self.technician_access.quit_requested.connect(self.quit_to_desktop)
        self.resident_wiped = self.idle_flow.resident_wiped
        for flow in (nav, self.elder_mode, self.idle_flow, self.queue_status, self.ticket_flow, self.guide_flow,
                     self.rating_flow, self.technician_access):
            flow.setParent(self)  # deleted with the window, and their connections with them

    def __getattr__(self, name: str):
        """The screens by name (``window.rating``), each built the first time it is asked for."""
        navigation = self.__dict__.get("navigation")
        if navigation is not None and name in navigation.names():
            return navigation.screen(name)
        raise AttributeError(name)

    # what the launcher, the screenshots and the tests drive

    def show_home(self) -> None:
        self.navigation.go_home()

    def reset_for_next_resident(self) -> None:
        self.idle_flow.reset_for_next_resident()

    def set_elder(self, elder: bool) -> None:
        self.elder_mode.set_elder(elder)

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

    def closeEvent(self, event) -> None:
        if self._kiosk_mode and not getattr(self, "allow_close", False):
            event.ignore()
            return
        self.idle_flow.stop()
        super().closeEvent(event)
