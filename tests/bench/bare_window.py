"""The floor for start-up and memory: a bare PySide6 window, timed like the kiosk.

Prints {"first_frame_ms", "rss_mb"} at its first paint; with --stay it keeps running (idle RSS).
"""

import json
import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.ui.launch import process_age_ms, rss_mb

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
app = QApplication(sys.argv[:1])


class Window(QLabel):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print(json.dumps({"first_frame_ms": round(process_age_ms()), "rss_mb": round(rss_mb(), 1)}), flush=True)
            if "--stay" not in sys.argv:
                QTimer.singleShot(0, app.quit)


window = Window("bare")
window.resize(1280, 800)
window.show()
sys.exit(app.exec())
