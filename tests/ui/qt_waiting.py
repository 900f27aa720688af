"""Waiting in tests for signals that workers emit on their own threads."""

from contextlib import contextmanager

from kiosk.ui.signal_catcher import SignalCatcher


@contextmanager
def caught(qtbot, signal, timeout=10000):
    """Like qtbot.waitSignal, for signals emitted on worker threads.

    qtbot.waitSignal's own callback would run on the worker's thread and race the UI thread's
    wait loop (seen as a test that never ends); this waits for the UI thread to receive it.
    """
    catcher = SignalCatcher(signal)
    try:
        yield catcher
        qtbot.waitUntil(lambda: catcher.args is not None, timeout=timeout)
    finally:
        catcher.close()
