"""Home: station, date and time, opening hours, the big "take a number" tile, and the switches for
language (中文 / English) and 长辈模式 (elder mode: fewer, larger tiles). Tickets the counters have
just served are invited to rate the service, one button each."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolButton,
                               QVBoxLayout, QWidget)

from kiosk.ui.i18n import LANGUAGE_NAMES, other_language, pick, shown
from kiosk.ui.icons import TILE_ICONS, icon
from kiosk.ui.widgets import HeaderBar, Retranslating, screen_base, station_badges, station_hours

__all__ = ["HomeScreen", "station_badges"]


translate = QCoreApplication.translate
INVITATIONS_SHOWN = 3


PRINTER_WORDS = {
    "paper_out": QT_TRANSLATE_NOOP("HomeScreen", "打印机缺纸：仍可取号，号码和二维码会显示在屏幕上，请用手机拍下。"),
    "other": QT_TRANSLATE_NOOP("HomeScreen", "打印机暂不可用：仍可取号，号码和二维码会显示在屏幕上，请用手机拍下。"),
}

def _tile(name: str) -> QToolButton:
    """A home tile: its icon above its words, as wide as its column."""
    tile = QToolButton(objectName=name)
    tile.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
    tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return tile


class HomeScreen(Retranslating, QWidget):
    take_number_clicked = Signal()
    guides_clicked = Signal()
    bundles_clicked = Signal()
    stations_clicked = Signal()
    rating_clicked = Signal()
    assistance_clicked = Signal()
    language_toggled = Signal()
    elder_mode_toggled = Signal()
    rate_ticket_clicked = Signal(str)  # the number of a ticket just served

    def __init__(self, clock, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self._elder = False
        self._station = None
        self._district = ""
        self._district_en = ""
        self._failed = False
        self._store_lost = False
        self._opened = False
        self.header = HeaderBar(clock, sizes)
        self.greeting = QLabel(objectName="title")
        self.greeting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.greeting.setWordWrap(True)
        self.take_number = _tile("tile")
        self.take_number.setEnabled(False)
        self.take_number.clicked.connect(self.take_number_clicked)
        self.guides = _tile("tileLight")
        self.bundles = _tile("tileLight")
        self.stations = _tile("tileLight")
        self.rating = _tile("tileLight")
        self.assistance = _tile("tileLight")
        self.assistance.clicked.connect(self.assistance_clicked)
        self.assistance.setEnabled(False)
        for button, signal in ((self.guides, self.guides_clicked), (self.bundles, self.bundles_clicked),
                               (self.stations, self.stations_clicked), (self.rating, self._on_rating_tile)):
            button.clicked.connect(signal)
            button.setEnabled(False)
        for attribute, name in TILE_ICONS.items():
            getattr(self, attribute).setIcon(icon(name))
        self.elder = QPushButton(objectName="mode")
        self.elder.clicked.connect(self.elder_mode_toggled)
        self.language = QPushButton(objectName="mode")
        self.language.setProperty("endonym", True)  # always the language's own name: 中文 / English
        self.language.clicked.connect(self.language_toggled)
        self.tiles = QGridLayout()
        self.tiles.setSpacing(sizes.px(24))
        self.modes = self.header.actions
        self.modes.addWidget(self.elder)
        self.modes.addWidget(self.language)
        self.status = QLabel(objectName="muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        self.notice = QLabel(objectName="notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.printer_notice = QLabel(objectName="printWarn")  # said before a number is taken
        self.printer_notice.setWordWrap(True)
        self.printer_notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.printer_notice.hide()
        self._printer_problem: str | None = None
        self.invite_text = QLabel(objectName="sectionTitle")
        self.invite_text.setWordWrap(True)
        self.invite_buttons = [QPushButton(objectName="primary") for _ in range(INVITATIONS_SHOWN)]
        self.invitation = QWidget(objectName="transparent")
        invite_row = QHBoxLayout(self.invitation)
        invite_row.setContentsMargins(0, 0, 0, 0)
        invite_row.setSpacing(sizes.px(20))
        invite_row.addWidget(self.invite_text, 1)
        for button in self.invite_buttons:
            button.clicked.connect(lambda _=False, b=button: self.rate_ticket_clicked.emit(b.property("number")))
            invite_row.addWidget(button)
        self.invitation.hide()
        self._invited: list[str] = []
        self._sizes = sizes
        self.body = body = QVBoxLayout()
        margin = sizes.px(48)
        body.setContentsMargins(margin, margin, margin, margin)
        body.setSpacing(sizes.px(36))
        body.addWidget(self.greeting)
        body.addLayout(self.tiles)
        body.addWidget(self.printer_notice)
        body.addWidget(self.invitation)
        body.addWidget(self.status)
        body.addWidget(self.notice)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        self._place_tiles()
        self._size_icons()
        self.retranslate()

    def on_store_opened(self, station, district_name: str, district_name_en: str = "") -> None:
        self._station = station
        self._district = district_name
        self._district_en = district_name_en
        self._failed = False
        self._opened = True
        self.header.set_issuing(True)
        for button in (self.take_number, self.guides, self.bundles, self.stations, self.rating, self.assistance):
            button.setEnabled(True)
        self._show_station()

    def on_store_failed(self, kind: str = "") -> None:
        """Out of service: numbers only at the desk. A lost store also tells the technician the step."""
        self._failed = True
        self._store_lost = kind == "store_lost"
        self.header.set_issuing(False)
        self.take_number.setEnabled(False)
        self._show_station()

    def set_invitations(self, numbers: list[str]) -> None:
        """Tickets just served, newest first: each gets a button that opens its rating."""
        self._invited = list(numbers[:INVITATIONS_SHOWN])
        for index, button in enumerate(self.invite_buttons):
            number = self._invited[index] if index < len(self._invited) else None
            button.setProperty("number", number)
            button.setText(number or "")
            button.setVisible(number is not None)
        self.retranslate()

    def _on_rating_tile(self, *_args) -> None:
        """In elder mode the rating tile carries the newest invitation: one large target, no extra row."""
        if self._elder and self._invited:
            self.rate_ticket_clicked.emit(self._invited[0])
        else:
            self.rating_clicked.emit()

    def _show_extras(self) -> None:
        """The district line and the address make room for an invitation to rate (and for elder mode)."""
        plain = not self._elder and not self._invited
        self.invitation.setVisible(bool(self._invited) and not self._elder)  # elder: on the rating tile
        self.status.setVisible(plain or self._failed)
        self.notice.setVisible(plain and self._station is not None and bool(self._station.address))

    def invitations(self) -> list[str]:
        return list(self._invited)

    def set_elder(self, elder: bool) -> None:
        """长辈模式: take a number, guides, rating and the way back, each large; nothing else."""
        self._elder = elder
        self._size_icons()
        margin = self._sizes.px(32 if elder else 48)
        self.body.setContentsMargins(margin, margin, margin, margin)
        self.body.setSpacing(self._sizes.px(24 if elder else 36))
        self._place_tiles()
        self.retranslate()

    def _size_icons(self) -> None:
        """Elder tiles are wide with a few large words: the icon goes beside them, saving height."""
        side = self._sizes.px(80 if self._elder else 64)
        style = Qt.ToolButtonStyle.ToolButtonTextBesideIcon if self._elder else Qt.ToolButtonStyle.ToolButtonTextUnderIcon
        for attribute in TILE_ICONS:
            getattr(self, attribute).setIconSize(QSize(side, side))
            getattr(self, attribute).setToolButtonStyle(style)

    def is_elder(self) -> bool:
        return self._elder

    def visible_tiles(self) -> list[QPushButton]:
        return [b for b in (self.take_number, self.guides, self.bundles, self.stations, self.rating,
                            self.assistance, self.elder, self.language) if not b.isHidden()]

    def set_printer_problem(self, reason: str | None) -> None:
        """None: the printer is ready; else why not (paper_out, cover_open, offline, ...)."""
        self._printer_problem = reason
        self.printer_notice.setVisible(reason is not None)
        self._show_printer_problem()

    def _show_printer_problem(self) -> None:
        if self._printer_problem is None:
            return
        words = PRINTER_WORDS["paper_out"] if self._printer_problem == "paper_out" else PRINTER_WORDS["other"]
        self.printer_notice.setText(translate("HomeScreen", words))

    def spoken_prompt(self) -> str:
        return translate("HomeScreen", "您好！请选择要办理的业务")

    def retranslate(self) -> None:
        self.greeting.setText(translate("HomeScreen", "您好！请选择要办理的业务"))
        if self._elder:  # one language per tile: less to read
            self.take_number.setText(translate("HomeScreen", "取号"))
            self.guides.setText(translate("HomeScreen", "办事指南"))
            self.rating.setText(translate("HomeScreen", "服务评价\n{number} 号请评价").format(number=self._invited[0])
                                if self._invited else translate("HomeScreen", "服务评价"))
        else:
            self.take_number.setText(translate("HomeScreen", "取号\nTake a number"))
            self.guides.setText(translate("HomeScreen", "办事指南\nService guides"))
            self.rating.setText(translate("HomeScreen", "服务评价\nRate the service"))
        self.bundles.setText(translate("HomeScreen", "一件事一次办\nLife events"))
        self.assistance.setText(translate("HomeScreen", "帮办代办") if self._elder
                                else translate("HomeScreen", "帮办代办\nAsk for help"))
        self.stations.setText(translate("HomeScreen", "附近站点\nNearby stations"))
        self.elder.setText(translate("HomeScreen", "返回普通模式") if self._elder else translate("HomeScreen", "长辈模式"))
        self.language.setText(LANGUAGE_NAMES[other_language()])
        self.invite_text.setText(translate("HomeScreen", "刚办完业务？请点您的号码，为本次服务评价："))
        self._show_printer_problem()
        self._show_station()

    def _show_station(self) -> None:
        station = shown(self._station) if self._station is not None else None
        if station is not None:
            badges = "  ·  ".join(station_badges(station))
            hours = translate("HomeScreen", "办理时间：{hours}").format(hours=station_hours(station))
            self.header.set_station(station.name, hours + (f"\n{badges}" if badges and not self._elder else ""))
        if self._failed and self._store_lost:
            self.status.setText(translate("HomeScreen", "本机暂停取号，请到服务台人工取号。\n"
                                          "技术人员：本机的号码记录丢失，请运行 kiosk store recover 恢复后再开机。"))
        elif self._failed:
            self.status.setText(translate("HomeScreen", "自助取号暂时无法使用，请到服务台人工取号。\n"
                                   "Self-service is unavailable: please ask at the service desk."))
        elif self._opened:
            district = pick(self._district, self._district_en)
            self.status.setText(translate("HomeScreen", "{district} 10分钟政务服务圈").format(district=district)
                                if district else "")
        else:
            self.status.setText(translate("HomeScreen", "正在准备，请稍候…"))
        if station is not None and station.address:
            text = translate("HomeScreen", "本站地址：{address}").format(address=station.address)
            if station.phone:
                text += "\n" + translate("HomeScreen", "咨询电话：{phone}").format(phone=station.phone)
            self.notice.setText(text)
        self._show_extras()

    def _place_tiles(self) -> None:
        for button in (self.take_number, self.guides, self.bundles, self.stations, self.rating, self.assistance,
                       self.elder):
            self.tiles.removeWidget(button)
            self.modes.removeWidget(button)
        if self._elder:
            self.tiles.addWidget(self.take_number, 0, 0, 1, 2)
            self.tiles.addWidget(self.guides, 1, 0)
            self.tiles.addWidget(self.rating, 1, 1)
            self.tiles.addWidget(self.assistance, 2, 0)
            self.tiles.addWidget(self.elder, 2, 1)
            self.elder.setObjectName("tileLight")
        else:
            per_row = 3 if self._sizes.portrait else 5
            self.tiles.addWidget(self.take_number, 0, 0, 1, per_row)
            for index, button in enumerate((self.guides, self.bundles, self.stations, self.rating, self.assistance)):
                self.tiles.addWidget(button, 1 + index // per_row, index % per_row)
            self.modes.insertWidget(0, self.elder)
            self.elder.setObjectName("mode")
        for widget in (self.bundles, self.stations, self.language):
            widget.setVisible(not self._elder)
        self._show_extras()
        self.elder.setVisible(True)  # moving between the header and the tiles hides it until shown
        used = 2 if self._elder else (3 if self._sizes.portrait else 5)
        for column in range(5):
            self.tiles.setColumnStretch(column, 1 if column < used else 0)
        self.elder.style().unpolish(self.elder)
        self.elder.style().polish(self.elder)
