"""The publishing API: a guide edited, checked, previewed and published with its version, who and
when; the catalogue version going up through the feed; stale edits, bad items, wrong roles and bad
bodies refused with the documented error body; the kiosks behind the latest version."""

from __future__ import annotations

import copy
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from sync.server.changes import read_page
from sync.server.db import make_engine, transaction
from sync.server.models import CatalogueItem, CatalogueVersion, DeviceHealth

ITEM = "/console/api/publish/items"


def rows(db_url: str, work):
    engine = make_engine(db_url)
    try:
        with transaction(sessionmaker(engine)) as session:
            return work(session)
    finally:
        engine.dispose()


def feed(db_url: str, since: int = 0) -> list[dict]:
    return rows(db_url, lambda s: read_page(s, since, 1000)["changes"])


def guide(admin) -> dict:
    answer = admin.get(f"{ITEM}/service/SB-KSL")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_import_is_version_one_and_travels_in_the_feed(admin, db_url):
    overview = admin.get("/console/api/publish").json()
    assert overview["catalogue_version"] == 1
    assert {"SB-KSL", "YB-CBDJ"} <= {item["id"] for item in overview["items"]["service"]}
    assert all(item["version"] == 1 and item["author"] == "import-catalogue" for item in overview["items"]["service"])
    assert "catalogue_version" not in {item["id"] for item in overview["items"]["config"]}
    marker = [c for c in feed(db_url) if c["entity"] == "config" and c["id"] == "catalogue_version"]
    assert [c["data"]["value"] for c in marker] == [1]


def test_a_guide_edit_is_published_with_who_and_when(admin, db_url):
    current = guide(admin)
    assert current["version"] == 1 and current["catalogue_version"] == 1
    before = feed(db_url)[-1]["cursor"]
    data = copy.deepcopy(current["data"])
    data["materials"] = ["居民身份证原件", "户口簿"]
    data["materials_en"] = ["Original resident ID card", "Household register"]
    data["fee"] = "免费（补卡20元）"
    answer = admin.post(f"{ITEM}/service/SB-KSL", {"data": data, "base_version": 1, "note": "补卡收费"})
    assert answer.status_code == 200, answer.text
    published = answer.json()
    assert published["version"] == 2 and published["catalogue_version"] == 2 and published["author"] == "admin"
    assert abs(published["at"] - time.time()) < 60
    changes = feed(db_url, before)
    assert [(c["entity"], c["id"]) for c in changes] == [("service", "SB-KSL"), ("config", "catalogue_version")]
    assert changes[0]["data"]["materials"] == ["居民身份证原件", "户口簿"]
    assert changes[1]["data"]["value"] == 2 and changes[1]["data"]["by"] == "admin"
    after = guide(admin)
    assert after["version"] == 2 and after["data"]["fee"] == "免费（补卡20元）"
    assert [(h["version"], h["author"], h["note"]) for h in after["history"]] == [
        (2, "admin", "补卡收费"), (1, "import-catalogue", None)]
    old = admin.get(f"{ITEM}/service/SB-KSL/versions/1").json()
    assert old["data"]["fee"] == "免费" and old["author"] == "import-catalogue"
    assert admin.get(f"{ITEM}/service/SB-KSL/versions/9").json()["error"] == "not_found"
    recent = admin.get("/console/api/publish").json()["recent"]
    assert (recent[0]["id"], recent[0]["version"], recent[0]["author"]) == ("SB-KSL", 2, "admin")


def test_a_stale_edit_is_409_and_writes_nothing(admin, db_url):
    data = guide(admin)["data"]
    first = admin.post(f"{ITEM}/service/SB-KSL", {"data": {**data, "fee": "10元"}, "base_version": 1})
    assert first.status_code == 200, first.text
    second = admin.post(f"{ITEM}/service/SB-KSL", {"data": {**data, "fee": "20元"}, "base_version": 1})
    assert second.status_code == 409
    body = second.json()
    assert body["error"] == "stale_version" and body["current_version"] == 2 and "version 2" in body["detail"]
    assert guide(admin)["data"]["fee"] == "10元"
    unchanged = admin.post(f"{ITEM}/service/SB-KSL", {"data": {**data, "fee": "10元"}, "base_version": 2})
    assert (unchanged.status_code, unchanged.json()["error"]) == (409, "unchanged")
    assert admin.get("/console/api/publish").json()["catalogue_version"] == 2


BAD_STATIONS = [
    ({"hours": [{"days": "1-5", "open": "17:30", "close": "09:00"}]}, "must be before close"),
    ({"hours": [{"days": "1-5", "open": "9:00", "close": "17:30"}]}, "HH:MM"),
    ({"hours": [{"days": "5-1", "open": "09:00", "close": "17:30"}]}, "weekday 1-7"),
    ({"hours": [{"days": "1-8", "open": "09:00", "close": "17:30"}]}, "weekday 1-7"),
    ({"lat": 134.2}, "lat must be a number from -90 to 90"),
    ({"lon": "108.9"}, "lon must be a number"),
    ({"noon_open": "yes"}, "noon_open must be true or false"),
    ({"name": ""}, "name must not be empty"),
    ({"name_en": 5}, "name_en must be a string"),
    ({"services": ["NO-SUCH"]}, "no service NO-SUCH"),
    ({"opening": "9-5"}, "unknown field(s) for a station: opening"),
]


@pytest.mark.parametrize("change,words", BAD_STATIONS)
def test_a_station_the_kiosk_could_not_show_is_422(admin, db_url, change, words):
    data = admin.get(f"{ITEM}/station/yt-xiaozhai").json()["data"]
    for path in ("/preview", ""):
        answer = admin.post(f"{ITEM}/station/yt-xiaozhai{path}", {"data": {**data, **change}, "base_version": 1})
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"] == "invalid_item" and words in answer.json()["detail"], answer.json()
    assert admin.get("/console/api/publish").json()["catalogue_version"] == 1


BAD_ITEMS = [
    ("service", "SB-KSL", {"materials": "身份证"}, "materials must be a list of strings"),
    ("service", "SB-KSL", {"materials": ["身份证", " "]}, "materials[1] is empty"),
    ("service", "SB-KSL", {"materials_en": ["a", "b", "c", "d"]}, "one English line per Chinese line"),
    ("service", "SB-KSL", {"prefix": "a1"}, "one capital letter"),
    ("service", "SB-KSL", {"scope": "everywhere"}, "scope must be one of"),
    ("service", "SB-KSL", {"name": None}, "name must be a string"),
    ("bundle", "YJS-SY", {"services": ["SB-KSL", "GONE"]}, "no service GONE"),
    ("notice", "n-noon", {"title": ""}, "title must not be empty"),
    ("config", "call_ratio", {"value": "2:0"}, "call_ratio must be 'P:N'"),
    ("config", "call_ratio", {"value": 2}, "call_ratio must be 'P:N'"),
    ("config", "one_hour_rule_minutes", {"value": "60"}, "whole number from 10 to 480"),
    ("config", "followup_working_days", {"value": 0}, "whole number from 1 to 30"),
    ("config", "catalogue_version", {"value": 99}, "counted by the district itself"),
    ("config", "favourite_colour", {"value": "red"}, "no setting 'favourite_colour'"),
    ("service", "bad id!", {}, "code must be 1 to 64"),
]


@pytest.mark.parametrize("entity,item_id,change,words", BAD_ITEMS)
def test_bad_items_and_settings_are_422(admin, entity, item_id, change, words):
    current = admin.get(f"{ITEM}/{entity}/{item_id}").json()
    blank = {} if entity == "config" else {"name": "x", "category": "y"}
    data = {**(current.get("data") or blank), **change}
    answer = admin.post(f"{ITEM}/{entity}/{item_id}", {"data": data, "base_version": current.get("version", 0)})
    assert answer.status_code == 422, answer.text
    assert words in answer.json()["detail"], answer.json()


def test_settings_new_items_and_withdrawals(admin, db_url):
    ratio = admin.post(f"{ITEM}/config/call_ratio", {"data": {"value": "1:3"}, "base_version": 0})
    assert ratio.status_code == 200, ratio.text
    assert rows(db_url, lambda s: s.get(CatalogueItem, ("config", "call_ratio")).data) == {"key": "call_ratio",
                                                                                          "value": "1:3"}
    minutes = admin.post(f"{ITEM}/config/one_hour_rule_minutes", {"data": {"value": 45}, "base_version": 1})
    assert minutes.status_code == 200, minutes.text
    notice = {"title": "元旦假期安排", "title_en": "New Year holiday", "text": "1月1日休息。", "stations": ["yt-xiaozhai"]}
    created = admin.post(f"{ITEM}/notice/n-newyear", {"data": notice, "base_version": 0})
    assert created.status_code == 200 and created.json()["version"] == 1
    withdrawn = admin.post(f"{ITEM}/notice/n-newyear", {"data": None, "base_version": 1})
    assert withdrawn.status_code == 200 and withdrawn.json()["catalogue_version"] == 5
    assert rows(db_url, lambda s: s.get(CatalogueItem, ("notice", "n-newyear"))) is None
    history = admin.get(f"{ITEM}/notice/n-newyear").json()["history"]
    assert [(h["version"], h["withdrawn"]) for h in history] == [(2, True), (1, False)]
    assert feed(db_url)[-2] == {**feed(db_url)[-2], "entity": "notice", "op": "delete"}
    for key in ("catalogue_version", "district"):
        refused = admin.post(f"{ITEM}/config/{key}", {"data": None, "base_version": 0})
        assert (refused.status_code, refused.json()["error"]) == (422, "invalid_item"), refused.text
    assert rows(db_url, lambda s: s.get(CatalogueItem, ("config", "catalogue_version")).data["value"]) == 5
    again = admin.post(f"{ITEM}/notice/n-gone", {"data": None, "base_version": 0})
    assert (again.status_code, again.json()["error"]) == (404, "not_found")


def test_preview_checks_and_never_publishes(admin, db_url):
    data = guide(admin)["data"]
    answer = admin.post(f"{ITEM}/service/SB-KSL/preview", {"data": {**data, "fee": "5元"}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["fee"] == "5元" and answer.json()["data"]["code"] == "SB-KSL"
    assert guide(admin)["data"]["fee"] == "免费"
    assert rows(db_url, lambda s: len(s.scalars(select(CatalogueVersion)).all())) == len(feed(db_url)) - 1


def test_only_the_district_admin_with_csrf_publishes(app_client, admin, head):
    data = guide(admin)["data"]
    for path in ("/console/api/publish", f"{ITEM}/service/SB-KSL", "/console/api/publish/kiosks"):
        assert head.get(path).status_code == 403
        assert head.get(path).json()["error"] == "forbidden"
        assert app_client.get(path).status_code == 401
    assert head.post(f"{ITEM}/service/SB-KSL", {"data": data, "base_version": 1}).status_code == 403
    no_csrf = admin.post(f"{ITEM}/service/SB-KSL", {"data": {**data, "fee": "1元"}, "base_version": 1}, csrf=False)
    assert no_csrf.status_code == 403
    assert guide(admin)["version"] == 1


@pytest.mark.parametrize("body,status,words", [
    ({"base_version": 1}, 422, "body must be"),
    ({"data": {}, "base_version": -1}, 422, "base_version"),
    ({"data": {}, "base_version": True}, 422, "base_version"),
    ({"data": {}}, 422, "base_version is missing"),
    ({"data": [], "base_version": 1}, 422, "data must be an object"),
    ({"data": {}, "base_version": 1, "note": 7}, 422, "note must be"),
    ([1, 2], 422, "body must be"),
])
def test_bad_bodies(admin, body, status, words):
    answer = admin.post(f"{ITEM}/service/SB-KSL", body)
    assert answer.status_code == status, answer.text
    assert words in answer.json()["detail"]


def test_not_json_and_unknown_entities(admin):
    headers = {"Cookie": f"district-console={admin.token}", "Origin": "http://testserver",
               "X-CSRF-Token": admin.csrf, "Content-Type": "application/json"}
    broken = admin.client.post(f"{ITEM}/service/SB-KSL", content=b"{not json", headers=headers)
    assert broken.status_code == 400 and broken.json()["error"]
    assert admin.get(f"{ITEM}/planet/earth").status_code == 404
    assert admin.post(f"{ITEM}/planet/earth", {"data": {}, "base_version": 0}).json()["error"] == "not_found"
    assert admin.get(f"{ITEM}/service/SB-KSL/versions/abc").status_code == 404


def test_the_kiosks_behind_the_latest_version(admin, db_url):
    now = time.time()

    def beats(session):
        for kiosk_id, role, version in (("YT-XZ-01", "kiosk", 1), ("YT-XZ-02", "kiosk", 2),
                                        ("YT-XZ-03", "kiosk", None), ("yt-xiaozhai", "station", 1)):
            session.add(DeviceHealth(kiosk_id=kiosk_id, station_id="yt-xiaozhai", role=role, received_at=now,
                                     catalogue_version=version, data={}))
    rows(db_url, beats)
    data = guide(admin)["data"]
    assert admin.post(f"{ITEM}/service/SB-KSL", {"data": {**data, "fee": "3元"}, "base_version": 1}).status_code == 200
    answer = admin.get("/console/api/publish/kiosks").json()
    assert answer["catalogue_version"] == 2
    assert [(k["kiosk_id"], k["catalogue_version"], k["behind"]) for k in answer["kiosks"]] == [
        ("YT-XZ-01", 1, True), ("YT-XZ-03", None, True), ("YT-XZ-02", 2, False)]


def test_edits_racing_from_the_same_version_publish_once(admin):
    from concurrent.futures import ThreadPoolExecutor

    data = guide(admin)["data"]
    bodies = [{"data": {**data, "fee": f"{n}元"}, "base_version": 1} for n in range(4)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda body: admin.post(f"{ITEM}/service/SB-KSL", body), bodies))
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409], [a.text for a in answers]
    assert {a.json()["error"] for a in answers if a.status_code == 409} == {"stale_version"}
    assert guide(admin)["version"] == 2 and admin.get("/console/api/publish").json()["catalogue_version"] == 2
