"""Drive a real window through the resident's flow and save a PNG of each screen.

Used under Xvfb by the tests and to refresh docs/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.ui.signal_catcher import SignalCatcher


class ScreenshotError(Exception):
    """The walk through the screens could not be completed."""


def wait_for(signal, timeout_ms: int = 10000) -> bool:
    catcher = SignalCatcher(signal)
    try:
        return catcher.wait(timeout_ms)
    finally:
        catcher.close()


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def cjk_font_present() -> bool:
    return any("wenquanyi" in f.lower() or "cjk" in f.lower() for f in QFontDatabase.families())


def capture(window, bridge, out_dir: Path, prefix: str = "", everything: bool = True) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []

    def shot(name: str) -> None:
        settle()
        path = out_dir / f"{prefix}{name}.png"
        window.grab().save(str(path))
        saved.append(path)

    if not wait_for(bridge.store.store_opened):
        raise ScreenshotError("the store did not open within 10 s")
    settle(500)
    shot("home")
    window.home.take_number.click()
    shot("services")
    first = window.services.service_buttons()[0]
    first.click()
    wait_for(bridge.printer.ticket_printed, 5000) or None
    shot("ticket")
    if not everything:
        return saved
    window.show_keypad()
    for key in "61011319500312":
        window.keypad.press(key)
    shot("id-keypad")
    window.guides.reset()
    window.stack.setCurrentWidget(window.guides)
    for key in "SB":
        window.guides.pad.key(key).click()
    shot("guides")
    window.show_guide("SB-KSL")
    shot("guide-detail")
    window._show(window.bundles)
    window.bundles.bundle_buttons()[0].click()
    shot("bundles")
    window._show(window.stations)
    shot("stations")
    window._show(window.rating)
    shot("rating")
    window.stack.setCurrentWidget(window.assistance)
    shot("assistance")
    window.message.show_refusal("numbers_exhausted")
    window.stack.setCurrentWidget(window.message)
    shot("message")
    window.show_home()
    window.idle_prompt.start(15)
    shot("idle-prompt")
    window.idle_prompt.cancel()
    window.show_pin()
    shot("technician-pin")
    window.stack.setCurrentWidget(window.technician)
    window.bridge.technician_status_requested.emit()
    settle(800)
    shot("technician")
    QApplication.processEvents()
    return saved
