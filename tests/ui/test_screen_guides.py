"""办事指南 by clicks: letters narrow the list, categories filter it, a guide shows what to bring."""

import pytest
from PySide6.QtCore import Qt

from kiosk.config import DEMO_CONFIG, load
from kiosk.domain.catalogue import Catalogue, Service, Station
from kiosk.store.catalogue import read_catalogue_file
from kiosk.ui.screens.guide_detail import GuideDetailScreen
from kiosk.ui.screens.guides import GuidesScreen
from kiosk.ui.theme import Sizes, stylesheet

SIZES = Sizes(800)
MIN_TOUCH = SIZES.px(60)


@pytest.fixture(scope="module")
def catalogue():
    data = read_catalogue_file(load(str(DEMO_CONFIG)).catalogue.file)
    services = tuple(Service.from_dict(s) for s in data["services"])
    return Catalogue(services=services, stations=tuple(Station.from_dict(s) for s in data["stations"]),
                     district_name="西安市雁塔区", categories=tuple(dict.fromkeys(s.category for s in services)))


def build(qtbot, cls):
    widget = cls(SIZES)
    widget.setStyleSheet(stylesheet(SIZES))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


@pytest.fixture
def guides(qtbot, catalogue):
    screen = build(qtbot, GuidesScreen)
    screen.set_catalogue(catalogue)
    return screen


@pytest.fixture
def detail(qtbot):
    return build(qtbot, GuideDetailScreen)


def click(qtbot, button):
    qtbot.waitUntil(button.isVisible, timeout=2000)  # buttons added to a shown layout appear on the next loop
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_every_service_is_listed_at_first(guides, catalogue):
    assert guides.visible_codes() == [s.code for s in catalogue.services]
    assert guides.category_button("全部").isChecked()
    assert all(button.height() >= MIN_TOUCH for button in guides.service_buttons())


def test_s_then_b_finds_the_social_security_card_and_choosing_it_emits_its_code(qtbot, guides):
    click(qtbot, guides.pad.key("S"))
    assert guides.visible_codes() == ["SB-KSL", "SY-DJ", "SY-BXJ"]
    click(qtbot, guides.pad.key("B"))
    assert guides.query() == "SB" and guides.query_display.text() == "S B"
    assert guides.visible_codes() == ["SB-KSL"]
    assert "社会保障卡申领" in guides.service_buttons()[0].text()
    with qtbot.waitSignal(guides.guide_chosen) as chosen:
        click(qtbot, guides.service_buttons()[0])
    assert chosen.args == ["SB-KSL"]


def test_letters_that_find_nothing_are_dimmed(qtbot, guides):
    click(qtbot, guides.pad.key("S"))
    click(qtbot, guides.pad.key("B"))
    assert guides.pad.key("K").isEnabled()
    assert not guides.pad.key("A").isEnabled() and not guides.pad.key("Z").isEnabled()


def test_initials_in_the_middle_are_found_when_none_start_with_them(qtbot, guides):
    click(qtbot, guides.pad.key("B"))
    click(qtbot, guides.pad.key("X"))
    assert guides.visible_codes() == ["SB-CBDJ", "SY-BXJ"]


def test_backspace_and_clear_undo_the_letters(qtbot, guides, catalogue):
    assert not guides.pad.backspace.isEnabled()
    click(qtbot, guides.pad.key("S"))
    click(qtbot, guides.pad.key("B"))
    click(qtbot, guides.pad.backspace)
    assert guides.query() == "S" and len(guides.visible_codes()) == 3
    click(qtbot, guides.pad.clear)
    assert guides.query() == "" and guides.query_display.text() == "—"
    assert len(guides.visible_codes()) == len(catalogue.services)


def test_a_category_shows_only_its_services_and_clears_the_letters(qtbot, guides):
    click(qtbot, guides.pad.key("S"))
    click(qtbot, guides.category_button("法律服务"))
    assert guides.query() == "" and guides.visible_codes() == ["FL-YZ", "FL-ZX"]
    assert guides.category_button("法律服务").isChecked()
    click(qtbot, guides.pad.key("S"))
    assert guides.category_button("全部").isChecked() and "SB-KSL" in guides.visible_codes()


def test_home_from_the_list(qtbot, guides):
    with qtbot.waitSignal(guides.home_clicked):
        click(qtbot, guides.home)


def test_detail_numbers_the_materials_and_says_where_and_how(qtbot, detail, catalogue):
    detail.show_service(catalogue.service("SB-KSL"))
    assert detail.title.text() == "社会保障卡申领"
    assert detail.materials.text().splitlines() == ["1. 居民身份证原件", "2. 近期免冠一寸白底彩色照片（可现场采集）",
                                                   "3. 未成年人另需户口簿及监护人身份证"]
    assert detail.fee.text() == "免费" and detail.time_limit.text() == "现场制卡约20分钟"
    assert detail.department.text() == "区人社局" and detail.window.text() == "综合受理窗口"
    assert detail.where_texts()[:2] == ["本站可办", "区内通办：区内各便民服务中心都能办"]
    assert "网上可办" in detail.where_texts()
    assert detail.qr.isVisible() and detail.qr.modules() > 20


def test_station_only_service_has_no_qr(qtbot, detail, catalogue):
    detail.show_service(catalogue.service("SB-KSL"))
    detail.show_service(catalogue.service("HJ-QY"))
    assert detail.where_texts() == ["本站可办"]
    assert not detail.qr.isVisible()


def test_online_service_says_so(qtbot, detail, catalogue):
    detail.show_service(catalogue.service("YB-YDJY"))
    assert detail.where_texts()[0] == "网上可办" and detail.qr.isVisible()


def test_no_materials_is_said_plainly(qtbot, detail, catalogue):
    detail.show_service(catalogue.service("ZH-ZX"))
    assert "无需准备材料" in detail.materials.text()


@pytest.mark.parametrize("button, signal, args", [
    ("take_number", "take_number_requested", ["SB-KSL"]),
    ("print_guide", "print_guide_requested", ["SB-KSL"]),
    ("back", "back_clicked", []),
    ("home", "home_clicked", []),
])
def test_detail_buttons(qtbot, detail, catalogue, button, signal, args):
    detail.show_service(catalogue.service("SB-KSL"))
    assert getattr(detail, button).height() >= MIN_TOUCH
    with qtbot.waitSignal(getattr(detail, signal)) as emitted:
        click(qtbot, getattr(detail, button))
    assert emitted.args == args


def test_not_offered_here_cannot_take_a_number_but_can_still_print(qtbot, detail, catalogue):
    detail.show_service(catalogue.service("HJ-QY"), offered_here=False)
    assert not detail.take_number.isEnabled() and detail.print_guide.isEnabled()
    assert "本站暂不受理" in detail.where_texts()[0]
