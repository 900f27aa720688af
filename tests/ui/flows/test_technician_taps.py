"""The way into technician mode: five taps on the right end of the header within three seconds."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from kiosk.ui.flows.technician_access import SECRET_TAP_SECONDS, SECRET_TAPS, _SecretTaps


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def header_with_taps(qtbot):
    header = QWidget()
    qtbot.addWidget(header)
    header.resize(1000, 100)
    header.show()
    opened, clock = [], Clock()
    taps = _SecretTaps(lambda: opened.append(clock.now), clock)
    header.installEventFilter(taps)
    return header, taps, opened, clock


def tap(qtbot, header, x, clock, after):
    clock.now += after
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton, pos=QPoint(x, 50))


def test_five_quick_taps_on_the_right_end_open_the_pin_once(qtbot):
    header, _taps, opened, clock = header_with_taps(qtbot)
    for _ in range(SECRET_TAPS):
        tap(qtbot, header, 950, clock, 0.3)
    assert len(opened) == 1
    tap(qtbot, header, 950, clock, 0.3)
    assert len(opened) == 1  # the count starts again


def test_taps_elsewhere_or_too_slow_open_nothing(qtbot):
    header, _taps, opened, clock = header_with_taps(qtbot)
    for _ in range(SECRET_TAPS):
        tap(qtbot, header, 500, clock, 0.3)
    for _ in range(SECRET_TAPS):
        tap(qtbot, header, 950, clock, SECRET_TAP_SECONDS / (SECRET_TAPS - 1) + 0.05)
    assert opened == []


def test_quick_taps_that_arrive_as_double_clicks_count(qtbot):
    """Taps 0.15 s apart: Qt delivers every second press as a double click."""
    header, _taps, opened, clock = header_with_taps(qtbot)
    for i in range(SECRET_TAPS):
        clock.now += 0.15
        if i % 2:
            qtbot.mouseDClick(header, Qt.MouseButton.LeftButton, pos=QPoint(950, 50))
        else:
            qtbot.mousePress(header, Qt.MouseButton.LeftButton, pos=QPoint(950, 50))
            qtbot.mouseRelease(header, Qt.MouseButton.LeftButton, pos=QPoint(950, 50))
    assert len(opened) >= 1
