"""English content end to end: the catalogue's English materials, fees, time limits, departments,
windows, station names and addresses on the screens, Chinese where the catalogue has no English;
English category buttons that neither wrap into their borders nor hide the last category."""

import dataclasses

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from kiosk.config import DEMO_CONFIG, load
from kiosk.domain.catalogue import Catalogue, Service, Station
from kiosk.store.catalogue import read_catalogue_file
from kiosk.ui.i18n import install_language
from kiosk.ui.screens.guide_detail import GuideDetailScreen
from kiosk.ui.screens.services import ServicesScreen
from kiosk.ui.screens.stations import StationsScreen
from kiosk.ui.theme import Sizes, stylesheet

from test_i18n import CJK, HERE, build_screens


@pytest.fixture(scope="module")
def data():
    return read_catalogue_file(load(str(DEMO_CONFIG)).catalogue.file)


@pytest.fixture(scope="module")
def catalogue(data):
    services = tuple(Service.from_dict(s) for s in data["services"])
    return Catalogue(services=services, stations=tuple(Station.from_dict(s) for s in data["stations"]),
                     district_name=data["district"]["name"], district_name_en=data["district"]["name_en"],
                     categories=tuple(dict.fromkeys(s.category for s in services)), bundles=tuple(data["bundles"]))


@pytest.fixture
def english(qapp):
    install_language(QApplication.instance(), "en")
    yield
    install_language(QApplication.instance(), "zh_CN")


def test_each_screen_shows_the_catalogue_english(qtbot, catalogue, data, english):
    screens = build_screens(qtbot, catalogue, data)
    detail = screens["guide_detail"]
    detail.show_service(catalogue.service("SB-KSL"))
    assert detail.materials.text().splitlines()[0] == "1. Original resident ID card"
    assert (detail.fee.text(), detail.time_limit.text(), detail.department.text(), detail.window.text()) == (
        "Free", "Card made on the spot in about 20 minutes", "District Human Resources and Social Security Bureau",
        "General service counter")
    ticket = screens["ticket"]
    ticket.show_ticket(dataclasses.make_dataclass("T", ["ticket_id", "number", "waiting_ahead"])("t-1", "A001", 2),
                       catalogue.service("HJ-QY"), "https://example.org/t/1")
    assert "Police household registration counter" in ticket.where.text()
    assert "Original household register (hukou booklet)" in ticket.where.text() and not CJK.search(ticket.where.text())
    bundles = screens["bundles"]
    bundles.choose("YJS-SY")
    assert bundles.description.isVisibleTo(bundles) and bundles.description.text().startswith("Unemployment registration")
    assert "Life events counter" in bundles.window.text()
    assert "Proof of termination of the labour contract" in bundles.shown_materials()
    assert not any(CJK.search(m) for m in bundles.shown_materials())
    stations = screens["stations"]
    here = stations.rows[0]
    assert here.name.text() == "Xiaozhai Road Subdistrict Service Centre"
    assert here.address.text() == "North-east corner of Xiaozhai East Road and Chang'an Middle Road, Yanta District"
    labels = stations.map.labels()
    assert labels[0] == "You are here: Xiaozhai Road" and len(labels) == len(catalogue.stations)
    assert not any(CJK.search(label) for label in labels), labels
    home = screens["home"]
    assert home.header.station.text() == "Xiaozhai Road Subdistrict Service Centre"
    assert "Yanta District, Xi'an" in home.status.text() and "Chang'an Middle Road" in home.notice.text()
    install_language(QApplication.instance(), "zh_CN")
    assert detail.fee.text() == "免费" and detail.materials.text().startswith("1. 居民身份证原件")
    assert stations.rows[0].name.text() == "小寨路街道便民服务中心" and stations.map.labels()[0] == "您在这里：小寨路街道"
    assert "综合受理窗口" not in ticket.where.text() and "公安户籍窗口" in ticket.where.text()


def test_a_text_without_english_shows_its_chinese(qtbot, english):
    service = Service(code="X", name="某事项", category="其他", prefix="A", materials=("材料甲", "材料乙"),
                      materials_en=("Paper A",), fee="免费", time_limit="即时办结", department="区民政局",
                      window="综合受理窗口", window_en="General service counter")
    detail = GuideDetailScreen(Sizes(1080))
    qtbot.addWidget(detail)
    detail.show_service(service)
    assert detail.materials.text() == "1. Paper A\n2. 材料乙"
    assert (detail.fee.text(), detail.time_limit.text(), detail.department.text(), detail.window.text()) == (
        "免费", "即时办结", "区民政局", "General service counter")


SCREEN_SIZES = [((1920, 1080), Sizes(1080)), ((1280, 800), Sizes(800)), ((1080, 1920), Sizes(1080, portrait=True))]


@pytest.mark.parametrize("elder", [False, True])
@pytest.mark.parametrize("size, sizes", SCREEN_SIZES)
def test_english_categories_keep_off_their_borders_and_all_can_be_reached(qtbot, catalogue, english, size, sizes,
                                                                        elder):
    screen = ServicesScreen(sizes)
    qtbot.addWidget(screen)
    screen.setStyleSheet(stylesheet(sizes))
    screen.set_catalogue(catalogue, {})
    screen.resize(*size)
    screen.show()
    qtbot.waitExposed(screen)
    screen.setStyleSheet(stylesheet(sizes, elder))  # as the window switches: after the buttons are made
    screen.set_elder(elder)
    qtbot.wait(50)
    buttons = screen.group.buttons()
    assert len(buttons) == len(catalogue.categories) == 8
    for button in buttons:
        metrics = QFontMetrics(button.font())
        lines = button.text().replace("&&", "&").splitlines()
        assert max(metrics.horizontalAdvance(line) for line in lines) <= button.width() - sizes.px(28 + 20 + 6)
        room = button.height() - 2 * sizes.px(3) - len(lines) * metrics.height()
        assert room >= 2 * sizes.px(8), (button.full_text(), button.text(), button.height())
    for button in (screen.disabled, screen.pregnant, screen.type_id):  # three to a row: they wrap, not cut
        hint = button.sizeHint()
        assert hint.width() <= button.width() + 2 and hint.height() <= button.height() + 2, button.full_text()
    column = screen.category_column
    viewport = column.viewport()

    def seen(button) -> bool:
        top = button.mapTo(viewport, button.rect().topLeft()).y()
        return top >= 0 and top + button.height() <= viewport.height()

    if not elder and not sizes.portrait:  # the common case: all categories at a glance
        assert all(seen(b) for b in buttons), [b.full_text() for b in buttons if not seen(b)]
    if not all(seen(b) for b in buttons):  # else a scroll bar wide enough to see and to drag
        assert column.verticalScrollBar().isVisible() and column.verticalScrollBar().width() >= sizes.px(48)
        column.ensureWidgetVisible(buttons[-1], 0, 0)
        assert seen(buttons[-1])


@pytest.mark.parametrize("elder", [False, True])
@pytest.mark.parametrize("size, sizes", SCREEN_SIZES)
def test_english_stations_fit_the_list_and_their_map_labels_stay_apart(qtbot, catalogue, english, size, sizes, elder):
    screen = StationsScreen(sizes)
    qtbot.addWidget(screen)
    screen.setStyleSheet(stylesheet(sizes, elder))
    screen.set_elder(elder)
    screen.resize(*size)
    screen.show()
    screen.set_stations(catalogue.stations, HERE)
    qtbot.waitExposed(screen)
    qtbot.wait(100)
    viewport = screen.list.viewport()
    for row in screen.rows:
        assert row.width() <= viewport.width(), (row.station_id, row.width(), viewport.width())
        for badge in row.badges:
            assert badge.mapTo(row, badge.rect().topRight()).x() <= row.width(), (row.station_id, badge.text())
    screen.map.grab()
    boxes = screen.map.drawn_labels
    assert [text for text, _box in boxes][-1] == "You are here: Xiaozhai Road" and len(boxes) == len(catalogue.stations)
    inside = screen.map.rect()
    for n, (text, box) in enumerate(boxes):
        assert inside.contains(box.toRect()), text
        overlaps = [other for other, theirs in boxes[n + 1:] if box.intersected(theirs).width() > 1
                    and box.intersected(theirs).height() > 1]
        assert not overlaps, (text, overlaps)


def test_the_guide_buttons_keep_their_words_in_portrait_elder_english(qtbot, catalogue, english):
    sizes = Sizes(1080, portrait=True)
    detail = GuideDetailScreen(sizes)
    qtbot.addWidget(detail)
    detail.setStyleSheet(stylesheet(sizes))
    detail.show_service(catalogue.service("SB-KSL"))
    detail.resize(1080, 1920)
    detail.show()
    qtbot.waitExposed(detail)
    detail.setStyleSheet(stylesheet(sizes, elder=True))
    qtbot.wait(50)
    for button in (detail.print_guide, detail.take_number, detail.back, detail.home):
        hint = button.sizeHint()
        assert hint.width() <= button.width() + 2 and hint.height() <= button.height() + 2, button.text()


def test_chinese_button_text_breaks_between_characters_to_fit(qapp):
    from PySide6.QtGui import QFont, QFontMetrics

    from kiosk.ui.widgets import wrap_characters

    font = QFont()
    font.setPixelSize(40)
    metrics = QFontMetrics(font)
    text = "我要办理老年优待证\n包含 1 项事项"
    assert wrap_characters(text, metrics, 2000) == text  # it fits: as given
    wrapped = wrap_characters(text, metrics, 260)
    assert wrapped.replace("\n", "") == text.replace("\n", "")
    assert all(metrics.horizontalAdvance(line) <= 260 for line in wrapped.split("\n"))
    assert all(len(line.strip()) > 1 for line in wrapped.split("\n"))  # no character alone on a line
