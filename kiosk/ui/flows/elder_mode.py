"""Elder mode (长辈模式) and the language switch, with spoken prompts in elder mode."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication

from kiosk.ui.i18n import current_language, install_language, other_language
from kiosk.ui.speech import Speaker
from kiosk.ui.theme import stylesheet


class ElderModeFlow(QObject):
    def __init__(self, navigation, session, sizes, speaker_parent):
        super().__init__()
        self._navigation = navigation
        self._session = session
        self._sizes = sizes
        self.speaker = Speaker(speaker_parent)
        home = navigation.screen("home")
        home.language_toggled.connect(self.on_language_toggled)
        home.elder_mode_toggled.connect(self.on_elder_mode_toggled)
        navigation.stack.currentChanged.connect(self.on_current_changed)

    @property
    def elder(self) -> bool:
        return self._session.elder

    @Slot()
    def on_language_toggled(self) -> None:
        install_language(QApplication.instance(), other_language())

    @Slot()
    def on_elder_mode_toggled(self) -> None:
        self.set_elder(not self._session.elder)

    def set_elder(self, elder: bool) -> None:
        """长辈模式: larger type, higher contrast, fewer items, spoken prompts when a voice exists."""
        self._session.elder = elder
        QApplication.instance().setStyleSheet(stylesheet(self._sizes, elder))
        stack = self._navigation.stack
        for i in range(stack.count()):
            screen = stack.widget(i)
            if hasattr(screen, "set_elder"):
                screen.set_elder(elder)
        self.speaker.set_enabled(elder)
        self.on_current_changed()

    @Slot()
    def on_current_changed(self, *_args) -> None:
        screen = self._navigation.current()
        if hasattr(screen, "spoken_prompt"):
            self.speaker.say(screen.spoken_prompt())

    def reset_to_default(self) -> None:
        """The next resident starts from the default look and language."""
        if self._session.elder:
            self.set_elder(False)
        if current_language() != "zh_CN":
            install_language(QApplication.instance(), "zh_CN")
