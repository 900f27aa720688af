"""The resident's flow by clicks: home → service → ticket, and every way it can go wrong."""

import json
import sqlite3

from PySide6.QtCore import Qt

from qt_waiting import caught


def stored_numbers(config):
    with sqlite3.connect(config.database_path) as db:
        return [row[0] for row in db.execute("SELECT number FROM tickets ORDER BY seq")]


def take_number(qtbot, window, bridge, index=0):
    qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.services
    button = window.services.service_buttons()[index]
    with caught(qtbot, bridge.store.ticket_issued, timeout=10000) as issued:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
    return issued.args[0]


def test_home_to_ticket_shows_a_stored_number_and_prints_it(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    assert window.home.take_number.isEnabled()
    assert window.home.header.station.text() == "小寨路街道便民服务中心"
    with caught(qtbot, window.ticket_flow.print_finished, timeout=10000):
        ticket = take_number(qtbot, window, bridge)
    assert window.stack.currentWidget() is window.ticket
    assert window.ticket.number.text() == ticket.number == "A001"
    assert stored_numbers(config) == ["A001"]
    qtbot.waitUntil(lambda: "已打印" in window.ticket.print_state.text(), timeout=5000)
    assert window.ticket.qr.modules() > 20
    jobs = sorted((config.kiosk.data_dir / "printed").glob("*.bin"))
    assert len(jobs) == 1 and "A001".encode() in jobs[0].read_bytes()


def test_next_resident_gets_the_next_number_and_sees_who_is_ahead(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    take_number(qtbot, window, bridge)
    qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.home
    second = take_number(qtbot, window, bridge)
    assert second.number == "A002" and second.waiting_ahead == 1
    assert "<b>1</b>" in window.ticket.ahead.text()


def test_paper_out_keeps_the_ticket_on_screen_with_its_qr(qtbot, make_config, kiosk_window):
    config = make_config(printer="sim://?paper=out")
    window, bridge = kiosk_window(config)
    with caught(qtbot, bridge.printer.print_failed, timeout=10000) as failed:
        ticket = take_number(qtbot, window, bridge)
    assert failed.args == [ticket.ticket_id, "paper_out"]
    qtbot.waitUntil(lambda: "缺纸" in window.ticket.print_state.text(), timeout=5000)
    assert window.ticket.number.text() == ticket.number and window.ticket.qr.modules() > 20
    assert "缺纸" in window.ticket.print_state.text() and "二维码" in window.ticket.print_state.text()
    assert stored_numbers(config) == [ticket.number]


def test_exhausted_numbers_show_a_calm_message_and_no_number(qtbot, make_config, kiosk_window):
    config = make_config(first=1, last=1)
    window, bridge = kiosk_window(config)
    take_number(qtbot, window, bridge)
    qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
    with caught(qtbot, window.ticket_flow.issue_refused, timeout=10000) as failed:
        qtbot.mouseClick(window.services.service_buttons()[0], Qt.MouseButton.LeftButton)
    assert failed.args[0] == "numbers_exhausted"
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.message, timeout=5000)
    assert window.message.title.text() == "今日号码已取完"
    assert stored_numbers(config) == ["A001"]
    qtbot.mouseClick(window.message.home, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.home


def test_unusable_store_disables_taking_numbers(qtbot, make_config, kiosk_window, tmp_path, monkeypatch):
    blocker = tmp_path / "occupied"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(blocker / "data"))
    window, _bridge = kiosk_window(make_config(), wait_open=False)
    assert not window.home.take_number.isEnabled()
    assert "服务台" in window.home.status.text()


def test_waiting_counts_update_after_a_ticket(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    take_number(qtbot, window, bridge)
    qtbot.waitUntil(lambda: "当前等候 1 人" in window.services.service_buttons()[0].text(), timeout=5000)
    assert json.dumps(window.services.service_buttons()[1].text(), ensure_ascii=False).count("0 人") == 1


def test_closed_station_says_its_hours_on_screen_and_stores_nothing(qtbot, make_config, kiosk_window, monkeypatch):
    import dataclasses
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kiosk import app

    sunday_night = datetime(2026, 11, 22, 22, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(app, "station_clock", lambda config: (lambda: sunday_night))
    config = make_config()
    config = dataclasses.replace(config, kiosk=dataclasses.replace(config.kiosk, check_opening_hours=True))
    window, bridge = kiosk_window(config)
    qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
    with caught(qtbot, window.ticket_flow.issue_refused, timeout=10000) as failed:
        qtbot.mouseClick(window.services.service_buttons()[0], Qt.MouseButton.LeftButton)
    assert failed.args[0] == "station_closed"
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.message, timeout=5000)
    assert window.message.title.text() == "现在不是办理时间"
    assert "周一至周五 09:00-17:30" in window.message.text.text()
    assert stored_numbers(config) == []


def test_pregnant_or_disabled_priority_by_a_tap_and_cleared_for_the_next_resident(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.services.disabled, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.services.pregnant, Qt.MouseButton.LeftButton)
    assert window.services.chosen_priority() == "pregnant" and not window.services.disabled.isChecked()
    ticket = take_number_here(qtbot, window, bridge)
    assert ticket.priority.value == "pregnant"
    qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    assert window.services.chosen_priority() is None
    qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
    assert take_number_here(qtbot, window, bridge).priority.value == "normal"
    with sqlite3.connect(config.database_path) as db:
        assert [r[0] for r in db.execute("SELECT priority FROM tickets ORDER BY seq")] == ["pregnant", "normal"]


def take_number_here(qtbot, window, bridge):
    with caught(qtbot, bridge.store.ticket_issued) as issued:
        qtbot.mouseClick(window.services.service_buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
    return issued.args[0]
