"""Technician mode: a hidden gesture and a PIN, a lock after five wrong tries, what it shows."""

import sqlite3

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk import app
from kiosk.ui.theme import Sizes

from qt_waiting import caught

DEMO_PIN = "2468"


def secret_taps(qtbot, window, count=5, where=0.9):
    header = window.home.header
    for _ in range(count):
        qtbot.mouseClick(header, Qt.MouseButton.LeftButton, pos=QPoint(int(header.width() * where), 10))


def type_pin(qtbot, window, pin):
    for key in pin + "✓":
        qtbot.mouseClick(window.pin.keys[key], Qt.MouseButton.LeftButton)


def test_gesture_opens_the_pin_and_only_on_the_right_end_of_the_header(qtbot, make_config, kiosk_window):
    window, _bridge = kiosk_window(make_config())
    secret_taps(qtbot, window, where=0.2)
    assert window.stack.currentWidget() is window.home
    secret_taps(qtbot, window, count=4)
    assert window.stack.currentWidget() is window.home
    secret_taps(qtbot, window, count=1)
    assert window.stack.currentWidget() is window.pin


def test_five_wrong_pins_lock_even_the_right_one(qtbot, make_config, kiosk_window):
    window, _bridge = kiosk_window(make_config())
    secret_taps(qtbot, window)
    for attempt in range(4):
        type_pin(qtbot, window, "0000")
        assert f"还可以再试 {4 - attempt} 次" in window.pin.hint.text()
    type_pin(qtbot, window, "0000")
    assert "锁定" in window.pin.hint.text()
    type_pin(qtbot, window, DEMO_PIN)
    assert window.stack.currentWidget() is window.pin and "锁定" in window.pin.hint.text()
    assert window.pin.dots.text() == "—"  # nothing typed stays visible


def test_technician_sees_queue_dead_letters_and_can_test_print_and_read(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    with sqlite3.connect(config.database_path) as db:
        db.execute("INSERT INTO outbox (op_id, entity, entity_id, kind, created_at, payload, state, reject_code, "
                   "reject_detail) VALUES ('op-x', 'rating', 'r-1', 'upsert', '2026-11-23T10:00:00+08:00', '{}', "
                   "'rejected', 'invalid_payload', 'level must be 1..5')")
    secret_taps(qtbot, window)
    with caught(qtbot, window.technician_access.status_shown, timeout=5000):
        type_pin(qtbot, window, DEMO_PIN)
    qtbot.waitUntil(lambda: window.technician.dead_letters.count() == 1, timeout=5000)
    assert window.stack.currentWidget() is window.technician
    assert "invalid_payload" in window.technician.dead_letters.item(0).text()
    assert "待上传" in window.technician.queue.text()
    with caught(qtbot, bridge.printer.printer_status_changed, timeout=5000):
        qtbot.mouseClick(window.technician.test_print, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("打印测试".encode("gb18030") in p.read_bytes()
                                for p in (config.kiosk.data_dir / "printed").glob("*.bin")), timeout=5000)
    assert "在线" in window.technician.printer.text()
    with caught(qtbot, bridge.card.card_read, timeout=10000):
        bridge.simulate_card("place", "resident")
    qtbot.waitUntil(lambda: "读卡成功" in window.technician.card.text(), timeout=5000)
    assert window.stack.currentWidget() is window.technician  # a test read does not start a resident flow
    assert "王建国" not in window.technician.card.text()


def test_kiosk_mode_ignores_close_and_escape(qtbot, make_config):
    config = make_config()
    bridge = app.build_bridge(config)
    window = app.main_window(config, bridge, Sizes(800), kiosk_mode=True)
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert window.isVisible()
    window.stack.setCurrentWidget(window.services)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    QTest.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert window.isVisible() and window.stack.currentWidget() is window.services
    window.allow_close = True
    window.close()
    assert not window.isVisible()


def test_technician_syncs_now_with_a_real_district_server(qtbot, make_config, kiosk_window):
    import json

    from kiosk.commands.demo_district import DemoDistrictServer

    config = make_config()
    server = DemoDistrictServer(config)
    server.start()
    try:
        window, bridge = kiosk_window(config)
        assert bridge.sync is not None
        qtbot.mouseClick(window.home.take_number, Qt.MouseButton.LeftButton)
        with caught(qtbot, bridge.store.ticket_issued):
            qtbot.mouseClick(window.services.service_buttons()[0], Qt.MouseButton.LeftButton)
        secret_taps(qtbot, window)
        type_pin(qtbot, window, DEMO_PIN)
        assert window.technician.sync_now.isEnabled()
        with caught(qtbot, bridge.sync.sync_finished, timeout=30000):
            qtbot.mouseClick(window.technician.sync_now, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "成功" in window.technician.sync.text(), timeout=5000)
        assert window.technician.progress.value() == 100
        with sqlite3.connect(config.database_path) as db:
            assert db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0] == 0
        qtbot.waitUntil(lambda: window.technician.queue.text().startswith("0 条待上传"), timeout=5000)
    finally:
        server.stop()
    assert json.loads((config.kiosk.data_dir / "sync-secret.json").read_text())["kiosk_id"] == config.kiosk.id


def test_technician_screen_speaks_in_words_and_trusts_a_card_read(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    with sqlite3.connect(config.database_path) as db:
        db.execute("INSERT INTO events (event_id, type, at, detail) VALUES ('e-1', 'device_fault', "
                   "'2026-11-23T10:00:00+08:00', '{\"device\": \"printer\", \"reason\": \"paper_out\"}')")
    secret_taps(qtbot, window)
    with caught(qtbot, window.technician_access.status_shown, timeout=5000):
        type_pin(qtbot, window, DEMO_PIN)
    events = [window.technician.events.item(i).text() for i in range(window.technician.events.count())]
    assert any("设备故障" in e and "缺纸" in e for e in events), events
    assert not any("paper_out" in e or "device_fault" in e for e in events)
    assert "死信" not in window.technician.dead_caption.text()
    with caught(qtbot, bridge.card.card_read, timeout=10000):
        bridge.simulate_card("place", "resident")
    qtbot.waitUntil(lambda: "正常" in window.technician.reader.text(), timeout=5000)
