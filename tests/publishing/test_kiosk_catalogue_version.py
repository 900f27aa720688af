"""The kiosk's side of the catalogue version: the config item that comes down the feed is what the
store's technician status reports, and the technician screen says it in Chinese and in English."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.store.store import Store
from kiosk.store.sync_store import SqliteSyncStore
from kiosk.ui.theme import Sizes

CATALOGUE = Path(__file__).resolve().parents[2] / "assets" / "catalogue" / "yanta.json"


def test_the_synced_catalogue_version_is_in_the_technician_status(tmp_path):
    store = Store(tmp_path / "kiosk.db")
    try:
        store.seed_catalogue(CATALOGUE)
        assert store.technician_status(date(2026, 12, 3))["catalogue_version"] is None  # the file's seed only
        sync = SqliteSyncStore.open(tmp_path / "kiosk.db")
        try:
            sync.apply_changes([{"cursor": 7, "entity": "config", "id": "catalogue_version", "op": "upsert",
                                 "data": {"key": "catalogue_version", "value": 4, "at": 1.0, "by": "admin"}}], 7)
            assert store.technician_status(date(2026, 12, 3))["catalogue_version"] == 4
            sync.apply_changes([{"cursor": 8, "entity": "config", "id": "catalogue_version", "op": "upsert",
                                 "data": {"key": "catalogue_version", "value": "five"}}], 8)
            assert store.technician_status(date(2026, 12, 3))["catalogue_version"] is None  # not a number: not shown as one
        finally:
            sync.close()
    finally:
        store.close()


def test_the_technician_screen_names_the_version(qtbot):
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.i18n import install_language
    from kiosk.ui.screens.technician import TechnicianScreen

    screen = TechnicianScreen(Sizes(800), kiosk_id="YT-XZ-01", station_id="yt-xiaozhai", version="1.0",
                              sync_server="", can_quit=False)
    qtbot.addWidget(screen)
    assert screen.catalogue.text() == "—"
    status = {"pending": 0, "dead_letters": [], "events": [], "tickets_today": 0, "catalogue_version": 12}
    screen.set_store_status(status)
    assert screen.catalogue.text() == "区目录第 12 版"
    assert screen.captions["catalogue"].text() == "目录版本"
    try:
        install_language(QApplication.instance(), "en")
        qtbot.waitUntil(lambda: screen.catalogue.text() == "District catalogue version 12", timeout=3000)
        screen.set_store_status({**status, "catalogue_version": None})
        assert screen.catalogue.text().startswith("The installation's catalogue file")
    finally:
        install_language(QApplication.instance(), "zh_CN")
    qtbot.waitUntil(lambda: "尚未从区里同步目录" in screen.catalogue.text(), timeout=3000)
