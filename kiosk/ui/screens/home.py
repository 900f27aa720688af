"""Home: station, date and time, opening hours, and the big "take a number" tile."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import HeaderBar, screen_base


def station_badges(station) -> list[str]:
    badges = []
    if station.noon_open:
        badges.append("中午不打烊")
    if station.extended_hours:
        badges.append("延时服务")
    if station.self_service_24h:
        badges.append("24小时自助")
    return badges


class HomeScreen(QWidget):
    take_number_clicked = Signal()
    guides_clicked = Signal()
    bundles_clicked = Signal()
    stations_clicked = Signal()
    rating_clicked = Signal()

    def __init__(self, clock, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self.header = HeaderBar(clock, sizes)
        self.greeting = QLabel("您好！请选择要办理的业务", objectName="title")
        self.greeting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.take_number = QPushButton("取号\nTake a number", objectName="tile")
        self.take_number.setEnabled(False)
        self.take_number.clicked.connect(self.take_number_clicked)
        self.guides = QPushButton("办事指南\nService guides", objectName="tileLight")
        self.bundles = QPushButton("一件事一次办\nLife events", objectName="tileLight")
        self.stations = QPushButton("附近站点\nNearby stations", objectName="tileLight")
        self.rating = QPushButton("服务评价\nRate the service", objectName="tileLight")
        for button, signal in ((self.guides, self.guides_clicked), (self.bundles, self.bundles_clicked),
                               (self.stations, self.stations_clicked), (self.rating, self.rating_clicked)):
            button.clicked.connect(signal)
            button.setEnabled(False)
        tiles = QGridLayout()
        tiles.setSpacing(sizes.px(24))
        tiles.addWidget(self.take_number, 0, 0, 1, 4)
        for column, button in enumerate((self.guides, self.bundles, self.stations, self.rating)):
            tiles.addWidget(button, 1, column)
        self.status = QLabel("正在准备，请稍候…", objectName="muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        self.notice = QLabel(objectName="notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        body = QVBoxLayout()
        margin = sizes.px(48)
        body.setContentsMargins(margin, margin, margin, margin)
        body.setSpacing(sizes.px(36))
        body.addWidget(self.greeting)
        body.addLayout(tiles)
        body.addWidget(self.status)
        body.addWidget(self.notice)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)

    def on_store_opened(self, station, district_name: str) -> None:
        if station is not None:
            badges = "  ·  ".join(station_badges(station))
            hours = f"办理时间：{station.hours_text()}" + (f"    {badges}" if badges else "")
            self.header.set_station(station.name, hours)
        for button in (self.take_number, self.guides, self.bundles, self.stations, self.rating):
            button.setEnabled(True)
        self.status.setText(f"{district_name} 10分钟政务服务圈" if district_name else "")
        if station is not None and station.address:
            self.notice.setText(f"本站地址：{station.address}" + (f"\n咨询电话：{station.phone}" if station.phone else ""))
            self.notice.show()

    def on_store_failed(self) -> None:
        self.take_number.setEnabled(False)
        self.status.setText("自助取号暂时无法使用，请到服务台人工取号。\nSelf-service is unavailable: please ask at the service desk.")
