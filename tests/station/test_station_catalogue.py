"""What the district publishes (catalogue, stations, settings) comes down to the station and on to
its kiosks, through the station's own change feed."""

from __future__ import annotations

import json
import time

from district_process import DistrictServer
from station_harness import PROJECT, Site, kiosk


def test_the_districts_catalogue_reaches_a_kiosk_through_its_station(tmp_path):
    district = DistrictServer(tmp_path / "district.db").start()
    site = Site(tmp_path, district)
    try:
        catalogue = json.loads((PROJECT / "assets" / "catalogue" / "yanta.json").read_text(encoding="utf-8"))
        catalogue["services"][0]["name"] = "社保卡申领（新流程）"
        (tmp_path / "catalogue.json").write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
        district.cli("import-catalogue", str(tmp_path / "catalogue.json"))
        site.enrol_station()
        site.station.start()
        k1 = site.add_kiosk("K1", 1, 499)
        code = catalogue["services"][0]["code"]
        deadline = time.monotonic() + 30
        while True:
            assert kiosk(k1, "sync", "--now").returncode == 0
            listed = json.loads(kiosk(k1, "catalogue", "list", "--json").stdout)
            if {s["code"]: s["name"] for s in listed}.get(code) == "社保卡申领（新流程）":
                break
            assert time.monotonic() < deadline, "the district's catalogue never reached the kiosk"
            time.sleep(1)
    finally:
        site.close()
        district.stop()
