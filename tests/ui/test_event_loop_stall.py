"""The UI thread never stalls over 100 ms while the reader, printer and store workers are busy."""

import time

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtCore import Qt

from qt_waiting import caught

STALL_MS = 100


class StallMeter:
    """A 5 ms timer on the UI thread; the largest gap between its ticks is the worst stall."""

    def __init__(self):
        self.clock = QElapsedTimer()
        self.worst = 0
        self.ticks = 0
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self.tick)

    def start(self):
        self.clock.start()
        self.timer.start()

    def tick(self):
        gap = self.clock.restart()
        self.ticks += 1
        self.worst = max(self.worst, gap)

    def stop(self):
        self.timer.stop()


def test_no_stall_while_cards_are_read_and_tickets_printed(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    meter = StallMeter()
    meter.start()
    deadline = time.monotonic() + 60
    for round_ in range(8):
        with caught(qtbot, bridge.card.card_read, timeout=10000):
            bridge.simulate_card.emit("place", "resident" if round_ % 2 else "resident_young")
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.services, timeout=5000)
        with caught(qtbot, bridge.printer.ticket_printed, timeout=10000):
            qtbot.mouseClick(window.services.service_buttons()[round_ % 3], Qt.MouseButton.LeftButton)
        with caught(qtbot, bridge.card.card_removed, timeout=10000):
            bridge.simulate_card.emit("remove", "")
        qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
        assert time.monotonic() < deadline
    meter.stop()
    print(f"worst gap between 5 ms ticks on the UI thread: {meter.worst} ms over {meter.ticks} ticks")
    assert meter.ticks > 100, "the meter did not run"
    assert meter.worst < STALL_MS, f"the UI thread stalled for {meter.worst} ms"
