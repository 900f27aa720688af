"""Idle and the privacy wipe, on a stack of plain screens: ask before wiping, wipe when nobody answers."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.ui.flows.idle import IdleFlow
from kiosk.ui.flows.navigation import Navigation
from kiosk.ui.flows.session import Session
from kiosk.ui.theme import Sizes


class ElderMode:
    def __init__(self):
        self.resets = 0

    def reset_to_default(self):
        self.resets += 1


def make(qtbot):
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    stack.resize(1280, 800)
    stack.show()
    session = Session(station_id="yt-xiaozhai", today=lambda: date(2026, 12, 3), elderly_age=60, digest_key=b"")
    nav = Navigation(stack, session)
    nav.add("home", QWidget())
    nav.add("services", QWidget())
    elder = ElderMode()
    flow = IdleFlow(nav, session, Sizes(800), elder, idle_seconds=60)
    flow.prompt_seconds = 1
    return flow, nav, session, elder


def test_idle_on_an_empty_home_asks_nothing_and_wipes_nothing(qtbot):
    flow, _nav, _session, elder = make(qtbot)
    try:
        flow.on_idle()
        assert not flow.prompt.isVisible() and flow.timer.isActive() and elder.resets == 0
    finally:
        flow.stop()


def test_idle_with_a_resident_asks_then_wipes_when_nobody_answers(qtbot):
    flow, nav, session, elder = make(qtbot)
    try:
        nav.show("services")
        session.resident = object()
        with qtbot.waitSignal(flow.resident_wiped, timeout=5000):
            flow.on_idle()
            assert flow.prompt.isVisible()
        assert nav.is_current("home") and session.resident is None and elder.resets == 1
        assert not flow.prompt.isVisible()
    finally:
        flow.stop()


def test_a_touch_while_asking_keeps_the_resident(qtbot):
    flow, nav, session, elder = make(qtbot)
    try:
        nav.show("services")
        session.resident = resident = object()
        flow.on_idle()
        flow.on_activity()
        qtbot.wait(1300)  # past the prompt's second
        assert session.resident is resident and nav.is_current("services") and elder.resets == 0
        assert flow.timer.isActive() and not flow.prompt.isVisible()
    finally:
        flow.stop()


class RememberingElderMode(ElderMode):
    def __init__(self, session):
        super().__init__()
        self.session = session

    def reset_to_default(self):
        super().reset_to_default()
        self.session.elder = False


def test_idle_on_home_puts_a_walked_away_residents_elder_mode_or_language_back(qtbot):
    flow, _nav, session, _elder = make(qtbot)
    flow._elder_mode = elder = RememberingElderMode(session)
    try:
        session.elder = True  # turned on by a resident who then left without a number
        flow.on_idle()
        assert elder.resets == 1 and not session.elder and not flow.prompt.isVisible()
    finally:
        flow.stop()
