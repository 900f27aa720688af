"""The catalogue's English fields: the district imports and publishes them, type-checked like their
Chinese twins, and they reach the kiosks through the changes feed."""

import copy
import json
from pathlib import Path

import pytest

from sync.server.catalogue import CatalogueError, load_catalogue_file, parse_catalogue
from sync.server.cli import main

CATALOGUE = Path(__file__).parents[3] / "assets" / "catalogue" / "yanta.json"


def demo() -> dict:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def test_the_demo_catalogue_with_its_english_is_accepted_and_the_english_is_optional():
    parsed = load_catalogue_file(CATALOGUE)
    service = parsed["service"]["SB-KSL"]
    assert service["materials_en"][0] == "Original resident ID card" and service["fee_en"] == "Free"
    assert parsed["bundle"]["YJS-SY"]["window_en"] == "Life events counter"
    assert parsed["station"]["yt-xiaozhai"]["name_en"] == "Xiaozhai Road Subdistrict Service Centre"
    assert parsed["notice"]["n-noon"]["title_en"] == "Open at lunchtime"
    assert parsed["config"]["district"]["value"]["name_en"] == "Yanta District, Xi'an"
    document = demo()
    for section in ("services", "bundles", "stations", "notices"):
        for item in document[section]:
            for key in [k for k in item if k.endswith("_en")]:
                del item[key]
    assert "materials_en" not in parse_catalogue(document)["service"]["SB-KSL"]


@pytest.mark.parametrize("section, field, value, expected", [
    ("services", "materials", "x", "services[0].materials must be a list of strings"),
    ("services", "materials_en", "x", "services[0].materials_en must be a list of strings"),
    ("services", "materials_en", ["Photo", 3], "services[0].materials_en must be a list of strings"),
    ("services", "fee", 3, "services[0].fee must be a string"),
    ("services", "fee_en", 3, "services[0].fee_en must be a string"),
    ("services", "time_limit_en", ["5 days"], "services[0].time_limit_en must be a string"),
    ("services", "department_en", None, "services[0].department_en must be a string"),
    ("services", "window_en", {"en": "Counter"}, "services[0].window_en must be a string"),
    ("bundles", "description_en", 1, "bundles[0].description_en must be a string"),
    ("bundles", "window_en", ["x"], "bundles[0].window_en must be a string"),
    ("stations", "name_en", 7, "stations[0].name_en must be a string"),
    ("stations", "address_en", False, "stations[0].address_en must be a string"),
    ("notices", "title_en", 1, "notices[0].title_en must be a string"),
    ("notices", "text_en", None, "notices[0].text_en must be a string"),
    ("district", "name_en", 5, "district.name_en must be a string"),
])
def test_a_wrongly_typed_text_is_refused_like_its_chinese_twin(section, field, value, expected):
    document = copy.deepcopy(demo())
    item = document[section] if section == "district" else document[section][0]
    item[field] = value
    with pytest.raises(CatalogueError) as refused:
        parse_catalogue(document)
    assert str(refused.value) == expected


def test_the_import_command_refuses_a_wrongly_typed_english_field(tmp_path, capsys):
    document = demo()
    document["services"][0]["materials_en"] = "x"
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert main(["import-catalogue", "--db", f"sqlite:///{tmp_path / 'district.db'}", str(path)]) != 0
    assert "services[0].materials_en must be a list of strings" in capsys.readouterr().err


def test_the_english_reaches_the_kiosks_through_the_changes_feed(kiosk, db_url):
    assert main(["import-catalogue", "--db", db_url, str(CATALOGUE)]) == 0
    changes, since = {}, 0
    while True:
        page = kiosk.changes(since=since, limit=50).json()
        changes.update({(c["entity"], str(c["id"])): c.get("data") for c in page["changes"]})
        since = page["next"]
        if not page["has_more"]:
            break
    service = changes[("service", "SB-KSL")]
    assert service["materials_en"] == demo()["services"][0]["materials_en"]
    assert (service["fee_en"], service["time_limit_en"], service["window_en"]) == (
        "Free", "Card made on the spot in about 20 minutes", "General service counter")
    assert service["department_en"] == "District Human Resources and Social Security Bureau"
    assert changes[("bundle", "YJS-SY")]["description_en"].startswith("Unemployment registration")
    assert changes[("station", "yt-xiaozhai")]["address_en"].endswith("Yanta District")
    assert changes[("notice", "n-noon")]["text_en"].startswith("Xiaozhai Road Subdistrict Service Centre")
