"""Receiving a worker's signal on the UI thread, and waiting for it there.

A lambda connected to a worker's signal runs on the worker's thread; a QObject's method is queued
to the thread the object lives on. This object lives on the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal


class SignalCatcher(QObject):
    received = Signal()

    def __init__(self, signal):
        super().__init__()
        self.args: list | None = None
        self._signal = signal
        signal.connect(self.on_signal)

    def on_signal(self, *args) -> None:
        self.args = list(args)
        self.received.emit()

    def wait(self, timeout_ms: int) -> bool:
        """Run the UI thread's events until the signal has arrived or ``timeout_ms`` passed."""
        if self.args is None:
            loop = QEventLoop()
            self.received.connect(loop.quit)
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        return self.args is not None

    def close(self) -> None:
        self._signal.disconnect(self.on_signal)
