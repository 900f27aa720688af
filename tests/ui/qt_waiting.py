"""Waiting in tests for signals that workers emit on their own threads."""

from contextlib import contextmanager

from PySide6.QtCore import QObject


class _Catcher(QObject):
    """Receives a worker's signal on the UI thread: a QObject's method is queued to its thread."""

    def __init__(self):
        super().__init__()
        self.args = None

    def on_signal(self, *args):
        self.args = list(args)


@contextmanager
def caught(qtbot, signal, timeout=10000):
    """Like qtbot.waitSignal, for signals emitted on worker threads.

    qtbot.waitSignal's own callback would run on the worker's thread and race the UI thread's
    wait loop (seen as a test that never ends); this waits for the UI thread to receive it.
    """
    catcher = _Catcher()
    signal.connect(catcher.on_signal)
    try:
        yield catcher
        qtbot.waitUntil(lambda: catcher.args is not None, timeout=timeout)
    finally:
        signal.disconnect(catcher.on_signal)
