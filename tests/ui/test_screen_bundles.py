"""一件事一次办 by clicks: a bundle shows its services and one merged list of materials, and takes a number."""

import pytest
from PySide6.QtCore import Qt

from kiosk.config import DEMO_CONFIG, load
from kiosk.domain.catalogue import Catalogue, Service
from kiosk.store.catalogue import read_catalogue_file
from kiosk.ui.screens.bundles import BundlesScreen, merged_materials
from kiosk.ui.theme import Sizes, stylesheet

SIZES = Sizes(800)


@pytest.fixture(scope="module")
def data():
    return read_catalogue_file(load(str(DEMO_CONFIG)).catalogue.file)


@pytest.fixture(scope="module")
def catalogue(data):
    return Catalogue(services=tuple(Service.from_dict(s) for s in data["services"]))


@pytest.fixture
def screen(qtbot, data, catalogue):
    widget = BundlesScreen(SIZES)
    widget.setStyleSheet(stylesheet(SIZES))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    widget.set_bundles(data["bundles"], catalogue)
    return widget


def click(qtbot, button):
    qtbot.waitUntil(button.isVisible, timeout=2000)
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_four_bundles_are_big_buttons_and_nothing_is_chosen(qtbot, screen):
    names = [b.text().splitlines()[0] for b in screen.bundle_buttons()]
    assert names == ["失业一件事", "我要办理老年优待证", "我要申请法律援助", "小餐饮一件事"]
    qtbot.waitUntil(lambda: all(b.isVisible() for b in screen.bundle_buttons()), timeout=2000)
    assert all(b.height() >= SIZES.px(120) for b in screen.bundle_buttons())
    assert not screen.take_number.isEnabled() and "请在左边选择" in screen.name.text()


def test_unemployment_shows_its_services_and_materials_once_each(qtbot, screen):
    click(qtbot, screen.bundle_buttons()[0])
    assert screen.name.text() == "失业一件事"
    assert screen.services.text() == "一次办好：失业登记、失业保险金申领、城乡居民医疗保险参保登记"
    assert screen.shown_materials() == ["居民身份证原件", "与原单位解除或终止劳动合同证明", "近期一寸照片", "社会保障卡",
                                        "解除劳动合同证明", "户口簿原件", "新生儿另需出生医学证明"]
    assert screen.shown_materials().count("居民身份证原件") == 1
    assert "一件事一次办窗口" in screen.window.text()


def test_take_number_sends_the_bundle_code(qtbot, screen):
    click(qtbot, screen.bundle_buttons()[3])
    with qtbot.waitSignal(screen.take_number_requested) as asked:
        click(qtbot, screen.take_number)
    assert asked.args == ["YJS-XCY"]


def test_choosing_another_bundle_replaces_the_detail(qtbot, screen):
    click(qtbot, screen.bundle_buttons()[0])
    click(qtbot, screen.bundle_buttons()[1])
    assert [b.isChecked() for b in screen.bundle_buttons()] == [False, True, False, False]
    assert screen.services.text() == "一次办好：老年人优待证办理"
    assert screen.shown_materials() == ["居民身份证原件（年满60周岁）", "近期免冠一寸照片（可现场拍照）"]


def test_home_and_reset(qtbot, screen):
    click(qtbot, screen.bundle_buttons()[2])
    screen.reset()
    assert not screen.take_number.isEnabled()
    with qtbot.waitSignal(screen.home_clicked):
        click(qtbot, screen.home)


def test_unknown_service_codes_in_a_bundle_are_skipped(catalogue):
    bundle = {"code": "X", "name": "X", "services": ["FL-ZX", "NOPE", "FL-YZ"]}
    assert merged_materials(bundle, catalogue) == ["与咨询事项有关的材料（如有）", "居民身份证原件", "经济困难证明或声明",
                                                   "与所申请事项有关的案件材料"]
