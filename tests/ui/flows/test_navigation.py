"""Navigation: screens built on first use and wired to go home; home forgets the resident."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.ui.flows.navigation import Navigation
from kiosk.ui.flows.session import Session


class Screen(QWidget):
    home_clicked = Signal()

    def __init__(self):
        super().__init__()
        self.elder = None
        self.resets = 0

    def set_elder(self, elder):
        self.elder = elder

    def reset(self):
        self.resets += 1


def make(qtbot):
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    session = Session(station_id="yt-xiaozhai", today=lambda: date(2026, 12, 3), elderly_age=60, digest_key=b"")
    nav = Navigation(stack, session)
    nav.add("home", QWidget())
    return nav, session, stack


def test_a_lazy_screen_is_built_once_on_first_use_in_the_current_look(qtbot):
    nav, session, stack = make(qtbot)
    built = []
    nav.define("rating", lambda: built.append(Screen()) or built[-1])
    session.elder = True
    assert not nav.built("rating") and "rating" in nav.names() and built == []
    screen = nav.show("rating")
    assert built == [screen] and screen.elder is True and nav.is_current("rating")
    assert nav.screen("rating") is screen and len(built) == 1


def test_home_clicked_on_a_lazy_screen_goes_home_and_forgets_the_resident(qtbot):
    nav, session, _stack = make(qtbot)
    nav.define("rating", Screen)
    left = []
    nav.resident_left.connect(lambda: left.append(True))
    screen = nav.show_fresh("rating")
    assert screen.resets == 1
    session.resident, session.assistance = object(), ("mobility",)
    screen.home_clicked.emit()
    assert nav.is_current("home") and session.resident is None and session.assistance is None and left == [True]


def test_is_current_never_builds_a_screen(qtbot):
    nav, _session, _stack = make(qtbot)
    nav.define("stations", Screen)
    assert not nav.is_current("stations") and not nav.built("stations")
