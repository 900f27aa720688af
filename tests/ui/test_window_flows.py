"""Whole-window flows through the home tiles, over the real store and simulated printer."""

import json
import sqlite3

from PySide6.QtCore import Qt

from qt_waiting import caught


def click(qtbot, button):
    qtbot.waitUntil(button.isVisible, timeout=3000)
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def rows(config, sql):
    with sqlite3.connect(config.database_path) as db:
        return db.execute(sql).fetchall()


def issue_from(qtbot, window, bridge, button):
    with caught(qtbot, bridge.store.ticket_issued, timeout=10000) as issued:
        click(qtbot, button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
    return issued.args[0]


def test_guide_by_initials_prints_the_guide_then_takes_a_number(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    click(qtbot, window.home.guides)
    click(qtbot, window.guides.pad.key("S"))
    click(qtbot, window.guides.pad.key("B"))
    click(qtbot, window.guides.service_buttons()[0])
    assert window.stack.currentWidget() is window.guide_detail
    with caught(qtbot, window.guide_flow.guide_print_finished, timeout=10000):
        click(qtbot, window.guide_detail.print_guide)
    qtbot.waitUntil(lambda: "已打印" in window.guide_detail.print_guide.text(), timeout=5000)
    guide = next((config.kiosk.data_dir / "printed").glob("*.bin")).read_bytes()
    assert "社会保障卡申领".encode("gb18030") in guide and "居民身份证原件".encode("gb18030") in guide
    ticket = issue_from(qtbot, window, bridge, window.guide_detail.take_number)
    assert ticket.service_code == "SB-KSL" and ticket.number == "A001"


def test_a_bundle_takes_a_number_at_the_bundle_window(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    click(qtbot, window.home.bundles)
    click(qtbot, window.bundles.bundle_buttons()[0])
    ticket = issue_from(qtbot, window, bridge, window.bundles.take_number)
    assert ticket.number == "Y001" and ticket.bundle_code == ticket.service_code
    assert "一件事一次办窗口" in window.ticket.where.text()
    payload = json.loads(rows(config, "SELECT payload FROM outbox WHERE entity = 'ticket'")[0][0])
    assert payload["bundle_code"] == ticket.bundle_code


def test_rating_a_served_ticket_once_with_reasons_a_phone_and_its_code(qtbot, make_config, kiosk_window):
    from kiosk.app import station_clock
    from test_queue_from_counters import serve

    config = make_config()
    window, bridge = kiosk_window(config)
    click(qtbot, window.home.take_number)
    ticket = issue_from(qtbot, window, bridge, window.services.service_buttons()[0])
    click(qtbot, window.ticket.done)
    answers = []
    for attempt in range(3):
        if attempt == 1:
            serve(config, ticket, station_clock(config), minutes=5)  # a counter sharing this store
        click(qtbot, window.home.rating)
        click(qtbot, window.rating.letters.key("A"))
        click(qtbot, window.rating.digits.key("1"))
        click(qtbot, window.rating.next)
        for key in ticket.holder_code:
            click(qtbot, window.rating.code_entry.keys[key])
        with caught(qtbot, window.rating_flow.check_answered, timeout=5000) as answered:
            click(qtbot, window.rating.code_entry.ok)
        answers.append(tuple(answered.args))
        if attempt != 1:
            qtbot.waitUntil(lambda: window.rating.current_step() == "result", timeout=5000)
            click(qtbot, window.rating.result_home)
            continue
        click(qtbot, window.rating.level_buttons[2])
        click(qtbot, window.rating.reason_buttons["wait_too_long"])
        for digit in "13812345678":
            click(qtbot, window.rating.phone_pad.key(digit))
        with caught(qtbot, bridge.store.rating_saved, timeout=5000):
            click(qtbot, window.rating.reason_submit)
        qtbot.waitUntil(lambda: "谢谢" in window.rating.result_title.text(), timeout=5000)
        click(qtbot, window.rating.result_home)
    # waiting: nobody can say it was served; then served: rated; then: rated already
    assert answers == [("cannot_check", "not_enrolled"), ("local_ok", ""), ("local_refused", "already_rated")]
    stored = rows(config, "SELECT ticket_id, level, reasons, contact_phone FROM ratings")
    assert stored == [(ticket.ticket_id, 2, '["wait_too_long"]', "13812345678")]
    op = json.loads(rows(config, "SELECT payload FROM outbox WHERE entity = 'rating'")[0][0])
    assert op["level"] == 2 and op["channel"] == "kiosk" and op["ticket_id"] == ticket.ticket_id
    assert op["holder"] == {"by": "code", "code": ticket.holder_code}


def test_nearby_stations_lists_this_station_first(qtbot, make_config, kiosk_window):
    window, _bridge = kiosk_window(make_config())
    click(qtbot, window.home.stations)
    assert window.stack.currentWidget() is window.stations
    assert window.stations.ordered_ids()[0] == "yt-xiaozhai"
    click(qtbot, window.stations.home)
    assert window.stack.currentWidget() is window.home


def test_worker_results_touch_widgets_only_on_the_ui_thread(qtbot, make_config, kiosk_window):
    """A worker's result reaches the widgets on the UI thread (a lambda on a worker signal would not)."""
    import threading

    window, bridge = kiosk_window(make_config())
    window.guide_flow.show_guide("SB-KSL")
    button = window.guide_detail.print_guide
    threads = []
    real_set_text = button.setText

    def recording_set_text(text):
        threads.append(threading.current_thread() is threading.main_thread())
        real_set_text(text)

    button.setText = recording_set_text
    with caught(qtbot, window.guide_flow.guide_print_finished, timeout=10000):
        click(qtbot, button)
    qtbot.waitUntil(lambda: len(threads) >= 2, timeout=5000)  # "正在打印…", then the result
    assert threads == [True, True]


def test_english_and_elder_mode_from_home_and_back_to_default_when_idle(qtbot, make_config, kiosk_window):
    from kiosk.ui.i18n import current_language

    window, _bridge = kiosk_window(make_config())
    click(qtbot, window.home.language)
    qtbot.waitUntil(lambda: current_language() == "en", timeout=3000)
    assert "Take a number" in window.home.take_number.text() and "取号" not in window.home.take_number.text()
    click(qtbot, window.home.elder)
    assert window.session.elder
    window.reset_for_next_resident()
    assert current_language() == "zh_CN" and not window.session.elder
    assert "取号" in window.home.take_number.text()


def test_nearby_stations_shows_the_waiting_count_after_tickets_are_taken(qtbot, make_config, kiosk_window):
    window, bridge = kiosk_window(make_config())
    click(qtbot, window.home.take_number)  # opening the services screen also asks for fresh counts (0)
    with caught(qtbot, bridge.store.ticket_issued):
        click(qtbot, window.services.service_buttons()[0])
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
    click(qtbot, window.ticket.done)
    click(qtbot, window.home.stations)

    def here():
        return next(row for row in window.stations.rows if row.waiting_count is not None)

    qtbot.waitUntil(lambda: here().waiting_count == 1, timeout=5000)  # the count after the ticket, not before
    assert "当前等候 1 人" in here().offered.text()


def test_done_puts_the_language_and_elder_mode_back_for_the_next_resident(qtbot, make_config, kiosk_window):
    from kiosk.ui.i18n import current_language

    window, bridge = kiosk_window(make_config())
    click(qtbot, window.home.language)
    qtbot.waitUntil(lambda: current_language() == "en", timeout=3000)
    click(qtbot, window.home.elder)
    assert window.session.elder
    click(qtbot, window.home.take_number)
    with caught(qtbot, window.ticket_flow.print_finished, timeout=10000):
        click(qtbot, window.services.service_buttons()[0])
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
    click(qtbot, window.ticket.done)
    assert window.stack.currentWidget() is window.home
    assert current_language() == "zh_CN" and not window.session.elder
