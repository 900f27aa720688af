"""Fleet health with real processes: `district-server serve`, `kiosk station-service` enrolled with
it, and a kiosk behind the station (`kiosk sync --follow`) whose receipt printer is the TCP printer
simulator. The station sends its own heartbeat and relays the kiosk's; the fleet page in headless
chromium lists both; when the simulator runs out of paper the page shows it within one sync interval
(docs/fleet-health.md). Screenshots go to $CONSOLE_SHOTS (fleet.png, fleet-paper-out.png)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import tomlkit

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "district"), str(TESTS / "station")]
from console_browser import Staff, browsers, seed  # noqa: E402
from district_process import DistrictServer  # noqa: E402
from station_harness import STATION_ID, Site  # noqa: E402
from test_console_pages_browser import check_page, logged_in, wait_for  # noqa: E402

KIOSK_ID = "YT-XZ-01"
INTERVAL_S = 5  # the harness's sync.interval_seconds


@pytest.fixture
def browser(tmp_path):
    yield from browsers(tmp_path)


@pytest.fixture
def printer():
    from drivers.printer.simulator import SimulatedNetworkPrinter

    with SimulatedNetworkPrinter() as simulated:
        yield simulated


@pytest.fixture
def fleet_site(tmp_path, printer):
    db = tmp_path / "district.db"
    seed(f"sqlite:///{db}", {"fleet_alert_hold_minutes": 0})  # raised when seen: the page shows the alert
    district = DistrictServer(db).start()
    site = Site(tmp_path, district)
    try:
        site.enrol_station()
        site.station.start()
        config = site.add_kiosk(KIOSK_ID, 1, 499)
        doc = tomlkit.parse(config.read_text(encoding="utf-8"))
        doc["devices"]["printer"] = printer.url
        config.write_text(tomlkit.dumps(doc), encoding="utf-8")
        site.follow(KIOSK_ID)
        yield site
    finally:
        site.close()
        district.stop()


def fleet_devices(staff: Staff) -> dict:
    answer = staff.get("/console/api/fleet")
    assert answer.status_code == 200, answer.text
    return {d["kiosk_id"]: d for d in answer.json()["devices"]}


def row_text(driver, kiosk_id: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'#devices tr[data-kiosk="{kiosk_id}"]').text


def test_the_station_and_its_kiosk_report_and_paper_out_shows_within_one_interval(fleet_site, printer, browser):
    from selenium.webdriver.common.by import By

    admin = Staff(fleet_site.district.url, "admin")
    heard = wait_for(lambda: (lambda d: d if KIOSK_ID in d and d[KIOSK_ID]["received_at"]
                              and d.get(STATION_ID, {}).get("received_at") else None)(fleet_devices(admin)), 60)
    assert heard, fleet_devices(admin)
    kiosk, station = heard[KIOSK_ID], heard[STATION_ID]
    assert (kiosk["role"], kiosk["printer"], kiosk["health"]) == ("kiosk", "ok", "ok"), kiosk
    assert kiosk["last_sync_at"] and kiosk["outbox"] == 0 and kiosk["disk_free_mb"] > 0
    assert (station["role"], station["printer"], station["reader"]) == ("station", "absent", "absent"), station

    driver = browser()
    logged_in(driver, fleet_site.district.url, "admin", page="/console/fleet")
    assert wait_for(lambda: "正常" in row_text(driver, KIOSK_ID)), driver.page_source[:3000]
    assert STATION_ID in driver.find_element(By.ID, "devices").text
    check_page(driver, "fleet")

    printer.set_status(paper="out", online=False)
    ran_out = time.monotonic()

    def shown() -> bool:
        driver.find_element(By.CSS_SELECTOR, "#fleet-form button[type=submit]").click()
        time.sleep(0.3)
        return "打印机缺纸" in row_text(driver, KIOSK_ID)

    assert wait_for(shown, 30), row_text(driver, KIOSK_ID)
    took = time.monotonic() - ran_out
    print(f"\nfleet: paper out on the fleet page {took:.1f} s after the printer ran out (sync interval {INTERVAL_S} s)")
    assert took <= INTERVAL_S + 2, f"paper out reached the fleet page after {took:.1f} s"
    first = driver.find_element(By.CSS_SELECTOR, "#devices tbody tr")
    assert (first.get_attribute("data-kiosk"), first.get_attribute("data-health")) == (KIOSK_ID, "alert")
    assert KIOSK_ID in driver.find_element(By.ID, "alert-list").text
    check_page(driver, "fleet-paper-out")

    printer.set_status(paper="ok", online=True)
    assert wait_for(lambda: fleet_devices(admin)[KIOSK_ID]["printer"] == "ok", 30)
    admin.close()
