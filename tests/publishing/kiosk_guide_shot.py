"""The kiosk app offscreen from a configuration: its guide screen for one service (in Chinese and in
English) and its technician screen, each saved as a PNG, and the texts of their labels printed as
one JSON object. Run as a process by the publishing end-to-end test:

    python tests/publishing/kiosk_guide_shot.py CONFIG OUT_DIR SERVICE_CODE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def texts(widget) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [label.text() for label in widget.findChildren(QLabel) if label.text()]


def main(config_path: str, out: str, code: str) -> int:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_bridge, main_window
    from kiosk.config import load
    from kiosk.ui import launch, screenshots
    from kiosk.ui.i18n import install_language
    from kiosk.ui.theme import Sizes

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    config = load(config_path)
    app = launch.make_application(offscreen=True)
    sizes = Sizes(800)
    app.setStyleSheet(launch.stylesheet(sizes))
    bridge = build_bridge(config)
    window = main_window(config, bridge, sizes, kiosk_mode=False)
    window.setFixedSize(1280, 800)
    window.show()
    bridge.start()
    seen: dict[str, list[str]] = {}
    try:
        if not screenshots.wait_for(bridge.store.store_opened):
            raise SystemExit("the store did not open within 10 s")
        screenshots.settle(500)
        for language, name in (("zh_CN", "guide"), ("en", "guide-en")):
            install_language(QApplication.instance(), language)
            window.guide_flow.show_guide(code)
            screenshots.settle(400)
            window.grab().save(str(out_dir / f"{name}.png"))
            seen[name] = texts(window.guide_detail)
        install_language(QApplication.instance(), "zh_CN")
        window.stack.setCurrentWidget(window.technician)
        window.technician_access.refresh_status()
        screenshots.settle(1000)
        window.grab().save(str(out_dir / "technician.png"))
        seen["technician"] = texts(window.technician)
    finally:
        bridge.stop()
        window.close()
    print(json.dumps(seen, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
