"""Fixtures of the sync-client tests: a live district server and an enrolled kiosk store."""

from __future__ import annotations

import pytest

from sync_client_support import enrol_store, open_kiosk_store


@pytest.fixture
def kiosk_store(tmp_path, district):
    store = open_kiosk_store(tmp_path / "kiosk")
    enrol_store(store, district)
    yield store
    store.close()
