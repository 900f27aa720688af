"""GET changes (since/limit/has_more), catalogue import upserts and deletes, 410 and snapshot."""

import json

import pytest

from sync.server.cli import main


def write_catalogue(tmp_path, services=25, **sections):
    document = {
        "district": {"name": "雁塔区"},
        "services": [{"code": f"S-{i:03d}", "name": f"事项 {i}"} for i in range(services)],
        "bundles": [{"code": "B-birth", "services": ["S-000"]}],
        "stations": [{"id": "yt-xiaozhai", "name": "小寨"}],
        "notices": [{"id": 1, "text": "元旦休息"}],
        "config": {"followup_working_days": 3},
    }
    document.update(sections)
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def import_file(db_url, path, *extra):
    assert main(["import-catalogue", "--db", db_url, *extra, str(path)]) == 0


def read_all(kiosk, since=0, limit=10):
    pages = []
    while True:
        response = kiosk.changes(since=since, limit=limit)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        since = page["next"]
        if not page["has_more"]:
            return pages


def test_paging_with_since_limit_has_more(kiosk, db_url, tmp_path):
    import_file(db_url, write_catalogue(tmp_path))
    pages = read_all(kiosk, limit=10)
    changes = [c for page in pages for c in page["changes"]]
    # 25 services + bundle + station (enrolment made it bare, the import described it) + notice + 2 config
    # + the catalogue's version (every import that changes something raises it)
    entities = [c["entity"] for c in changes]
    assert entities.count("service") == 25 and entities.count("config") == 3
    cursors = [c["cursor"] for c in changes]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    assert [len(p["changes"]) for p in pages][:-1] == [10] * (len(pages) - 1)
    assert [p["has_more"] for p in pages] == [True] * (len(pages) - 1) + [False]
    assert all(p["next"] == p["changes"][-1]["cursor"] for p in pages if p["changes"])
    empty = kiosk.changes(since=pages[-1]["next"]).json()
    assert empty == {"changes": [], "next": pages[-1]["next"], "has_more": False}
    notice = next(c for c in changes if c["entity"] == "notice")
    assert notice["id"] == "1" and notice["op"] == "upsert" and notice["data"]["text"] == "元旦休息"
    config = {c["id"]: c["data"] for c in changes if c["entity"] == "config"}
    assert config["followup_working_days"] == {"key": "followup_working_days", "value": 3}
    assert config["district"]["value"] == {"name": "雁塔区"}


def test_reimport_emits_changed_upserts_and_deletes(kiosk, db_url, tmp_path):
    import_file(db_url, write_catalogue(tmp_path, services=3))
    last = read_all(kiosk)[-1]["next"]
    services = [{"code": "S-000", "name": "事项 0"}, {"code": "S-001", "name": "改名"}]
    import_file(db_url, _catalogue_with(tmp_path, services))
    changes = [c for p in read_all(kiosk, since=last) for c in p["changes"]]
    assert [(c["entity"], c["id"], c["op"]) for c in changes] == [
        ("service", "S-001", "upsert"), ("service", "S-002", "delete"), ("config", "catalogue_version", "upsert")]
    assert changes[1]["data"] is None
    snapshot = kiosk.request("GET", "/v1/kiosks/YT-XZ-01/snapshot").json()
    assert {c["id"] for c in snapshot["changes"] if c["entity"] == "service"} == {"S-000", "S-001"}


def _catalogue_with(tmp_path, services):
    path = write_catalogue(tmp_path, services=0)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["services"] = services
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_old_cursor_is_410_and_snapshot_replaces(kiosk, db_url, tmp_path, clock):
    import_file(db_url, write_catalogue(tmp_path, services=3))
    assert kiosk.changes(since=0).status_code == 200
    import_file(db_url, _catalogue_with(tmp_path, [{"code": "S-new"}]), "--retention-days", "0")
    gone = kiosk.changes(since=0)
    assert gone.status_code == 410
    assert set(gone.json()) == {"error", "detail"}
    snapshot = kiosk.request("GET", "/v1/kiosks/YT-XZ-01/snapshot")
    assert snapshot.status_code == 200
    body = snapshot.json()
    assert {(c["entity"], c["id"]) for c in body["changes"] if c["entity"] == "service"} == {("service", "S-new")}
    assert all(c["op"] == "upsert" for c in body["changes"])
    after = kiosk.changes(since=body["next"])
    assert after.status_code == 200 and after.json()["changes"] == []


def test_cursor_beyond_the_feed_is_410(kiosk):
    assert kiosk.changes(since=10_000).status_code == 410


@pytest.mark.parametrize("query", ["since=-1", "since=abc", "limit=0", "limit=x", "since=1.5"])
def test_bad_query_is_422(kiosk, query):
    response = kiosk.request("GET", f"/v1/kiosks/YT-XZ-01/changes?{query}")
    assert response.status_code == 422
    assert set(response.json()) == {"error", "detail"}


def test_bad_query_unsigned_is_401_first(server):
    assert server.get("/v1/kiosks/YT-XZ-01/changes?since=abc").status_code == 401


def test_missing_section_leaves_entities_untouched(kiosk, db_url, tmp_path):
    import_file(db_url, write_catalogue(tmp_path, services=2))
    last = read_all(kiosk)[-1]["next"]
    path = tmp_path / "only-notices.json"
    path.write_text(json.dumps({"notices": []}))
    import_file(db_url, path)
    changes = [c for p in read_all(kiosk, since=last) for c in p["changes"]]
    assert [(c["entity"], c["op"]) for c in changes] == [("notice", "delete"), ("config", "upsert")]
