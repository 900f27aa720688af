"""The demo's device panel stands in front of the kiosk window on a bare X server (Xvfb, no window
manager), where the window shown last covers the others."""

import shutil
import subprocess
import sys

from kiosk_process import PROJECT

SCRIPT = r"""
import sys
from PySide6.QtWidgets import QApplication, QWidget
from kiosk.ui.demo_panel import DemoPanel

app = QApplication(sys.argv)
panel = DemoPanel(bridge=None)
panel.move(1000, 100)
panel.show()  # the panel shown first, then the kiosk window over it: what the demo used to do
window = QWidget()
window.setGeometry(0, 0, 1280, 800)
window.show()
for _ in range(20):
    app.processEvents()
center = panel.geometry().center()
before = QApplication.topLevelAt(center) is panel
panel.show_beside(window)
for _ in range(20):
    app.processEvents()
after = QApplication.topLevelAt(panel.geometry().center()) is panel
inside = panel.frameGeometry().right() <= window.screen().availableGeometry().right()
print(f"before={before} after={after} inside={inside}")
"""


def test_the_device_panel_is_raised_over_the_kiosk_window(kiosk_env):
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: `bash packaging/install-deps --test` installs it"
    env = dict(kiosk_env, QT_QPA_PLATFORM="xcb")
    env.pop("DISPLAY", None)
    result = subprocess.run([xvfb_run, "-a", "-s", "-screen 0 1366x768x24", sys.executable, "-c", SCRIPT],
                            env=env, cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-3:] == ["before=False", "after=True", "inside=True"], result.stdout
