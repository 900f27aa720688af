"""Taking a number from an ID card tap or a typed ID number; idle wipe; device faults as events."""

import json
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from drivers.idcard.sample_cards import SAMPLE_CARDS
from drivers.idcard.textblock import parse_text_block

from qt_waiting import caught

ELDER = parse_text_block(SAMPLE_CARDS["resident"].text)
YOUNG = parse_text_block(SAMPLE_CARDS["resident_young"].text)


def rows(config, sql):
    with sqlite3.connect(config.database_path) as db:
        return db.execute(sql).fetchall()


def place_card(qtbot, window, bridge, key):
    with caught(qtbot, bridge.card.card_read, timeout=10000):
        bridge.simulate_card("place", key)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.services, timeout=5000)


def take_first_service(qtbot, window, bridge):
    with caught(qtbot, bridge.store.ticket_issued, timeout=10000) as issued:
        qtbot.mouseClick(window.services.service_buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
    return issued.args[0]


def test_card_tap_on_home_starts_the_flow_with_elderly_priority(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    place_card(qtbot, window, bridge, "resident")
    assert "王*" in window.services.identity.text() and "长者优先" in window.services.identity.text()
    with caught(qtbot, window.ticket_flow.print_finished, timeout=10000):
        ticket = take_first_service(qtbot, window, bridge)
    assert ticket.priority.value == "elderly"
    assert rows(config, "SELECT priority, id_masked FROM tickets") == [("elderly", "610113********123" + ELDER.id_number[-1])]
    payload = json.loads(rows(config, "SELECT payload FROM outbox WHERE entity = 'ticket'")[0][0])
    assert payload["priority"] == "elderly" and payload["id_masked"].startswith("610113****")
    stored = config.database_path.read_bytes() + config.database_path.with_name("kiosk.sqlite3-wal").read_bytes()
    assert ELDER.id_number.encode() not in stored and ELDER.name.encode() not in stored
    receipt = next((config.kiosk.data_dir / "printed").glob("*.bin")).read_bytes()
    assert ELDER.id_number.encode() not in receipt and b"610113********" in receipt


def test_young_resident_is_identified_without_priority(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    place_card(qtbot, window, bridge, "resident_young")
    assert "长者优先" not in window.services.identity.text()
    assert take_first_service(qtbot, window, bridge).priority.value == "normal"


def test_without_a_reader_the_resident_types_the_number_checked_as_typed(qtbot, make_config, kiosk_window):
    config = make_config(idcard="none://")
    window, bridge = kiosk_window(config)
    qtbot.waitUntil(lambda: "读卡器暂不可用" in window.services.identity.text(), timeout=5000)
    qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.services.type_id, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.keypad
    wrong_check = ELDER.id_number[:17] + ("0" if ELDER.id_number[17] != "0" else "1")
    for key in wrong_check:
        qtbot.mouseClick(window.keypad.keys[key], Qt.MouseButton.LeftButton)
    assert window.keypad.state() == "bad_check" and not window.keypad.ok.isEnabled()
    qtbot.mouseClick(window.keypad.keys["⌫"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.keypad.keys[ELDER.id_number[17]], Qt.MouseButton.LeftButton)
    assert window.keypad.state() == "valid" and window.keypad.ok.isEnabled()
    shown = window.keypad.display.text()  # large on the screen: nothing for the people behind to copy
    assert ELDER.id_number not in shown.replace(" ", "") and ELDER.id_number[6:14] not in shown
    assert shown == f"{ELDER.id_number[:6]} ******** {ELDER.id_number[14:]}"
    qtbot.mouseClick(window.keypad.ok, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.services and "长者优先" in window.services.identity.text()
    assert window.keypad.text == ""
    assert take_first_service(qtbot, window, bridge).id_masked == ELDER.id_number[:6] + "********" + ELDER.id_number[-4:]
    events = rows(config, "SELECT type, detail FROM events")
    assert ("device_fault", '{"device": "idcard", "reason": "reader_unavailable"}') in events


def test_idle_asks_first_then_returns_home_and_wipes_the_resident(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    place_card(qtbot, window, bridge, "resident")
    assert window.session.resident is not None
    window.idle_flow.prompt_seconds = 2
    window.idle_flow.timer.setInterval(200)
    window.idle_flow.timer.start()
    qtbot.waitUntil(window.idle_flow.prompt.isVisible, timeout=3000)
    assert "秒后将回到首页" in window.idle_flow.prompt.countdown.text()
    with qtbot.waitSignal(window.resident_wiped, timeout=5000):
        pass
    assert window.stack.currentWidget() is window.home
    assert window.session.resident is None and "王" not in window.services.identity.text()


def test_paper_out_and_paper_low_are_recorded_as_events_for_sync(qtbot, make_config, kiosk_window):
    config = make_config(printer="sim://?paper=out")
    window, bridge = kiosk_window(config)
    qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
    with caught(qtbot, bridge.store.event_recorded, timeout=10000) as recorded:
        take_first_service(qtbot, window, bridge)
    assert recorded.args[0] == "paper_out"
    ops = rows(config, "SELECT entity, payload FROM outbox WHERE entity = 'event'")
    assert len(ops) == 1 and json.loads(ops[0][1])["type"] == "paper_out"


def test_home_says_the_printer_is_out_of_paper_before_a_number_is_taken(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config(printer="sim://?paper=out"))
    qtbot.waitUntil(window.home.printer_notice.isVisible, timeout=5000)  # asked at start, on home
    assert "打印机缺纸" in window.home.printer_notice.text() and "仍可取号" in window.home.printer_notice.text()
    assert window.home.take_number.isEnabled()
    bridge.simulate_paper("ok")
    window.printer_notice.ask()  # the 30 s poll, now
    qtbot.waitUntil(lambda: not window.home.printer_notice.isVisible(), timeout=5000)
    qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.services
    bridge.simulate_paper("out")
    qtbot.mouseClick(window.services.home, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.home.printer_notice.isVisible, timeout=5000)  # asked again when home comes back


def test_demo_panel_lays_a_card_and_runs_the_printer_out_of_paper(qtbot, make_config, kiosk_window):
    from kiosk.ui.demo_panel import DemoPanel

    config = make_config()
    window, bridge = kiosk_window(config)
    panel = DemoPanel(bridge)
    qtbot.addWidget(panel)
    buttons = {b.text(): b for b in panel.findChildren(QPushButton)}
    with caught(qtbot, bridge.card.card_read, timeout=10000):
        qtbot.mouseClick(buttons["放置身份证（长者，1950年生）"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "长者优先" in window.services.identity.text(), timeout=5000)
    qtbot.mouseClick(buttons["打印机：缺纸"], Qt.MouseButton.LeftButton)
    with caught(qtbot, bridge.printer.print_failed, timeout=10000) as failed:
        take_first_service(qtbot, window, bridge)
    assert failed.args[1] == "paper_out"


def test_more_time_keeps_the_resident_and_the_screen(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    place_card(qtbot, window, bridge, "resident")
    window.idle_flow.prompt_seconds = 2
    window.idle_flow.timer.setInterval(200)
    window.idle_flow.timer.start()
    qtbot.waitUntil(window.idle_flow.prompt.isVisible, timeout=3000)
    window.idle_flow.timer.setInterval(60000)
    qtbot.mouseClick(window.idle_flow.prompt.more, Qt.MouseButton.LeftButton)
    assert not window.idle_flow.prompt.isVisible()
    qtbot.wait(2500)
    assert window.stack.currentWidget() is window.services and window.session.resident is not None


def test_idle_on_an_empty_home_asks_nothing(qtbot, make_config, kiosk_window):
    window, _bridge = kiosk_window(make_config())
    window.idle_flow.timer.setInterval(100)
    window.idle_flow.timer.start()
    qtbot.wait(400)
    assert not window.idle_flow.prompt.isVisible() and window.idle_flow.timer.isActive()


def test_assistance_request_is_recorded_and_shown_on_the_ticket(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    window.stack.setCurrentWidget(window.assistance)
    qtbot.mouseClick(window.assistance.reason_buttons["mobility"], Qt.MouseButton.LeftButton)
    with caught(qtbot, bridge.store.event_recorded, timeout=5000) as called:
        qtbot.mouseClick(window.assistance.call, Qt.MouseButton.LeftButton)
    assert called.args == ["assistance_request", {"reasons": ["mobility"], "ticket_id": None}]
    assert "已通知工作人员" in window.assistance.confirmation.text()
    qtbot.mouseClick(window.assistance.with_number, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.services
    with caught(qtbot, bridge.store.event_recorded, timeout=10000) as recorded:
        ticket = take_first_service(qtbot, window, bridge)
    assert ticket.assistance and recorded.args[1]["number"] == ticket.number
    assert "帮办代办" in window.ticket.where.text()
    assert rows(config, "SELECT assistance FROM tickets") == [(1,)]
    receipt = next((config.kiosk.data_dir / "printed").glob("*.bin")).read_bytes()
    assert "帮办代办".encode("gb18030") in receipt
    qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    assert window.session.assistance is None and not window.assistance.reason_buttons["mobility"].isChecked()


def test_the_card_left_on_the_reader_is_asked_for_before_home(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    place_card(qtbot, window, bridge, "resident")
    with caught(qtbot, window.ticket_flow.print_finished, timeout=10000):
        take_first_service(qtbot, window, bridge)
    assert window.ticket.card_hint.isVisible() and window.ticket.card_hint.text() == "请取走您的身份证"
    assert window.ticket.caption.text() == "您的号码 · 长者优先"  # an elderly card's number is called first
    assert "优先号会提前叫到您" in window.ticket.ahead.text() and "长者优先" in window.ticket.spoken_prompt()
    assert window.ticket.spoken_prompt().endswith("请取走小票。请取走您的身份证")
    qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    message = window.stack.currentWidget()
    assert message is not window.home and message.title.text() == "请取走您的身份证"
    assert message.spoken_prompt() == "请取走您的身份证"
    with caught(qtbot, bridge.card.card_removed, timeout=10000):
        bridge.simulate_card("remove", "")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=5000)
    assert window.session.resident is None


def test_the_card_taken_before_done_goes_straight_home(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    place_card(qtbot, window, bridge, "resident_young")
    with caught(qtbot, window.ticket_flow.print_finished, timeout=10000):
        take_first_service(qtbot, window, bridge)
    with caught(qtbot, bridge.card.card_removed, timeout=10000):
        bridge.simulate_card("remove", "")
    qtbot.waitUntil(lambda: not window.ticket.card_hint.isVisible(), timeout=5000)
    assert "身份证" not in window.ticket.spoken_prompt()
    assert window.ticket.caption.text() == "您的号码" and "优先" not in window.ticket.ahead.text()
    qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.home

