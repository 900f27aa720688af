"""Nearby service stations: the walking map and a list sorted by walking minutes.

Each row: name, address, minutes on foot, opening hours, badges (中午不打烊 / 延时服务 / 24小时自助),
people waiting when known, and how many services it offers. Landscape puts the list beside the
map, portrait below it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy,
                               QVBoxLayout, QWidget)

from kiosk.domain.walking import WALKING_M_PER_MIN, haversine_m, walking_minutes
from kiosk.ui.i18n import shown
from kiosk.ui.station_map import StationMap
from kiosk.ui.widgets import Retranslating, screen_base, station_badges, station_hours, title_label

translate = QCoreApplication.translate


def by_walking_minutes(stations, here_station_id: str, speed: float = WALKING_M_PER_MIN) -> list[tuple[int, object]]:
    """(minutes, station) with this station first (0 minutes), then the nearest."""
    stations = list(stations)
    here = next((s for s in stations if s.id == here_station_id), None)
    if here is None:
        return [(0, s) for s in stations]
    rows = [(0 if s is here else walking_minutes(haversine_m(here.lat, here.lon, s.lat, s.lon), speed), s)
            for s in stations]
    return sorted(rows, key=lambda row: (row[1] is not here, row[0], row[1].name))


class BadgeRow(QWidget):
    """The station's badges, as many to a line as its width takes (long English ones, large in elder
    mode, go on to a second line instead of widening the row past the screen)."""

    def __init__(self, badges: list[QLabel], spacing: int, parent=None):
        super().__init__(parent)
        self.badges = badges
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._rows: list[list[QLabel]] = []
        self.place()

    def place(self) -> None:
        width, spacing = max(self.width(), 1), self.grid.horizontalSpacing()
        rows: list[list[QLabel]] = [[]]
        used = 0
        for badge in self.badges:
            need = badge.sizeHint().width()
            if rows[-1] and used + spacing + need > width:
                rows.append([])
                used = 0
            used += (spacing if rows[-1] else 0) + need
            rows[-1].append(badge)
        if rows == self._rows:
            return
        for badge in self.badges:
            self.grid.removeWidget(badge)
        for r, row in enumerate(rows):
            for c, badge in enumerate(row):
                self.grid.addWidget(badge, r, c)
        columns = max(len(row) for row in rows)
        for c in range(max([columns] + [len(row) for row in self._rows]) + 1):
            self.grid.setColumnStretch(c, 1 if c == columns else 0)
        self._rows = rows

    def lines(self) -> list[list[str]]:
        return [[badge.text() for badge in row] for row in self._rows]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a badge's text or style changed its size
            self.place()
        return super().event(event)


class StationRow(Retranslating, QWidget):
    def __init__(self, sizes, station, minutes: int, is_here: bool, parent=None):
        super().__init__(parent)
        self.setObjectName("stationCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.station_id = station.id
        self.minutes = minutes
        self._station = station
        self._is_here = is_here
        px = sizes.px
        self.name = QLabel(objectName="cardTitle")
        self.name.setWordWrap(True)
        self.address = QLabel(objectName="muted")
        self.address.setWordWrap(True)
        self.address.setVisible(bool(station.address))
        self.walk = QLabel(objectName="minutes")
        self.walk.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.walk.setFixedWidth(px(150))
        self.walk.setWordWrap(True)
        self.hours = QLabel()
        self.hours.setWordWrap(True)
        self.offered = QLabel(objectName="muted")
        self.offered.setWordWrap(True)
        self.badges = [QLabel(text, objectName="badge") for text in station_badges(station)]
        self.badge_row = BadgeRow(self.badges, px(10))
        text = QVBoxLayout()
        text.setSpacing(px(6))
        text.addWidget(self.name)
        text.addWidget(self.address)
        text.addWidget(self.hours)
        if self.badges:
            text.addWidget(self.badge_row)
        text.addWidget(self.offered)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(px(16), px(14), px(22), px(14))
        layout.setSpacing(px(16))
        layout.addWidget(self.walk)
        layout.addLayout(text, 1)
        self.waiting_count = None
        self.retranslate()

    def retranslate(self) -> None:
        station = self._station
        self.name.setText(shown(station).name)
        self.address.setText(shown(station).address)
        self.walk.setText(translate("StationsScreen", "本站") if self._is_here
                          else translate("StationsScreen", "{n}\n分钟").format(n=self.minutes))
        self.hours.setText(station_hours(station).replace("; ", "\n").replace("；", "\n") if station.hours
                           else translate("StationsScreen", "办理时间请电话咨询"))
        for label, text in zip(self.badges, station_badges(station)):
            label.setText(text)
        self.badge_row.place()
        self.set_waiting(self.waiting_count)

    def set_waiting(self, count: int | None) -> None:
        self.waiting_count = count
        offered = (translate("StationsScreen", "可办 1 项事项") if len(self._station.services) == 1
                   else translate("StationsScreen", "可办 {n} 项事项").format(n=len(self._station.services)))
        waiting = "" if count is None else translate("StationsScreen", " · 当前等候 {n} 人").format(n=count)
        self.offered.setText(offered + waiting)


class StationsScreen(Retranslating, QWidget):
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        px = sizes.px
        self._sizes = sizes
        self._waiting: dict[str, int] = {}
        self.rows: list[StationRow] = []
        self.title = title_label()
        self.home = QPushButton()
        self.home.clicked.connect(self.home_clicked)
        self.map = StationMap(sizes)
        self.caption = QLabel(objectName="hint")
        self.caption.setWordWrap(True)
        list_host = QWidget(objectName="transparent")
        self.list_layout = QVBoxLayout(list_host)
        self.list_layout.setContentsMargins(0, 0, px(12), 0)
        self.list_layout.setSpacing(px(14))
        self.list = QScrollArea(objectName="touchScroll")
        self.list.setWidgetResizable(True)
        self.list.setWidget(list_host)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        map_column = QVBoxLayout()
        map_column.setSpacing(px(8))
        map_column.addWidget(self.map, 1)
        map_column.addWidget(self.caption)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(px(30))
        self.body.addLayout(map_column, 1)
        self.body.addWidget(self.list, 1)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.home)
        layout = QVBoxLayout(self)
        margin = px(36)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(px(20))
        layout.addLayout(top)
        layout.addLayout(self.body, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("StationsScreen", "附近的便民服务站 · 步行可达"))
        self.home.setText(translate("StationsScreen", "返回首页"))
        self.caption.setText(translate("StationsScreen", "圆圈：步行5、10、15分钟（按每分钟{speed}米直线估算）")
                             .format(speed=f"{WALKING_M_PER_MIN:.0f}"))

    def set_elder(self, elder: bool) -> None:
        self.map.set_elder(elder)

    def spoken_prompt(self) -> str:
        return translate("StationsScreen", "附近的便民服务站 · 步行可达")

    def set_stations(self, stations, here_station_id: str) -> None:
        stations = list(stations)
        self.map.set_stations(stations, here_station_id)
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.rows = []
        for minutes, station in by_walking_minutes(stations, here_station_id):
            row = StationRow(self._sizes, station, minutes, station.id == here_station_id)
            row.set_waiting(self._waiting.get(station.id))
            self.list_layout.addWidget(row)
            self.rows.append(row)
        self.list_layout.addStretch(1)

    def set_waiting(self, counts: dict[str, int]) -> None:
        """People waiting per station id, when the district tells us; unknown stations show none."""
        self._waiting = dict(counts)
        for row in self.rows:
            row.set_waiting(self._waiting.get(row.station_id))

    def ordered_ids(self) -> list[str]:
        return [row.station_id for row in self.rows]

    def resizeEvent(self, event) -> None:
        portrait = self.height() > self.width()
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)
