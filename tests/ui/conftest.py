"""A real main window over real workers: store on a temporary SQLite file, simulated printer."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk import app
from kiosk import config as kiosk_config


@pytest.fixture
def make_config(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))

    def make(printer: str = "sim://", **numbering):
        config = kiosk_config.load(str(kiosk_config.DEMO_CONFIG))
        return dataclasses.replace(
            config, devices=dataclasses.replace(config.devices, printer=printer),
            numbering=dataclasses.replace(config.numbering, **numbering))
    return make


@pytest.fixture
def kiosk_window(qtbot):
    started = []

    def start(config, wait_open=True):
        from kiosk.ui.main_window import MainWindow
        from kiosk.ui.theme import Sizes

        bridge = app.build_bridge(config)
        window = MainWindow(bridge, clock=app.station_clock(config), sizes=Sizes(800),
                            station_id=config.kiosk.station_id, qr_url=lambda t: app.ticket_url(config, t),
                            kiosk_mode=False)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        signal = bridge.store.store_opened if wait_open else bridge.store.store_failed
        with qtbot.waitSignal(signal, timeout=15000):
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
