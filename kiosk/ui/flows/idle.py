"""Idle and the privacy wipe: nobody touched the screen for a while, so ask, then wipe.

Any touch, click or key press restarts the idle timer. When it runs out with a resident's data
on the screen, the idle prompt asks for more time; when that runs out too, the window goes back
to the default look and language and home, where the resident's identity leaves memory.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from kiosk.ui.i18n import current_language
from kiosk.ui.idle_prompt import IdlePrompt

DEFAULT_LANGUAGE = "zh_CN"


class _Activity(QObject):
    """Any touch, click or key press means the resident is still there."""

    KINDS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}

    def __init__(self, on_activity, parent):
        super().__init__(parent)  # deleted with the flow, which Qt also takes off the application
        self._on_activity = on_activity

    def eventFilter(self, watched, event):
        if event.type() in self.KINDS:
            self._on_activity()
        return False


class IdleFlow(QObject):
    resident_wiped = Signal()

    def __init__(self, navigation, session, sizes, elder_mode, idle_seconds: int):
        super().__init__()
        self._navigation = navigation
        self._session = session
        self._elder_mode = elder_mode
        self.timer = QTimer(self, singleShot=True, interval=idle_seconds * 1000, timeout=self.on_idle)
        self.prompt_seconds = 15
        self.prompt = IdlePrompt(sizes, navigation.stack)
        self.prompt.more_time_requested.connect(self.timer.start)
        self.prompt.expired.connect(self.reset_for_next_resident)
        navigation.resident_left.connect(self.prompt.cancel)
        self._activity = _Activity(self.on_activity, self)
        QApplication.instance().installEventFilter(self._activity)
        self.timer.start()

    def restart(self) -> None:
        """A resident just started something: the full idle time from now."""
        self.timer.start()

    @Slot()
    def on_activity(self) -> None:
        self.prompt.cancel()
        self.timer.start()

    @Slot()
    def on_idle(self) -> None:
        """Ask before wiping, unless there is nothing to wipe."""
        session = self._session
        if self._navigation.is_current("home") and session.resident is None and session.assistance is None:
            if session.elder or current_language() != DEFAULT_LANGUAGE:  # left on by someone who walked away
                self._elder_mode.reset_to_default()
            self.timer.start()
            return
        self.prompt.start(self.prompt_seconds)

    @Slot()
    def reset_for_next_resident(self) -> None:
        self._elder_mode.reset_to_default()
        self._navigation.go_home()
        self.resident_wiped.emit()

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self._activity)
        self.timer.stop()
