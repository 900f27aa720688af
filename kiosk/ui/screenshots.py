"""Drive a real window through the resident's flow and save a PNG of each screen.

Used under Xvfb by the tests and to refresh docs/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.ui.elder_audit import audit, measure
from kiosk.ui.i18n import install_language
from kiosk.ui.signal_catcher import SignalCatcher


class ScreenshotError(Exception):
    """The walk through the screens could not be completed."""

    kind = "screenshots_not_taken"  # the command's exit code 1 (kiosk/commands/cli.py)


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


# Folder (under the output folder) -> language and elder mode of that walk.
VARIANTS = {"": ("zh_CN", False), "en": ("en", False), "elder": ("zh_CN", True), "en-elder": ("en", True)}


def capture(window, bridge, out_dir: Path, everything: bool = True) -> list[Path]:
    """Walk every screen in Chinese, in English (``en/``), in elder mode (``elder/``) and in elder mode
    in English (``en-elder/``); the elder walks are checked against the 适老化 figures."""
    if not wait_for(bridge.store.store_opened):
        raise ScreenshotError("the store did not open within 10 s")
    settle(500)
    saved: list[Path] = []
    try:
        for folder, (language, elder) in VARIANTS.items():
            install_language(QApplication.instance(), language)
            window.set_elder(elder)
            saved += walk(window, bridge, out_dir / folder if folder else out_dir, everything)
            if not everything:
                break
    finally:
        window.reset_for_next_resident()
    QApplication.processEvents()
    return saved


def walk(window, bridge, out_dir: Path, everything: bool) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    elder = window.session.elder
    problems: list[str] = []
    figures: list[str] = ["screen\tmain text px\tbody text px\ttarget px\tcontrast"]

    def shot(name: str) -> None:
        settle()
        path = out_dir / f"{name}.png"
        window.grab().save(str(path))
        saved.append(path)
        need, have = window.stack.currentWidget().minimumSizeHint(), window.stack.size()
        if need.height() > have.height() or need.width() > have.width():
            raise ScreenshotError(f"{out_dir.name}/{name}.png: the screen needs {need.width()}×{need.height()} px, the window has "
                                  f"{have.width()}×{have.height()}")
        if elder:
            prompt = window.idle_flow.prompt
            shown = prompt if prompt.isVisible() else window.stack.currentWidget()  # the prompt covers the screen
            problems.extend(f"{out_dir.name}/{name}: {problem}" for problem in audit(shown))
            measured = measure(shown)
            figures.append("\t".join([name, *(str(v) for v in measured.values())]))

    window.show_home()
    shot("home")
    window.home.take_number.click()
    shot("services")
    with_ticket = SignalCatcher(bridge.store.ticket_issued)
    printed = SignalCatcher(window.ticket_flow.print_finished)
    window.services.service_buttons()[0].click()
    with_ticket.wait(5000)
    with_ticket.close()
    printed.wait(5000)
    printed.close()
    shot("ticket")
    if not everything or with_ticket.args is None:
        return saved
    ticket = with_ticket.args[0]
    window.ticket_flow.show_keypad()
    for key in "61011319500312":
        window.keypad.press(key)
    shot("id-keypad")
    window.guides.reset()
    window.stack.setCurrentWidget(window.guides)
    shot("guides")  # the whole list: the longest names, the most rows
    for key in "SB":
        window.guides.pad.key(key).click()
    shot("guides-initials")
    window.guide_flow.show_guide("SB-KSL")
    shot("guide-detail")
    window.navigation.show_fresh("bundles")
    window.bundles.bundle_buttons()[0].click()
    shot("bundles")
    window.navigation.show_fresh("stations")
    shot("stations")
    window.navigation.show_fresh("rating")
    shot("rating")
    window.rating.start_with_number(ticket.number)
    for key in "48291":
        window.rating.code_entry.press(key)
    shot("rating-code")
    window.rating.code_entry.press("3")
    # the server's answers, as the rating flow shows them (the walk has no counter to serve the ticket)
    window.rating.code_entry.ok.click()
    window.rating.show_check_passed({"ticket_id": ticket.ticket_id, "number": ticket.number,
                                     "station_id": ticket.station_id, "service_code": ticket.service_code})
    shot("rating-levels")
    window.rating.choose_level(2)
    shot("rating-reasons")
    for key in "138":  # a phone number begun: the hint under it takes room from the pad
        window.rating.phone_pad.key(key).click()
    shot("rating-reasons-phone")
    window.rating.start_with_number(ticket.number)
    window.rating.show_refusal("not_served")
    shot("rating-refused")
    window.rating.show_cannot_check()
    shot("rating-unchecked")
    window.navigation.show_fresh("assistance")
    shot("assistance")
    window.message.show_refusal("numbers_exhausted")
    window.stack.setCurrentWidget(window.message)
    shot("message")
    window.show_home()
    window.idle_flow.prompt.start(15)
    shot("idle-prompt")
    window.idle_flow.prompt.cancel()
    window.home.set_invitations([ticket.number])  # as after the counter marks it served
    shot("home-invitation")
    window.home.set_invitations([])
    window.technician_access.show_pin()
    shot("technician-pin")
    window.stack.setCurrentWidget(window.technician)
    window.technician_access.refresh_status()
    settle(800)
    shot("technician")
    window.show_home()
    if elder:
        (out_dir / "elder-figures.tsv").write_text("\n".join(figures) + "\n", encoding="utf-8")
    if problems:
        raise ScreenshotError("elder mode misses the 适老化 figures:\n  " + "\n  ".join(problems))
    return saved
