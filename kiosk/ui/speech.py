"""Spoken prompts for 长辈模式, by an offline speech engine (espeak-ng) when one is installed.

The engine runs as a child process (QProcess), so the UI thread never waits for it; a new prompt
cuts the one still speaking. Without espeak-ng on PATH, or outside elder mode, nothing is spoken
and nothing complains.
"""

from __future__ import annotations

import logging
import re
import shutil

from PySide6.QtCore import QObject, QProcess

from kiosk.ui.i18n import current_language

log = logging.getLogger(__name__)

PROGRAM = "espeak-ng"
# Mandarin is espeak-ng's cmn-latn-pinyin voice: its plain cmn voice (1.51) reads every syllable of
# tone 2, 3 or 4 as English with its tone digit (drivers/voice.py has the evidence).
VOICES = {"zh_CN": "cmn-latn-pinyin", "en": "en-us"}
ELDER_WORDS_PER_MINUTE = 120  # slower than the engine's 175 for older residents
TAGS = re.compile(r"<[^>]+>")


class Speaker(QObject):
    def __init__(self, parent=None, program: str = PROGRAM):
        super().__init__(parent)
        self._program = program
        self._enabled = False
        self._process: QProcess | None = None

    def available(self) -> bool:
        """Whether the speech engine is installed (looked up on PATH each time)."""
        return shutil.which(self._program) is not None

    def set_enabled(self, enabled: bool) -> None:
        """On in elder mode only; turning it off stops what is being said."""
        self._enabled = enabled
        if not enabled:
            self.stop()

    def is_enabled(self) -> bool:
        return self._enabled

    def voice(self) -> str:
        return VOICES.get(current_language(), VOICES["zh_CN"])

    def say(self, text: str) -> bool:
        """Start speaking ``text`` in the current language; False when nothing was started."""
        text = " ".join(TAGS.sub("", text or "").split())
        if not self._enabled or not text:
            return False
        path = shutil.which(self._program)
        if path is None:
            return False
        self.stop()
        process = QProcess(self)
        process.setProgram(path)
        process.setArguments(["-v", self.voice(), "-s", str(ELDER_WORDS_PER_MINUTE), "--", text])
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        process.start()
        self._process = process
        return True

    def speaking(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    def _on_finished(self, *_args) -> None:
        process = self.sender()
        if process is None:
            return
        if self._process is process:
            self._process = None
        process.deleteLater()

    def _on_error(self, error) -> None:
        log.info("speech engine failed: %s", error)

    def stop(self) -> None:
        """Cut the prompt being spoken, if any."""
        process, self._process = self._process, None
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
            process.waitForFinished(200)
