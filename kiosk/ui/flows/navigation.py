"""Navigation: the stack of screens, the screens built on first use, and the way home.

The home, services and ticket screens are built at start; the others wait for a resident to need
them, which keeps start-up and the idle footprint small (tests/bench/test_bench_startup.py). A flow
that owns a lazy screen registers how to build and wire it; its class is imported inside that
builder, so start-up does not pay for it.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QStackedWidget, QWidget


class Navigation(QObject):
    resident_left = Signal()  # on the way home: every flow forgets the resident
    screen_built = Signal(object)  # a lazy screen, built and added to the stack

    def __init__(self, stack: QStackedWidget, session):
        super().__init__()
        self.stack = stack
        self._session = session
        self._screens: dict[str, QWidget] = {}
        self._builders: dict[str, Callable[[], QWidget]] = {}

    def add(self, name: str, screen: QWidget) -> QWidget:
        """A screen built now."""
        self._screens[name] = screen
        self.stack.addWidget(screen)
        return screen

    def define(self, name: str, build: Callable[[], QWidget]) -> None:
        """A screen built (by ``build``, which also wires it) the first time it is used."""
        self._builders[name] = build

    def names(self) -> list[str]:
        return list(self._screens) + [n for n in self._builders if n not in self._screens]

    def built(self, name: str) -> bool:
        return name in self._screens

    def screen(self, name: str) -> QWidget:
        screen = self._screens.get(name)
        if screen is None:
            screen = self._builders[name]()
            self.add(name, screen)
            if hasattr(screen, "set_elder"):
                screen.set_elder(self._session.elder)
            if hasattr(screen, "home_clicked"):
                screen.home_clicked.connect(self.go_home)
            self.screen_built.emit(screen)
        return screen

    def current(self) -> QWidget:
        return self.stack.currentWidget()

    def is_current(self, *names: str) -> bool:
        """Whether one of these screens is on show (without building any of them)."""
        return any(self.built(n) and self.stack.currentWidget() is self._screens[n] for n in names)

    def show(self, name: str) -> QWidget:
        screen = self.screen(name)
        self.stack.setCurrentWidget(screen)
        return screen

    def show_fresh(self, name: str) -> QWidget:
        """A screen from the home tiles: it starts from its first step."""
        screen = self.screen(name)
        if hasattr(screen, "reset"):
            screen.reset()
        self.stack.setCurrentWidget(screen)
        return screen

    @Slot()
    def go_home(self) -> None:
        """Home is where each resident ends: their identity leaves memory and every screen."""
        self._session.forget_resident()
        self.resident_left.emit()
        self.stack.setCurrentWidget(self.screen("home"))
