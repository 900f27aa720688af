"""长辈模式: larger type (no text under 40 px at the 1080 design size), touch targets of at least
80 px, WCAG contrast of at least 4.5:1 in both looks, and fewer items per screen."""

import re
from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from kiosk.config import DEMO_CONFIG, load
from kiosk.domain.catalogue import Catalogue, Service, Station
from kiosk.services.identify import typed_id_state
from kiosk.store.catalogue import read_catalogue_file
from kiosk.ui.i18n import install_language
from kiosk.ui.screens.bundles import BundlesScreen
from kiosk.ui.screens.guide_detail import GuideDetailScreen
from kiosk.ui.screens.guides import GuidesScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.id_keypad import IdKeypadScreen
from kiosk.ui.screens.message import MessageScreen
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.screens.services import ServicesScreen
from kiosk.ui.screens.stations import StationsScreen
from kiosk.ui.screens.ticket import TicketScreen
from kiosk.ui.theme import (ELDER, ELDER_MIN_FONT, ELDER_MIN_TARGET, NORMAL, Sizes, contrast_ratio, stylesheet,
                            text_pairs)

SIZES = Sizes(1080)
HERE = "yt-xiaozhai"
HEX = r"#[0-9A-Fa-f]{6}"


@pytest.fixture(scope="module")
def data():
    return read_catalogue_file(load(str(DEMO_CONFIG)).catalogue.file)


@pytest.fixture(scope="module")
def catalogue(data):
    services = tuple(Service.from_dict(s) for s in data["services"])
    return Catalogue(services=services, stations=tuple(Station.from_dict(s) for s in data["stations"]),
                     district_name=data["district"]["name"],
                     categories=tuple(dict.fromkeys(s.category for s in services)), bundles=tuple(data["bundles"]))


def build(qtbot, catalogue, data, elder: bool) -> dict:
    qtbot.wait(1)  # lets the screens of earlier tests, closed, be deleted: else they retranslate too
    screens = {
        "home": HomeScreen(lambda: datetime(2026, 11, 23, 10, 5), SIZES),
        "services": ServicesScreen(SIZES),
        "ticket": TicketScreen(SIZES),
        "message": MessageScreen(SIZES),
        "keypad": IdKeypadScreen(SIZES, lambda text: typed_id_state(text, date(2026, 11, 23))),
        "guides": GuidesScreen(SIZES),
        "guide_detail": GuideDetailScreen(SIZES),
        "bundles": BundlesScreen(SIZES),
        "stations": StationsScreen(SIZES),
        "rating": RatingScreen(SIZES),
    }
    for screen in screens.values():
        screen.setStyleSheet(stylesheet(SIZES, elder))
        qtbot.addWidget(screen)
        if hasattr(screen, "set_elder"):
            screen.set_elder(elder)
    screens["home"].on_store_opened(catalogue.station(HERE), catalogue.district_name)
    screens["services"].set_catalogue(catalogue, {})
    screens["guides"].set_catalogue(catalogue)
    screens["bundles"].set_bundles(list(data["bundles"]), catalogue)
    screens["bundles"].choose(data["bundles"][0]["code"])
    screens["stations"].set_stations(catalogue.stations, HERE)
    screens["guide_detail"].show_service(catalogue.service("SB-KSL"))
    screens["message"].show_refusal("numbers_exhausted")
    for screen in screens.values():
        screen.resize(1920, 1080)
        screen.show()
    QApplication.processEvents()
    return screens


def rules(sheet: str) -> list[tuple[str, str]]:
    return re.findall(r"([^{}]+)\{([^{}]*)\}", sheet)


@pytest.mark.parametrize("elder", [False, True])
def test_every_text_colour_has_contrast_of_at_least_4_5(elder):
    weak = [(where, fg, bg, round(contrast_ratio(fg, bg), 2)) for where, fg, bg in text_pairs(elder)
            if contrast_ratio(fg, bg) < 4.5]
    assert not weak


@pytest.mark.parametrize("elder", [False, True])
def test_the_style_sheet_uses_only_checked_pairs(elder):
    """Every rule that sets both a text colour and a background uses a pair that passes, and every
    text colour of the sheet is one of the checked pairs' text colours."""
    sheet = stylesheet(SIZES, elder)
    checked_fg = {fg.upper() for _where, fg, _bg in text_pairs(elder)}
    for selector, body in rules(sheet):
        colour = re.search(rf"(?<![-\w])color:\s*({HEX})", body)
        background = re.search(rf"background:\s*({HEX})", body)
        if colour:
            assert colour.group(1).upper() in checked_fg, selector
        if colour and background:
            assert contrast_ratio(colour.group(1), background.group(1)) >= 4.5, selector


def test_the_elder_palette_is_darker_on_a_whiter_ground():
    assert contrast_ratio(ELDER.text, ELDER.background) > contrast_ratio(NORMAL.text, NORMAL.background)
    assert contrast_ratio(ELDER.muted, ELDER.background) > contrast_ratio(NORMAL.muted, NORMAL.background)
    assert min(contrast_ratio(fg, bg) for _w, fg, bg in text_pairs(True)) >= 7.0


def test_no_font_in_the_elder_sheet_is_under_40_px():
    sizes = [int(px) for px in re.findall(r"font-size:\s*(\d+)px", stylesheet(SIZES, True))]
    assert sizes and min(sizes) >= ELDER_MIN_FONT
    assert min(int(px) for px in re.findall(r"font-size:\s*(\d+)px", stylesheet(SIZES))) < ELDER_MIN_FONT


def test_every_visible_text_is_large_and_every_button_big_in_elder_mode(qtbot, catalogue, data):
    screens = build(qtbot, catalogue, data, elder=True)
    small_text, small_buttons = [], []
    for name, screen in screens.items():
        for widget in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton):
            if not widget.isVisible() or not widget.text():
                continue
            if widget.font().pixelSize() < SIZES.px(ELDER_MIN_FONT):
                small_text.append((name, widget.text(), widget.font().pixelSize()))
            if isinstance(widget, QAbstractButton) and min(widget.width(), widget.height()) < SIZES.px(ELDER_MIN_TARGET):
                small_buttons.append((name, widget.text(), widget.size().toTuple()))
    assert not small_text
    assert not small_buttons


@pytest.mark.parametrize("elder", [False, True])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_screen_fits_a_1080_high_screen(qtbot, catalogue, data, elder, language):
    install_language(QApplication.instance(), language)
    try:
        screens = build(qtbot, catalogue, data, elder)
        too_tall = {name: s.minimumSizeHint().height() for name, s in screens.items()
                    if s.minimumSizeHint().height() > 1080}
    finally:
        install_language(QApplication.instance(), "zh_CN")
    assert not too_tall


def test_home_shows_fewer_larger_tiles_in_elder_mode(qtbot, catalogue, data):
    home = build(qtbot, catalogue, data, elder=False)["home"]
    assert len(home.visible_tiles()) == 8 and home.elder.text() == "长辈模式"
    normal_height = home.guides.height()
    with qtbot.waitSignal(home.elder_mode_toggled, timeout=1000):
        home.elder.click()
    home.setStyleSheet(stylesheet(SIZES, True))
    home.set_elder(True)
    QApplication.processEvents()
    assert home.visible_tiles() == [home.take_number, home.guides, home.rating, home.assistance, home.elder]
    assert home.elder.text() == "返回普通模式" and home.take_number.text() == "取号"
    assert home.guides.width() > 1.5 * (1920 // 4) and home.guides.height() >= normal_height
    home.setStyleSheet(stylesheet(SIZES))
    home.set_elder(False)
    assert len(home.visible_tiles()) == 8 and home.take_number.text() == "取号\nTake a number"


def test_services_show_fewer_bigger_rows_in_elder_mode(qtbot, catalogue, data):
    def rows_in_view(elder):
        services = build(qtbot, catalogue, data, elder)["services"]
        services.show_category(catalogue.categories[0])
        QApplication.processEvents()
        buttons = services.service_buttons()
        viewport = buttons[0].parentWidget().parentWidget()
        return buttons[0].height(), sum(1 for b in buttons if b.geometry().bottom() <= viewport.height())

    normal_height, normal_rows = rows_in_view(False)
    elder_height, elder_rows = rows_in_view(True)
    assert elder_height >= SIZES.px(170) > normal_height
    assert elder_rows < normal_rows


def test_guides_drop_the_letter_search_in_elder_mode(qtbot, catalogue, data):
    guides = build(qtbot, catalogue, data, elder=True)["guides"]
    assert not guides.pad.isVisible() and not guides.query_display.isVisible()
    assert len(guides.service_buttons()) == len(catalogue.services)
    guides.set_elder(False)
    assert guides.pad.isVisible()
