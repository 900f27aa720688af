"""The icons are SVG files in assets/icons that Qt renders: each one draws something, and the
home tiles and the rating faces use them."""

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from kiosk.ui.icons import ICON_DIRS, TILE_ICONS, icon_path
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.theme import Sizes

ICONS = sorted(ICON_DIRS[0].glob("*.svg"))


def painted_share(path: Path) -> float:
    """Share of the pixels of a 64×64 rendering that the icon paints."""
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), path
    renderer.render(painter, QRectF(0, 0, 64, 64))
    painter.end()
    painted = sum(1 for y in range(64) for x in range(64) if image.pixelColor(x, y).alpha() > 0)
    return painted / (64 * 64)


def test_every_tile_and_face_has_its_svg():
    names = {path.stem for path in ICONS}
    assert set(TILE_ICONS.values()) | {f"face-{level}" for level in range(1, 6)} <= names
    assert all(icon_path(name) is not None for name in names)


@pytest.mark.parametrize("path", ICONS, ids=lambda p: p.stem)
def test_each_icon_draws_something_and_stays_inside(qapp, path):
    assert 0.08 < painted_share(path) < 0.9


def test_home_tiles_and_rating_faces_show_their_icons(qtbot):
    sizes = Sizes(1080)
    home = HomeScreen(lambda: datetime(2026, 11, 23, 9), sizes)
    rating = RatingScreen(sizes)
    qtbot.addWidget(home)
    qtbot.addWidget(rating)
    for attribute in TILE_ICONS:
        button = getattr(home, attribute)
        assert not button.icon().isNull(), attribute
        assert button.iconSize().width() >= 48
    home.set_elder(True)
    assert home.take_number.iconSize().width() > sizes.px(56)
    faces = [button.icon() for button in rating.level_buttons.values()]
    assert all(not face.isNull() for face in faces)
    images = {face.pixmap(64, 64).toImage().pixelColor(32, 4).name() for face in faces}
    assert len(images) == 5  # five colours, one per level
