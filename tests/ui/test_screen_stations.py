"""Nearby stations: sorted by walking minutes, badges and waiting counts, and a map that paints."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from kiosk.config import DEMO_CONFIG, load
from kiosk.domain.catalogue import Station
from kiosk.store.catalogue import read_catalogue_file
from kiosk.ui.screens.stations import StationsScreen
from kiosk.ui.station_map import MAP_BACKGROUND, StationMap, short_name
from kiosk.ui.theme import Sizes, stylesheet


@pytest.fixture(scope="module")
def stations():
    data = read_catalogue_file(load(str(DEMO_CONFIG)).catalogue.file)
    return [Station.from_dict(s) for s in data["stations"]]


def build(qtbot, size, stations):
    sizes = Sizes(min(size))
    screen = StationsScreen(sizes)
    screen.setStyleSheet(stylesheet(sizes))
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    screen.set_stations(stations, "yt-xiaozhai")
    qtbot.waitUntil(lambda: all(row.isVisible() for row in screen.rows), timeout=2000)
    return screen


@pytest.fixture
def screen(qtbot, stations):
    return build(qtbot, (1920, 1080), stations)


def test_list_starts_here_then_sorted_by_walking_minutes(screen):
    assert screen.ordered_ids()[0] == "yt-xiaozhai"
    minutes = [row.minutes for row in screen.rows]
    assert minutes[0] == 0 and minutes == sorted(minutes)
    assert screen.ordered_ids()[1:4] == ["yt-xz-bank", "yt-xz-xinghua", "yt-xz-dahua"]
    assert screen.ordered_ids()[-1] == "yt-yuhuazhai"
    assert screen.rows[0].walk.text() == "本站"
    assert screen.rows[1].walk.text() == f"{screen.rows[1].minutes}\n分钟"
    assert 4 <= screen.rows[1].minutes <= 8


def test_rows_show_hours_badges_and_services_offered(screen):
    here = screen.rows[0]
    assert "周一至周五 09:00-17:30" in here.hours.text() and "周六 09:00-12:00" in here.hours.text()
    assert [b.text() for b in here.badges] == ["中午不打烊", "延时服务", "24小时自助"]
    assert here.offered.text() == "可办 19 项事项"
    bank = screen.rows[screen.ordered_ids().index("yt-xz-bank")]
    assert [b.text() for b in bank.badges] == ["24小时自助"] and "可办 3 项" in bank.offered.text()


def test_waiting_counts_appear_where_known(screen, stations):
    screen.set_waiting({"yt-xiaozhai": 7, "yt-dayanta": 0})
    by_id = dict(zip(screen.ordered_ids(), screen.rows))
    assert "当前等候 7 人" in by_id["yt-xiaozhai"].offered.text()
    assert "当前等候 0 人" in by_id["yt-dayanta"].offered.text()
    assert "等候" not in by_id["yt-xz-bank"].offered.text()
    screen.set_stations(stations, "yt-xiaozhai")  # a catalogue update keeps the known counts
    assert "当前等候 7 人" in screen.rows[0].offered.text()


def test_home(qtbot, screen):
    assert screen.home.height() >= Sizes(1080).px(60)
    with qtbot.waitSignal(screen.home_clicked):
        qtbot.mouseClick(screen.home, Qt.MouseButton.LeftButton)


def painted_share(widget):
    image = widget.grab().toImage()
    background = QColor(MAP_BACKGROUND).rgb()
    step = 7
    samples = [(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)]
    return sum(image.pixel(x, y) != background for x, y in samples) / len(samples)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_map_paints_rings_and_stations_at_both_orientations(qtbot, stations, size):
    screen = build(qtbot, size, stations)
    assert screen.map.width() > 300 and screen.map.height() > 300
    share = painted_share(screen.map)
    assert 0.15 < share < 0.95  # rings, pins and labels, but not a blank or a solid block
    image = screen.map.grab().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert centre.red() > 150 and centre.green() < 100  # the red star of this station
    if size[1] > size[0]:
        assert screen.map.geometry().bottom() < screen.list.geometry().top()
    else:
        assert screen.map.geometry().right() < screen.list.geometry().left()


def test_map_without_stations_says_so(qtbot):
    station_map = StationMap(Sizes(800))
    qtbot.addWidget(station_map)
    station_map.resize(600, 600)
    station_map.set_stations([], "yt-xiaozhai")
    assert 0 < painted_share(station_map) < 0.1


def test_short_names_for_labels():
    assert short_name("兴善寺东街社区便民服务站") == "兴善寺东街社区"
    assert short_name("长安中路银行网点政务服务驿站") == "长安中路银行网点"
    assert short_name("便民服务中心") == "便民服务中心"
