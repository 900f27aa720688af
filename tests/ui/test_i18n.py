"""Chinese by default, English complete, switched at run time on every screen.

The English check walks each screen through its states with the English translator installed and
reads every visible label and button: nothing Chinese may be left but catalogue texts that have no
English twin (the demo catalogue has English for all: names, materials, fees, time limits,
departments, windows, station names and addresses), and the English ones must be shown.
"""

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from kiosk.config import DEMO_CONFIG, load
from kiosk.domain.catalogue import Catalogue, Service, Station
from kiosk.services.identify import typed_id_state
from kiosk.store.catalogue import read_catalogue_file
from kiosk.ui import i18n
from kiosk.ui.i18n import current_language, install_language, other_language
from kiosk.ui.idle_prompt import IdlePrompt
from kiosk.ui.screens.assistance import AssistanceScreen
from kiosk.ui.screens.bundles import BundlesScreen
from kiosk.ui.screens.guide_detail import GuideDetailScreen
from kiosk.ui.screens.guides import GuidesScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.id_keypad import IdKeypadScreen
from kiosk.ui.screens.message import REFUSALS, MessageScreen
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.screens.rating_texts import REFUSALS as RATING_REFUSALS
from kiosk.ui.screens.rating_texts import RESULTS
from kiosk.ui.screens.services import ServicesScreen
from kiosk.ui.screens.stations import StationsScreen
from kiosk.ui.screens.technician import TechnicianScreen
from kiosk.ui.screens.technician_pin import HINTS, TechnicianPinScreen
from kiosk.ui.screens.ticket import PRINT_TEXT, TicketScreen
from kiosk.ui.theme import Sizes, stylesheet

SIZES = Sizes(1080)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
HERE = "yt-xiaozhai"
TICKET_SUMMARY = {"ticket_id": "t-1", "number": "A001", "station_id": HERE, "service_code": "SB-KSL"}


@pytest.fixture(scope="module")
def data():
    return read_catalogue_file(load(str(DEMO_CONFIG)).catalogue.file)


@pytest.fixture(scope="module")
def catalogue(data):
    services = tuple(Service.from_dict(s) for s in data["services"])
    return Catalogue(services=services, stations=tuple(Station.from_dict(s) for s in data["stations"]),
                     district_name=data["district"]["name"], district_name_en=data["district"].get("name_en", ""),
                     categories=tuple(dict.fromkeys(s.category for s in services)),
                     bundles=tuple(data["bundles"]), rating_reasons=None)


@pytest.fixture
def language(qapp):
    """Switch languages in a test; back to Chinese afterwards, whatever happens."""
    yield lambda lang: install_language(QApplication.instance(), lang)
    install_language(QApplication.instance(), "zh_CN")


def catalogue_data_texts(catalogue) -> list[str]:
    """Texts that come from the catalogue with no English twin: they may stay Chinese."""
    texts = [] if catalogue.district_name_en else [catalogue.district_name]
    for station in catalogue.stations:
        texts += [zh for zh, en in ((station.name, station.name_en), (station.address, station.address_en)) if not en]
    for service in catalogue.services:
        english = service.in_english()
        texts += [zh for zh, en in zip(
            (service.name, service.category, service.fee, service.time_limit, service.department, service.window,
             *service.materials),
            (english.name, english.category, english.fee, english.time_limit, english.department, english.window,
             *english.materials)) if zh == en]
    for bundle in catalogue.bundles:
        texts += [bundle.get(key, "") for key in ("name", "window", "description") if not bundle.get(f"{key}_en")]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def visible_texts(screen) -> list[tuple[str, str]]:
    found = []
    for widget in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton):
        if widget.isVisibleTo(screen) and widget.text() and not widget.property("endonym"):
            full = widget.full_text() if hasattr(widget, "full_text") else widget.text()
            found.append((widget.objectName() or type(widget).__name__, full))
    return found


def chinese_left(screen, allowed: list[str]) -> list[tuple[str, str]]:
    left = []
    for name, text in visible_texts(screen):
        stripped = text
        for data_text in allowed:
            stripped = stripped.replace(data_text, "")
        if CJK.search(stripped):
            left.append((name, text))
    return left


def build_screens(qtbot, catalogue, data):
    """Every resident-facing screen, shown at 1920×1080, fed with the demo catalogue."""
    qtbot.wait(1)  # lets the screens of earlier tests, closed, be deleted: else they retranslate too
    here = catalogue.station(HERE)
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
        "assistance": AssistanceScreen(SIZES),
        "pin": TechnicianPinScreen(SIZES),
        "technician": TechnicianScreen(SIZES, kiosk_id="k-1", station_id=HERE, version="1.0",
                                       sync_server="http://127.0.0.1:8700", can_quit=True),
    }
    for screen in screens.values():
        screen.setStyleSheet(stylesheet(SIZES))
        qtbot.addWidget(screen)
        screen.resize(1920, 1080)
        screen.show()
    screens["home"].on_store_opened(here, catalogue.district_name, catalogue.district_name_en)
    screens["services"].set_catalogue(catalogue, {"SB-KSL": 3})
    screens["guides"].set_catalogue(catalogue)
    screens["bundles"].set_bundles(list(data["bundles"]), catalogue)
    screens["stations"].set_stations(catalogue.stations, HERE)
    screens["stations"].set_waiting({HERE: 7})
    screens["rating"].set_catalogue(catalogue)
    screens["idle"] = IdlePrompt(SIZES, screens["home"])
    return screens


def walk(screens, catalogue):
    """Each screen through its states; yields (what, screen) at each state to look at."""
    yield "home", screens["home"]
    services = screens["services"]
    for category in catalogue.categories:
        services.show_category(category)
        yield f"services {category}", services
    services.set_resident(None, "读卡器暂不可用：可点“输入身份证号”，或直接选择事项")
    yield "services reader note", services
    services.set_resident(SimpleNamespace(display_name="", id_masked="610113********1234", elderly=True))
    yield "services resident", services
    ticket = screens["ticket"]
    ticket.show_ticket(SimpleNamespace(ticket_id="t-1", number="A001", waiting_ahead=4, holder_code="482913"),
                       catalogue.service("SB-KSL"), "https://example.org/t/1")
    for state in PRINT_TEXT:
        ticket.set_print_state("t-1", state)
        yield f"ticket {state}", ticket
    message = screens["message"]
    for kind in REFUSALS:
        message.show_refusal(kind, catalogue.station(HERE).hours_text())
        yield f"message {kind}", message
    keypad = screens["keypad"]
    for text in ("", "1101", "11010A", "110105194912310021", "110105194913310025", "11010519491231002X"):
        keypad.set_text(text)
        yield f"keypad {text}", keypad
    guides = screens["guides"]
    yield "guides", guides
    guides.set_query("S")
    yield "guides S", guides
    detail = screens["guide_detail"]
    for service in catalogue.services:
        detail.show_service(service, offered_here=service.code != "TY-XX")
        yield f"guide {service.code}", detail
    detail.set_print_state("printed")
    yield "guide printed", detail
    bundles = screens["bundles"]
    yield "bundles", bundles
    for bundle in catalogue.bundles:
        bundles.choose(bundle["code"])
        yield f"bundle {bundle['code']}", bundles
    yield "stations", screens["stations"]
    rating = screens["rating"]
    rating.reset()
    yield "rating number", rating
    rating.entry.set_typed("A1")
    rating.next.click()
    yield "rating code", rating
    for key in "4829":
        rating.code_entry.press(key)
    yield "rating code typed", rating
    rating.check_with_card(None)
    yield "rating card not usable", rating
    rating.check_with_card({"by": "card", "id_digest": "d" * 64})
    yield "rating checking by card", rating
    rating.show_cannot_check()
    yield "rating cannot check", rating
    for code in RATING_REFUSALS:
        rating.start_with_number("A001")
        for key in "482913":
            rating.code_entry.press(key)
        rating.code_entry.ok.click()
        yield f"rating checking {code}", rating
        rating.show_refusal(code)
        yield f"rating refused {code}", rating
    rating.start_with_number("A001")
    rating.show_check_passed(dict(TICKET_SUMMARY))
    yield "rating levels", rating
    rating.choose_level(5)
    yield "rating level 5", rating
    rating.choose_level(1)
    rating.phone.set_digits("138")
    yield "rating reasons", rating
    for kind in RESULTS:
        rating.show_result(kind == "ok", kind)
        yield f"rating result {kind}", rating
    rating.reset()
    rating.show_card_looking()
    yield "rating card looking", rating
    rating.show_resident_tickets([], None)
    yield "rating card none", rating
    rating.show_resident_tickets([dict(TICKET_SUMMARY, rated=True), dict(TICKET_SUMMARY, number="A002", rated=False)],
                                 None)
    yield "rating card tickets", rating
    home = screens["home"]
    home.set_invitations(["A001", "B002"])
    for online in (True, False):
        home.header.set_online(online)
        yield f"home invitations online={online}", home
    services.set_counts({"SB-KSL": 3})
    services.set_estimates({"SB-KSL": 12})
    services.show_category(catalogue.service("SB-KSL").category)
    yield "services estimates", services
    assistance = screens["assistance"]
    yield "assistance", assistance
    assistance.show_staff_called()
    yield "assistance called", assistance
    pin = screens["pin"]
    for hint in HINTS:
        pin.reset(hint, 3)
        yield f"pin {hint}", pin
    technician = screens["technician"]
    yield "technician", technician
    technician.set_printer_status(SimpleNamespace(online=True, paper="near_end", cover_open=True))
    technician.set_reader_state("no_reply")
    technician.set_card_test("resident ZHANG** 610113********1234")
    technician.set_store_status({"pending": 3, "tickets_today": 40, "events": [], "dead_letters": [],
                                 "one_hour_today": {"served": 12, "within_hour": 11},
                                 "one_hour_recorded": [{"business_date": "2026-11-22", "served": 30,
                                                        "within_hour": 29, "share": 0.9667}]})
    for result in (("ok", {"acked": 3, "pulled": 1, "pending": 0, "seconds": 0.2}), ("offline", "refused")):
        technician.set_sync_result(*result)
        yield f"technician sync {result[0]}", technician
    idle = screens["idle"]
    idle.start(15)
    yield "idle prompt", idle
    idle.cancel()


def test_chinese_is_the_default_and_english_loads(qapp, language):
    assert current_language() == "zh_CN" and other_language() == "en"
    assert QCoreApplication.translate("HomeScreen", "长辈模式") == "长辈模式"
    language("en")
    assert current_language() == "en" and other_language() == "zh_CN"
    assert QCoreApplication.translate("HomeScreen", "长辈模式") == "Elder mode"
    language("zh_CN")
    assert QCoreApplication.translate("HomeScreen", "长辈模式") == "长辈模式"
    with pytest.raises(ValueError):
        language("fr")


def test_no_chinese_is_left_on_any_screen_in_english(qtbot, catalogue, data, language):
    screens = build_screens(qtbot, catalogue, data)
    language("en")
    allowed = catalogue_data_texts(catalogue)
    problems = {}
    states = 0
    for what, screen in walk(screens, catalogue):
        states += 1
        left = chinese_left(screen, allowed)
        if left:
            problems[what] = left
    assert states > 60
    assert not problems, problems


def test_english_shows_the_catalogue_english_names(qtbot, catalogue, data, language):
    screens = build_screens(qtbot, catalogue, data)
    language("en")
    services = screens["services"]
    services.show_category(catalogue.categories[0])
    assert services.service_buttons()[0].full_text().startswith("Social security card application\n")
    assert services.group.buttons()[0].full_text() == "Social & medical insurance"
    assert "&&" in services.group.buttons()[0].text()  # shown as "&", not as a shortcut mark
    bundles = [button.full_text().splitlines()[0] for button in screens["bundles"].bundle_buttons()]
    assert bundles == [b["name_en"] for b in data["bundles"]]
    assert screens["home"].header.date.text() == "Monday, 23 November 2026"
    assert "Mon–Fri 09:00-17:30; Sat 09:00-12:00" in screens["home"].header.hours.text()


def test_switching_back_and_forth_restores_every_chinese_text(qtbot, catalogue, data, language):
    screens = build_screens(qtbot, catalogue, data)
    changed = {}
    seen: dict[str, int] = {}
    for what, screen in walk(screens, catalogue):
        kind = what.split()[0]
        seen[kind] = seen.get(kind, 0) + 1
        if kind in ("services", "guide") and seen[kind] > 3:
            continue  # three of each kind of list are enough here; the English test sees them all
        before = visible_texts(screen)
        language("en")
        english = visible_texts(screen)
        language("zh_CN")
        if visible_texts(screen) != before or english == before:
            changed[what] = (before, english, visible_texts(screen))
    assert not changed


def test_every_screen_retranslates_itself_where_it_stands(qtbot, catalogue, data, language):
    screens = build_screens(qtbot, catalogue, data)
    screens["ticket"].show_ticket(SimpleNamespace(ticket_id="t-1", number="A001", waiting_ahead=2),
                                  catalogue.service("SB-KSL"), "https://example.org/t/1")
    screens["ticket"].set_print_state("t-1", "paper_out")
    screens["message"].show_refusal("numbers_exhausted")
    screens["rating"].start_with_number("A001")
    screens["rating"].show_check_passed(dict(TICKET_SUMMARY))
    screens["services"].show_category(catalogue.categories[1])
    language("en")
    assert screens["ticket"].ahead.text() == "People waiting before you: <b>2</b>"
    assert "out of paper" in screens["ticket"].print_state.text()
    assert screens["ticket"].service.text() == "Social security card application"
    assert screens["message"].title.text() == "No more numbers today"
    assert screens["rating"].current_step() == "level" and screens["rating"].home.text() == "Skip"
    assert screens["rating"].ticket_line.text() == "Number A001 · Social security card application"
    assert [b.text() for b in screens["rating"].level_buttons.values()][0] == "Very\nsatisfied"
    assert screens["services"].group.checkedButton().property("category") == catalogue.categories[1]
    language("zh_CN")
    assert screens["ticket"].ahead.text() == "前面还有 <b>2</b> 人等候"
    assert screens["message"].title.text() == "今日号码已取完"
    assert screens["rating"].home.text() == "跳过评价"


def test_the_home_screen_has_the_language_switch(qtbot, catalogue, data, language):
    home = build_screens(qtbot, catalogue, data)["home"]
    home.language_toggled.connect(lambda: language(other_language()))
    assert home.language.text() == "English" and home.language.isVisible()
    with qtbot.waitSignal(home.language_toggled, timeout=1000):
        qtbot.mouseClick(home.language, Qt.MouseButton.LeftButton)
    assert current_language() == "en"
    assert home.take_number.text() == "Take a number" and home.language.text() == "中文"
    assert home.greeting.text() == "Hello! What would you like to do?"
    qtbot.mouseClick(home.language, Qt.MouseButton.LeftButton)
    assert current_language() == "zh_CN"
    assert home.take_number.text() == "取号\nTake a number" and home.language.text() == "English"


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    assert Path(found).exists(), f"{name} is needed to check the translations (pip install pyside6)"
    return found


def _messages(ts: Path) -> dict[tuple[str, str], tuple[str, str]]:
    root = ET.parse(ts).getroot()
    return {(c.findtext("name"), m.findtext("source")): (m.findtext("translation") or "",
                                                         m.find("translation").get("type", ""))
            for c in root.iter("context") for m in c.iter("message")}


def test_the_english_ts_is_complete_for_the_code(tmp_path):
    """lupdate over kiosk/ui finds no text that the committed kiosk_en.ts lacks or leaves unfinished."""
    root = Path(i18n.__file__).parents[2]
    copy = tmp_path / "kiosk_en.ts"
    shutil.copy(i18n.ts_path("en"), copy)
    sources = sorted(str(p.relative_to(root)) for p in (root / "kiosk" / "ui").rglob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), "-silent", "-locations", "none", "-no-obsolete",
                    "-source-language", "zh_CN", "-target-language", "en", *sources, "-ts", str(copy)],
                   cwd=root, check=True, capture_output=True)
    committed, fresh = _messages(i18n.ts_path("en")), _messages(copy)
    assert set(fresh) == set(committed), "run kiosk/ui/translations/build.sh and translate the new texts"
    unfinished = [key for key, (text, kind) in committed.items() if kind or not text.strip()]
    assert not unfinished
    assert len(committed) > 150
    with_cjk = [key for key, (text, _kind) in committed.items() if CJK.search(text)]
    assert not with_cjk


def test_the_committed_qm_is_built_from_the_ts(tmp_path):
    built = i18n.build_qm(i18n.ts_path("en"), tmp_path / "kiosk_en.qm", _tool("pyside6-lrelease"))
    assert built.read_bytes() == i18n.qm_path("en").read_bytes(), "run kiosk/ui/translations/build.sh"


def test_english_counts_say_one_service_and_one_person(qapp):
    """"1 services" and "1 people" were on screen: one gets its own words."""
    translate = QCoreApplication.translate
    install_language(qapp, "en")
    try:
        assert translate("BundlesScreen", "包含 1 项事项") == "1 service"
        assert translate("BundlesScreen", "包含 {n} 项事项").format(n=3) == "3 services"
        assert translate("GuidesScreen", "共 1 项，点它查看办事指南").startswith("1 service:")
        assert translate("StationsScreen", "可办 1 项事项") == "1 service"
        assert translate("TicketScreen", "您的号码是 {number}，前面还有 1 人等候").format(number="A001") == \
            "Your number is A001. 1 person is waiting before you"
        assert translate("TechnicianPinScreen", "密码不正确，还可以再试 1 次") == "Wrong PIN: 1 try left"
    finally:
        install_language(qapp, "zh_CN")
