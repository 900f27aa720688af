"""The printer's state on home, before anyone takes a number: a printer out of paper (or with its
cover open, or silent) is said on home, so the resident knows the slip will not come out and the
number will be shown on screen instead. The printer is asked on its own thread whenever home comes
back, and every 30 s while home is on show; every print also reports its state."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot

from kiosk.qt.printer_worker import not_ready_reason

POLL_MS = 30_000


class PrinterNoticeFlow(QObject):
    def __init__(self, navigation, bridge):
        super().__init__()
        self._navigation = navigation
        self._bridge = bridge
        self._home = navigation.screen("home")
        self.timer = QTimer(self, interval=POLL_MS, timeout=self.ask)
        bridge.printer.printer_status_changed.connect(self.on_status)
        navigation.stack.currentChanged.connect(self.on_current_changed)
        self.timer.start()

    @Slot(object)
    def on_status(self, status) -> None:
        self._home.set_printer_problem(None if status.ready else not_ready_reason(status))

    @Slot()
    def on_current_changed(self, *_args) -> None:
        if self._navigation.is_current("home"):
            self.ask()

    @Slot()
    def ask(self) -> None:
        if self._navigation.is_current("home"):
            self._bridge.read_printer_status().run_in_background()
