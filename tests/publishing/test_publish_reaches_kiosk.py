"""End to end: a guide edited in the district console reaches a kiosk's guide screen through sync.
A real `district-server serve` with the demo catalogue; a kiosk enrolled with `kiosk setup` and
synced with `kiosk sync --now` (catalogue version 1); the administrator publishes a new version of
the 社会保障卡申领 guide through the console API; the kiosk syncs again and its app, started
offscreen, shows the new materials and fee on the guide screen, in Chinese and in English, and
its technician screen names catalogue version 2. Then the same through a station: `kiosk
station-service` republishes the district's feed and its kiosk, syncing with the station only,
shows the guide and the version. The PNGs go to $CONSOLE_SHOTS when it is set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console_browser import STATION, Staff, seed
from district_process import DistrictServer

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT / "tests" / "station"))  # the whole-station harness of the station tests
KIOSK = [sys.executable, "-m", "kiosk.commands.cli"]
SHOT = [sys.executable, str(Path(__file__).resolve().parent / "kiosk_guide_shot.py")]
ITEM = "/console/api/publish/items/service/SB-KSL"

pytestmark = pytest.mark.slow


NEW_MATERIALS = ["居民身份证原件", "户口簿（新增）"]


def publish_guide(url: str, expected_version: int) -> None:
    """The administrator publishes a new 社会保障卡申领 guide through the console API."""
    admin = Staff(url, "admin")
    try:
        item = admin.get(ITEM).json()
        data = {**item["data"], "materials": NEW_MATERIALS,
                "materials_en": ["Original resident ID card", "Household register (new)"],
                "fee": "首次免费，补卡20元", "fee_en": "Free the first time; a replacement costs 20 yuan"}
        published = admin.post(ITEM, {"data": data, "base_version": item["version"], "note": "补卡收费"})
        assert published.status_code == 200, published.text
        assert published.json()["catalogue_version"] == expected_version
    finally:
        admin.close()


def check_new_guide(after: dict, version: int) -> None:
    guide = "\n".join(after["guide"])
    assert "2. 户口簿（新增）" in guide and "首次免费，补卡20元" in guide, guide
    assert "近期免冠一寸白底彩色照片" not in guide
    english = "\n".join(after["guide-en"])
    assert "2. Household register (new)" in english and "a replacement costs 20 yuan" in english, english
    assert any(f"区目录第 {version} 版" in text for text in after["technician"]), after["technician"]


def run(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    done = subprocess.run([*args], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-3000:])
    return done


@pytest.fixture
def district(tmp_path):
    db = tmp_path / "district.db"
    seed(f"sqlite:///{db}")
    server = DistrictServer(db).start()
    yield server
    server.stop()


def test_a_guide_published_in_the_console_reaches_the_kiosks_screen(tmp_path, district):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("KIOSK_CONFIG", None)
    env.pop("KIOSK_DATA_DIR", None)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\ncheck_opening_hours = false\n'
                      f'[sync]\nserver = "{district.url}"\n', encoding="utf-8")
    token = district.cli("enrol-token", "--station", STATION, "--kiosk", "YT-XZ-01").strip()
    run(env, *KIOSK, "--config", str(config), "setup", "--server", district.url, "--token", token,
        "--kiosk-id", "YT-XZ-01")
    run(env, *KIOSK, "--config", str(config), "sync", "--now")
    shots = Path(os.environ.get("CONSOLE_SHOTS") or tmp_path / "shots")
    before = json.loads(run(env, *SHOT, str(config), str(shots / "kiosk-before"), "SB-KSL").stdout.splitlines()[-1])
    assert any("区目录第 1 版" in text for text in before["technician"]), before["technician"]
    assert not any("户口簿（新增）" in text for text in before["guide"])

    publish_guide(district.url, 2)
    run(env, *KIOSK, "--config", str(config), "sync", "--now")
    after = json.loads(run(env, *SHOT, str(config), str(shots / "kiosk-after"), "SB-KSL").stdout.splitlines()[-1])
    check_new_guide(after, 2)
    assert (shots / "kiosk-after" / "guide.png").stat().st_size > 10_000


def held_version(data_dir: Path) -> int | None:
    from kiosk.store.catalogue import catalogue_version
    from kiosk.store.engine import connect

    db = connect(data_dir / "kiosk.sqlite3")
    try:
        return catalogue_version(db)
    finally:
        db.close()


def test_through_a_station_the_kiosk_gets_the_guide_and_the_version(tmp_path, district):
    from station_harness import Site, kiosk

    site = Site(tmp_path, district)
    try:
        site.enrol_station()
        site.station.start()
        config = site.add_kiosk("K1", 1, 499)

        def synced_to(version: int) -> None:
            deadline = time.monotonic() + 60  # the station pulls from the district on its interval
            while held_version(tmp_path / "K1") != version:
                assert time.monotonic() < deadline, f"K1 holds {held_version(tmp_path / 'K1')}, not {version}"
                assert kiosk(config, "sync", "--now").returncode == 0
                time.sleep(0.5)

        synced_to(1)
        publish_guide(district.url, 2)
        synced_to(2)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        env.pop("KIOSK_CONFIG", None)
        env.pop("KIOSK_DATA_DIR", None)
        shots = Path(os.environ.get("CONSOLE_SHOTS") or tmp_path / "shots")
        after = json.loads(run(env, *SHOT, str(config), str(shots / "station-kiosk-after"), "SB-KSL").stdout.splitlines()[-1])
        check_new_guide(after, 2)
    finally:
        site.close()
