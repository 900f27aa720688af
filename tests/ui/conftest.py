"""A real main window over real workers: store on a temporary SQLite file, simulated printer."""

from __future__ import annotations

import dataclasses
import pytest

from qt_waiting import caught

from kiosk import app
from kiosk import config as kiosk_config


@pytest.fixture
def make_config(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))

    def make(printer: str = "sim://", idcard: str = "sim://", idle_seconds: int = 90, **numbering):
        config = kiosk_config.load(str(kiosk_config.DEMO_CONFIG))
        return dataclasses.replace(
            config, devices=dataclasses.replace(config.devices, printer=printer, idcard=idcard),
            kiosk=dataclasses.replace(config.kiosk, idle_seconds=idle_seconds),
            numbering=dataclasses.replace(config.numbering, **numbering))
    return make


@pytest.fixture
def kiosk_window(qtbot):
    started = []

    def start(config, wait_open=True):
        from kiosk.ui.theme import Sizes

        bridge = app.build_bridge(config)
        window = app.main_window(config, bridge, Sizes(800), kiosk_mode=False)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        signal = bridge.store.store_opened if wait_open else bridge.store.store_failed
        with caught(qtbot, signal, timeout=15000):
            bridge.start()
        started.append(bridge)
        if wait_open:  # the signal is seen before the UI thread's queued slot has run
            qtbot.waitUntil(window.home.take_number.isEnabled, timeout=5000)
        else:
            qtbot.waitUntil(lambda: "服务台" in window.home.status.text(), timeout=5000)
        return window, bridge

    yield start
    for bridge in started:
        bridge.stop()

