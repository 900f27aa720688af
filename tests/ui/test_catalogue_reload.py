"""A guide published at the district shows on a running kiosk after the sync run that brought it,
without a restart: the store worker reads the catalogue again after a run that pulled changes."""

import json

from PySide6.QtCore import QObject, Qt, Signal

from qt_waiting import caught

from kiosk import app


class FakeSyncRuns(QObject):
    """Stands in for the sync worker's `sync_finished` (the bridge connects the real one the same way)."""
    sync_finished = Signal(dict)


def click(qtbot, button):
    qtbot.waitUntil(button.isVisible, timeout=3000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def shown_texts(widget) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def published(config, code: str, **fields) -> None:
    """What the sync client's pull writes when the district publishes a new version of a service."""
    store = app.open_sync_store(config)
    try:
        row = store.db.execute("SELECT data FROM services WHERE code = ?", (code,)).fetchone()
        data = {**json.loads(row[0]), **fields} if row and row[0].startswith("{") else {"code": code, **fields}
        store.apply_changes([{"cursor": 41, "entity": "service", "id": code, "op": "upsert", "data": data},
                             {"cursor": 42, "entity": "config", "id": "catalogue_version", "op": "upsert",
                              "data": {"key": "catalogue_version", "value": 7}}], 42)
    finally:
        store.db.close()


def test_a_synced_guide_shows_on_the_running_kiosk(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    runs = FakeSyncRuns()
    runs.sync_finished.connect(bridge.store.reload_catalogue)
    before = window.session.catalogue.service("SB-KSL")
    assert "（新版）" not in before.name

    runs.sync_finished.emit({"pulled": 0})  # a run that brought nothing reads nothing
    published(config, "SB-KSL", name="社会保障卡申领（新版）", materials=["居民身份证原件", "一寸照片（新版要求）"])
    with caught(qtbot, bridge.store.catalogue_changed, timeout=10000):
        runs.sync_finished.emit({"pulled": 2})
    qtbot.waitUntil(lambda: window.session.catalogue.service("SB-KSL").name == "社会保障卡申领（新版）", timeout=5000)

    window.guide_flow.show_guide("SB-KSL")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.guide_detail, timeout=5000)
    text = shown_texts(window.guide_detail)
    assert "社会保障卡申领（新版）" in text and "一寸照片（新版要求）" in text
