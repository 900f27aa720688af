"""The kiosk's icons: SVG files in assets/icons (in a checkout) or /usr/share/kiosk/icons (installed).

A missing file gives an empty icon, never an error: a tile without its picture still works.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICON_DIRS = (Path(__file__).resolve().parents[2] / "assets" / "icons", Path("/usr/share/kiosk/icons"))
TILE_ICONS = {"take_number": "take-number", "guides": "guides", "bundles": "bundles", "stations": "stations",
              "rating": "rating", "assistance": "assistance"}


def icon_path(name: str) -> Path | None:
    for folder in ICON_DIRS:
        path = folder / f"{name}.svg"
        if path.is_file():
            return path
    return None


def icon(name: str) -> QIcon:
    path = icon_path(name)
    return QIcon(str(path)) if path is not None else QIcon()


def face_icon(level: int) -> QIcon:
    """The 好差评 face of a level, 5 (非常满意, a wide smile) to 1 (非常不满意, a deep frown)."""
    return icon(f"face-{int(level)}")
