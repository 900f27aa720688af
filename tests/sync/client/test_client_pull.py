"""Download against a real server: the district catalogue arrives, changes follow, the cursor
survives a restart, and a 410 leads to a snapshot that replaces the local copy."""

from __future__ import annotations

import copy
import json

import pytest

from kiosk.store.catalogue import load_catalogue
from sync.client.backoff import Backoff
from sync.client.runner import build_runner

from sync_client_support import CATALOGUE, open_kiosk_store, write_json

pytestmark = pytest.mark.slow


def sync(store, tmp_path):
    return build_runner(store, lock_path=tmp_path / "sync.lock", app_version="1.0.0",
                        backoff=Backoff(base=0.01, cap=0.1)).run()


def rows(store, table, key):
    return {row[0]: json.loads(row[1]) for row in store.db.execute(f"SELECT {key}, data FROM {table}")}


def test_catalogue_changes_arrive_and_the_cursor_survives_a_restart(tmp_path, district, kiosk_store):
    original = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    district.cli("import-catalogue", str(CATALOGUE))
    first = sync(kiosk_store, tmp_path)
    assert first["pulled"] >= len(original["services"]) + len(original["stations"])
    services = rows(kiosk_store, "services", "code")
    stations = rows(kiosk_store, "stations", "id")
    assert set(services) == {s["code"] for s in original["services"]}
    assert set(stations) == {s["id"] for s in original["stations"]}
    assert set(rows(kiosk_store, "bundles", "code")) == {b["code"] for b in original["bundles"]}
    assert kiosk_store.setting("notice", original["notices"][0]["id"]) == original["notices"][0]
    catalogue = load_catalogue(kiosk_store.db)
    assert catalogue.district_name == original["district"]["name"]
    assert len(catalogue.services) == len(original["services"])

    modified = copy.deepcopy(original)
    renamed = modified["services"][0]
    renamed["name"] = "社会保障卡申领（更名）"
    removed = modified["stations"].pop()
    district.cli("import-catalogue", str(write_json(tmp_path / "modified.json", modified)))
    second = sync(kiosk_store, tmp_path)
    assert second["pulled"] == 3  # the two changed items and the catalogue's new version
    assert rows(kiosk_store, "services", "code")[renamed["code"]]["name"] == "社会保障卡申领（更名）"
    assert removed["id"] not in rows(kiosk_store, "stations", "id")
    assert load_catalogue(kiosk_store.db).services[0].name == "社会保障卡申领（更名）"  # position kept
    cursor = kiosk_store.cursor()
    assert cursor == second["cursor"] > first["cursor"]

    kiosk_store.close()
    reopened = open_kiosk_store(tmp_path / "kiosk")
    try:
        assert reopened.cursor() == cursor
        assert sync(reopened, tmp_path)["pulled"] == 0
    finally:
        reopened.close()


def test_a_cursor_older_than_the_history_gets_the_snapshot(tmp_path, district, kiosk_store):
    original = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    district.cli("import-catalogue", str(CATALOGUE))
    sync(kiosk_store, tmp_path)
    kiosk_store.db.execute("INSERT INTO services (code, name, category, prefix, position, data) "
                           "VALUES ('STRAY', 'not on the server', 'x', 'Z', 99, '{}')")
    third = copy.deepcopy(original)
    third["services"][1]["name"] = "第三版"
    district.cli("import-catalogue", str(write_json(tmp_path / "third.json", third)))
    fourth = copy.deepcopy(third)
    gone = fourth["services"].pop()
    fourth["stations"][0]["phone"] = "029-00000000"
    district.cli("import-catalogue", "--retention-days", "0", str(write_json(tmp_path / "fourth.json", fourth)))
    summary = sync(kiosk_store, tmp_path)
    assert summary["snapshots"] == 1
    services = rows(kiosk_store, "services", "code")
    assert "STRAY" not in services and gone["code"] not in services
    assert services[third["services"][1]["code"]]["name"] == "第三版"
    assert rows(kiosk_store, "stations", "id")[fourth["stations"][0]["id"]]["phone"] == "029-00000000"
    assert kiosk_store.cursor() == summary["cursor"]
    assert sync(kiosk_store, tmp_path)["snapshots"] == 0


def test_a_cursor_beyond_the_servers_newest_gets_the_snapshot(tmp_path, district, kiosk_store):
    district.cli("import-catalogue", str(CATALOGUE))
    kiosk_store.apply_changes([], 10**9)
    summary = sync(kiosk_store, tmp_path)
    assert summary["snapshots"] == 1 and summary["cursor"] < 10**9
    assert len(rows(kiosk_store, "services", "code")) == len(json.loads(CATALOGUE.read_text())["services"])


def test_a_page_and_its_cursor_are_one_transaction(tmp_path):
    store = open_kiosk_store(tmp_path / "kiosk")
    try:
        store.apply_changes([{"cursor": 1, "entity": "service", "id": "S1", "op": "upsert",
                              "data": {"code": "S1", "name": "one", "category": "c", "prefix": "A"}}], 1)
        with pytest.raises(AttributeError):
            store.apply_changes([
                {"cursor": 2, "entity": "service", "id": "S2", "op": "upsert",
                 "data": {"code": "S2", "name": "two", "category": "c", "prefix": "B"}},
                {"cursor": 3, "entity": "service", "id": "S3", "op": "upsert", "data": ["not", "an", "object"]},
            ], 3)
        assert store.cursor() == 1
        assert set(rows(store, "services", "code")) == {"S1"}
        store.apply_changes([{"cursor": 4, "entity": "service", "id": "S1", "op": "delete", "data": None},
                             {"cursor": 5, "entity": "config", "id": "rating_reasons", "op": "upsert",
                              "data": {"key": "rating_reasons", "value": ["a"]}},
                             {"cursor": 6, "entity": "future_thing", "id": "x", "op": "upsert", "data": {}}], 6)
        assert store.cursor() == 6 and rows(store, "services", "code") == {}
        assert store.setting("config", "rating_reasons") == {"key": "rating_reasons", "value": ["a"]}
    finally:
        store.close()
