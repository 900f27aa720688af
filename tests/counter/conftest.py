"""Fixtures of the queue-service tests: a running server on a fresh store, and chromium drivers."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_harness import CounterServer, add_counters, chromium_driver


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def server(data_dir):
    """A running counter service with counters w1 (PIN 1111) and w2 (PIN 2222) and no tickets."""
    running = CounterServer(data_dir)  # first start migrates and seeds the store
    add_counters(data_dir, ("w1", "1号窗口", "1111"), ("w2", "2号窗口", "2222"))
    yield running
    running.stop()


@pytest.fixture
def browser(tmp_path):
    """Opens chromium drivers on demand; quits them all (no process left behind)."""
    drivers = []

    def open_browser(size: str = "1920,1080", tz: str | None = None):
        driver = chromium_driver(tmp_path, size, tz)
        drivers.append(driver)
        return driver

    yield open_browser
    for driver in drivers:
        driver.quit()
