"""Start the Qt application: fonts and theme, the window, first-frame timing, clean shutdown."""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import FONT_FAMILIES, Sizes, stylesheet


def process_age_ms() -> float:
    """Milliseconds since this process started (from /proc; falls back to interpreter start)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rpartition(")")[2].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000)
    except (OSError, ValueError, IndexError):
        return time.perf_counter() * 1000


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_application(offscreen: bool) -> QApplication:
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    app.setFont(font)
    return app


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def run_window(app: QApplication, window_factory, bridge, *, fullscreen: bool, size: tuple[int, int],
               quit_after_first_frame: bool) -> int:
    """Show the window, start the workers after its first frame, run until quit, stop the workers."""
    short_side = min(size) if not fullscreen else min(app.primaryScreen().size().toTuple())
    width, height = size if not fullscreen else app.primaryScreen().size().toTuple()
    sizes = Sizes(short_side, portrait=height > width)
    app.setStyleSheet(stylesheet(sizes))
    window = window_factory(sizes)

    def on_first_frame():
        if quit_after_first_frame:
            print(json.dumps({"first_frame_ms": round(process_age_ms()), "rss_mb": round(rss_mb(), 1)}), flush=True)
            QTimer.singleShot(0, lambda: app.exit(0))  # exit(): the kiosk-mode window refuses quit()'s close
            return
        QTimer.singleShot(0, bridge.start)

    window.first_frame_painted.connect(on_first_frame)
    for signum in (signal.SIGTERM, signal.SIGINT):
        # exit(), not quit(): in Qt 6 quit() first asks every window to close, and the kiosk
        # window refuses in kiosk mode, which would leave systemd's stop hanging.
        signal.signal(signum, lambda *_: app.exit(0))
    wake = QTimer(interval=250)  # lets Python run its signal handlers while Qt waits
    wake.timeout.connect(lambda: None)
    wake.start()
    from kiosk.qt.watchdog import start_watchdog

    watchdog = start_watchdog(app)  # noqa: F841 (kept alive while the event loop runs)
    if fullscreen:
        window.showFullScreen()
    else:
        window.setFixedSize(*size)  # the window stands for a kiosk screen of that size
        window.show()
    try:
        return app.exec()
    finally:
        wake.stop()
        bridge.stop()
        window.allow_close = True
        window.close()
