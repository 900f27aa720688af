"""Fixtures of the sync-client tests: a live district server and an enrolled kiosk store."""

from __future__ import annotations

import pytest

from sync_client_support import DistrictServer, enrol_store, open_kiosk_store


@pytest.fixture
def district(tmp_path):
    server = DistrictServer(tmp_path / "district.db").start()
    yield server
    server.stop()


@pytest.fixture
def kiosk_store(tmp_path, district):
    store = open_kiosk_store(tmp_path / "kiosk")
    enrol_store(store, district)
    yield store
    store.close()
