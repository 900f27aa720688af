"""The catalogue's English: optional fields on services, bundles, stations and the district, read from
the catalogue file and from the district's changes feed, falling back to the Chinese text."""

import json
import re

from kiosk.domain.catalogue import Catalogue, Service, Station, bundle_text, english_list
from kiosk.store.catalogue import load_catalogue, read_catalogue_file
from kiosk.store.sync_store import SqliteSyncStore

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
SERVICE = {"code": "SB-KSL", "name": "社会保障卡申领", "category": "社保医保", "prefix": "A",
           "materials": ["居民身份证原件", "近期免冠一寸照片"], "fee": "免费", "time_limit": "即时办结",
           "department": "区人社局", "window": "综合受理窗口"}
ENGLISH = {"name_en": "Social security card application", "category_en": "Social & medical insurance",
           "materials_en": ["Original resident ID card", "Recent 1-inch bareheaded photo"], "fee_en": "Free",
           "time_limit_en": "Done on the spot", "department_en": "District Human Resources and Social Security Bureau",
           "window_en": "General service counter"}


def test_a_service_carries_its_english_fields():
    service = Service.from_dict({**SERVICE, **ENGLISH})
    assert service.materials_en == ("Original resident ID card", "Recent 1-inch bareheaded photo")
    english = service.in_english()
    assert (english.name, english.category, english.fee, english.time_limit, english.department, english.window) == (
        "Social security card application", "Social & medical insurance", "Free", "Done on the spot",
        "District Human Resources and Social Security Bureau", "General service counter")
    assert english.materials == service.materials_en
    assert service.in_language(False) is service and service.in_language(True) == english


def test_missing_or_empty_english_falls_back_to_the_chinese_text():
    bare = Service.from_dict(SERVICE).in_english()
    assert (bare.name, bare.fee, bare.time_limit, bare.department, bare.window, bare.materials) == (
        "社会保障卡申领", "免费", "即时办结", "区人社局", "综合受理窗口", ("居民身份证原件", "近期免冠一寸照片"))
    partial = Service.from_dict({**SERVICE, "fee_en": "", "window_en": "  ", "materials_en": ["Original resident ID card"]})
    assert partial.in_english().fee == "免费" and partial.in_english().window == "综合受理窗口"
    assert partial.in_english().materials == ("Original resident ID card", "近期免冠一寸照片")
    assert english_list(("甲", "乙"), ["A", ""]) == ("A", "乙")


def test_stations_and_bundles_in_english_with_fallback():
    station = Station.from_dict({"id": "s", "name": "小寨路街道便民服务中心", "address": "雁塔区小寨东路",
                                 "name_en": "Xiaozhai Road Subdistrict Service Centre", "address_en": ""})
    assert station.in_english().name == "Xiaozhai Road Subdistrict Service Centre"
    assert station.in_english().address == "雁塔区小寨东路"
    bundle = {"code": "YJS-SY", "name": "失业一件事", "description": "一次办结", "window": "一件事一次办窗口",
              "window_en": "Life events counter", "services": ["SB-KSL"]}
    assert bundle_text(bundle, "window", True) == "Life events counter"
    assert bundle_text(bundle, "description", True) == "一次办结" and bundle_text(bundle, "window", False) == "一件事一次办窗口"
    catalogue = Catalogue(services=(Service.from_dict({**SERVICE, **ENGLISH}),), bundles=(bundle,))
    item = catalogue.queue_item("YJS-SY").in_english()
    assert item.window == "Life events counter" and item.materials == tuple(ENGLISH["materials_en"])


def test_the_demo_catalogue_has_english_for_every_text(config):
    data = read_catalogue_file(config.catalogue.file)
    assert data["district"]["name_en"]
    for service in data["services"]:
        for key in ("name", "category", "fee", "time_limit", "department", "window"):
            assert service.get(f"{key}_en") and not CJK.search(service[f"{key}_en"]), (service["code"], key)
        assert len(service["materials_en"]) == len(service.get("materials", [])), service["code"]
        assert not any(CJK.search(m) or not m.strip() for m in service["materials_en"]), service["code"]
    for bundle in data["bundles"]:
        for key in ("name", "description", "window"):
            assert bundle.get(f"{key}_en") and not CJK.search(bundle[f"{key}_en"]), (bundle["code"], key)
    for station in data["stations"]:
        for key in ("name", "address"):
            assert station.get(f"{key}_en") and not CJK.search(station[f"{key}_en"]), (station["id"], key)
    for notice in data["notices"]:
        assert notice["title_en"] and notice["text_en"] and not CJK.search(notice["title_en"] + notice["text_en"])


def test_the_store_reads_the_english_of_the_seeded_catalogue(store):
    catalogue = store.catalogue()
    assert catalogue.district_name_en == "Yanta District, Xi'an"
    service = catalogue.service("SB-KSL")
    assert service.fee_en == "Free" and service.window_en == "General service counter"
    assert service.materials_en[0] == "Original resident ID card"
    station = catalogue.station("yt-xiaozhai")
    assert station.name_en == "Xiaozhai Road Subdistrict Service Centre" and "Yanta District" in station.address_en


def test_english_fields_pulled_from_the_district_reach_the_catalogue(store, tmp_path):
    sync = SqliteSyncStore(store.db, tmp_path / "secret.json")
    changed = {**SERVICE, **ENGLISH, "materials_en": ["Original resident ID card", "Photo"], "fee_en": "No fee"}
    sync.apply_changes([{"entity": "service", "id": "SB-KSL", "op": "upsert", "data": changed},
                        {"entity": "station", "id": "yt-xiaozhai", "op": "upsert",
                         "data": {"name": "小寨路街道便民服务中心", "name_en": "Xiaozhai Centre", "address_en": "Xiaozhai"}}],
                       next_cursor=7)
    catalogue = load_catalogue(store.db)
    assert catalogue.service("SB-KSL").materials_en == ("Original resident ID card", "Photo")
    assert catalogue.service("SB-KSL").in_english().fee == "No fee"
    assert catalogue.station("yt-xiaozhai").in_english().name == "Xiaozhai Centre"
    assert json.loads(store.db.execute("SELECT data FROM services WHERE code = 'SB-KSL'").fetchone()[0])["fee_en"] == "No fee"
