"""The overview, the service-circle map and a station's page in a real headless chromium against
a real `district-server serve` on PostgreSQL holding today's business day of three stations: the
figures the pages show against the generated rows, the charts drawn by the vendored ECharts with no
Content-Security-Policy violation, the walking circles to scale, accessibility (axe-core, WCAG 2.1
AA), nothing clipped, and screenshots (CONSOLE_SHOTS=folder keeps them)."""

from __future__ import annotations

import math
import os
from datetime import datetime, timedelta

import pytest

from console_browser import browsers, screenshot
from district_process import DistrictServer, migrated_database, postgres_url
from overview_day import CHINA, OverviewDay
from test_console_pages_browser import check_page, logged_in, text_of, wait_for

import overview_site as overview_fixtures

STATIONS = overview_fixtures.STATIONS


def business_day(now: datetime):
    return (now - timedelta(hours=4)).date()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Today's business day (tickets from 04:05 or nine hours ago, whichever is later, up to now)."""
    now = datetime.now(CHINA) - timedelta(minutes=1)
    day = business_day(now)
    opens = max(datetime(day.year, day.month, day.day, 4, 5, tzinfo=CHINA), now - timedelta(hours=9))
    spread = max(1.0, (now - opens).total_seconds() / 60)
    generated = OverviewDay(day, list(STATIONS), opens=opens, spread_minutes=spread, seed=11).build(now)
    with postgres_url() as pg_url, migrated_database(pg_url, f"kiosk_ov_pages_{os.getpid()}") as url:
        overview_fixtures.seed(url, generated)
        server = DistrictServer(url).start(timeout=60)
        try:
            server.generated = generated
            yield server
        finally:
            server.stop()


@pytest.fixture
def browser(tmp_path):
    yield from browsers(tmp_path)


def csp_violations(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")
            if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]]


def kpi(driver, index: int) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "#kpis .kpi dd")[index].text.split("\n")[0]


def drawn_charts(driver) -> int:
    return driver.execute_script(
        "return [...document.querySelectorAll('.chart')].filter((c) => window.echarts && echarts.getInstanceByDom(c)"
        " && c.querySelector('canvas')).length")


def test_the_overview_shows_the_days_figures_with_four_charts(site, browser):
    from selenium.webdriver.common.by import By

    expected = site.generated.expected
    driver = browser()
    logged_in(driver, site.url, "admin", page="/console/overview")
    assert wait_for(lambda: driver.find_element(By.ID, "overview").get_attribute("data-loaded"), 20), text_of(driver, "main")
    tickets = sum(e["tickets"] for e in expected.values())
    served = sum(e["served"] for e in expected.values())
    within = sum(e["within"] for e in expected.values())
    assert kpi(driver, 0) == str(tickets)
    assert kpi(driver, 1) == str(sum(e["waiting"] for e in expected.values()))
    assert kpi(driver, 2) == str(served)
    share = f"{round(within / served * 1000) / 10:.1f}%" if served else "—"
    assert kpi(driver, 3) == share
    assert wait_for(lambda: drawn_charts(driver) == 4), "the four charts are not drawn (is packaging/install-echarts run?)"
    assert driver.find_element(By.ID, "by-hour-chart").get_attribute("role") == "img"
    assert f"共 {tickets} 张" in driver.find_element(By.ID, "by-hour-chart").get_attribute("aria-label")
    rows = {r.get_attribute("data-station"): r for r in driver.find_elements(By.CSS_SELECTOR, "#stations tbody tr")}
    assert set(STATIONS) <= set(rows)
    first = rows[STATIONS[0]].find_elements(By.CSS_SELECTOR, "td")
    assert first[0].text == str(expected[STATIONS[0]]["tickets"]) and first[2].text == str(expected[STATIONS[0]]["served"])
    assert csp_violations(driver) == []
    check_page(driver, "console-overview")
    link = rows[STATIONS[0]].find_element(By.CSS_SELECTOR, "a")
    link.click()
    assert wait_for(lambda: driver.find_element(By.ID, "station-day").get_attribute("data-loaded"), 20)
    assert "小寨路街道便民服务中心" in text_of(driver, "h1")


def test_the_map_draws_every_station_with_its_walking_circle_to_scale(site, browser):
    from selenium.webdriver.common.by import By

    driver = browser()
    logged_in(driver, site.url, "admin", page="/console/map")
    assert wait_for(lambda: driver.find_element(By.ID, "map").get_attribute("data-loaded"), 20), text_of(driver, "main")
    assert wait_for(lambda: driver.execute_script("return !!ServiceMap.chart && !!document.querySelector('#map canvas')"))
    stations = driver.execute_script("return (await (await fetch('/console/api/map')).json()).stations")
    assert len(stations) == 10 and all(s["lat"] and s["lon"] for s in stations)
    a, b = (next(s for s in stations if s["station_id"] == sid) for sid in ("yt-xiaozhai", "yt-qujiang"))
    pa, pb = (driver.execute_script("return ServiceMap.pixels(arguments[0])", s["station_id"]) for s in (a, b))
    metres = haversine(a["lat"], a["lon"], b["lat"], b["lon"])
    pixels = math.dist((pa["x"], pa["y"]), (pb["x"], pb["y"]))
    # the 800 m circle has the radius 800 m has between two real stations on the drawing (within 1 %)
    assert pa["radius"] == pytest.approx(pixels / metres * 800, rel=0.01)
    assert 10 < pa["radius"] < 200
    label = driver.find_element(By.ID, "map").get_attribute("aria-label")
    assert "10 个站点" in label and "800 米" in label
    rows = driver.find_elements(By.CSS_SELECTOR, "#map-stations tbody tr")
    assert len(rows) == 10
    driver.find_element(By.CSS_SELECTOR, "input[name='colour'][value='share']").click()
    assert wait_for(lambda: "一小时率 ≥ 90%" in text_of(driver, "#legend"))
    assert csp_violations(driver) == []
    check_page(driver, "console-map")


def test_a_station_page_and_the_heads_view(site, browser):
    from selenium.webdriver.common.by import By

    expected = site.generated.expected[STATIONS[0]]
    driver = browser()
    logged_in(driver, site.url, "head", page=f"/console/stations/{STATIONS[0]}")
    assert wait_for(lambda: driver.find_element(By.ID, "station-day").get_attribute("data-loaded"), 20), text_of(driver, "main")
    assert "小寨路街道便民服务中心" in text_of(driver, "h1")
    assert "09:00–17:30" in text_of(driver, "#facts")
    kiosks = [r.get_attribute("data-kiosk") for r in driver.find_elements(By.CSS_SELECTOR, "#kiosk-table tbody tr")]
    assert kiosks == ["OV-00-K1", "OV-00-ST"]
    assert [r.find_element(By.CSS_SELECTOR, "th").text for r in
            driver.find_elements(By.CSS_SELECTOR, "#counter-table tbody tr")] == ["1号窗口", "2号窗口", "3号窗口"]
    assert kpi(driver, 0) == str(expected["tickets"]) and kpi(driver, 2) == str(expected["served"])
    assert wait_for(lambda: drawn_charts(driver) == 4)
    assert "null" not in text_of(driver, "#station-day") and "undefined" not in text_of(driver, "main")
    export = driver.find_elements(By.CSS_SELECTOR, "#exports a")[0].get_attribute("href")
    assert export.endswith(f"station={STATIONS[0]}") and "/console/api/overview/export.csv?date=" in export
    assert csp_violations(driver) == []
    check_page(driver, "console-station")
    driver.get(site.url + f"/console/stations/{STATIONS[1]}")  # another station's page
    assert wait_for(lambda: "无权访问" in text_of(driver, "h1"))
    driver.get(site.url + "/console/map")
    assert wait_for(lambda: driver.find_element(By.ID, "map").get_attribute("data-loaded"), 20)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#map-stations tbody tr")) == 1  # their own station only
    screenshot(driver, "console-map-head")


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Metres between two points on a sphere of the earth's mean radius."""
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
