"""The district administrator's and station heads' pages in a real headless chromium: the figures
of the previous month (GET /console/api/figures) with its XLSX export, and the audit log paged
back with next_before."""

from __future__ import annotations

from datetime import datetime

import pytest
import requests

from console_browser import CHINA, Staff, browsers, order_of, running_site, screenshot
from test_console_pages_browser import check_page, logged_in, text_of, wait_for


@pytest.fixture
def site(tmp_path):
    yield from running_site(tmp_path)


@pytest.fixture
def browser(tmp_path):
    yield from browsers(tmp_path)


def previous_month() -> tuple[int, int]:
    today = datetime.now(CHINA)
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def cells(driver, table: str) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    return [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
            for row in driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")]


def test_the_figures_of_the_previous_month_with_the_call_back_rate_marked_and_the_export(site, browser):
    from selenium.webdriver.common.by import By

    year, month = previous_month()
    site.kiosk.rate(1, datetime(year, month, 10, 10, 0, tzinfo=CHINA))  # real name (a phone): not called back yet
    site.kiosk.rate(5, datetime(year, month, 11, 10, 0, tzinfo=CHINA), reasons=(), phone=None, comment=None)
    driver = browser()
    logged_in(driver, site.url, "head")
    driver.find_element(By.CSS_SELECTOR, "a[href='/console/figures']").click()
    wanted = f"{year}-{month:02d}"
    assert wait_for(lambda: cells(driver, "totals")), text_of(driver, "main")
    assert driver.find_element(By.ID, "month").get_attribute("value") == wanted
    assert [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#station option")] == ["yt-xiaozhai"]
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#totals thead th")]
    assert headers[0].startswith("名称") and any(h.replace("\u200b", "").startswith("实名差评回访率") for h in headers)
    assert any(h.startswith("满意率") for h in headers) and any(h.replace("\u200b", "").startswith("1 非常不满意") for h in headers)
    [total] = cells(driver, "totals")
    rate = dict(zip([h.replace("\u200b", "").split("\n")[0] for h in headers], total))
    assert rate["评价数"] == "2" and rate["满意率"] == "50.0%" and rate["差评"] == "1" and rate["实名差评"] == "1"
    assert rate["1 非常不满意"] == "1" and rate["5 非常满意"] == "1" and rate["超期"] in ("0", "1")
    short = driver.find_element(By.CSS_SELECTOR, "#totals td.short")
    assert short.text.startswith("⚠") and "0.0%" in short.text  # below 100 %: marked in words, not colour alone
    assert [row[0] for row in cells(driver, "by_station")] == ["小寨路街道便民服务中心"]
    export = driver.find_element(By.ID, "export")
    assert "导出 XLSX" in export.text
    href = export.get_attribute("href")
    assert href == f"{site.url}/console/api/figures/export.xlsx?month={wanted}&station=yt-xiaozhai"
    cookie = {c["name"]: c["value"] for c in driver.get_cookies()}
    download = requests.get(href, cookies=cookie, timeout=30)
    assert download.status_code == 200 and download.content[:2] == b"PK"  # a zip: the XLSX workbook
    check_page(driver, "console-figures")

    driver.delete_all_cookies()
    logged_in(driver, site.url, "admin", page=f"/console/figures?month={wanted}")
    assert wait_for(lambda: cells(driver, "by_station"))
    options = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#station option")]
    assert options[0] == "" and "yt-xiaozhai" in options and "yt-dayanta" in options
    driver.find_element(By.CSS_SELECTOR, "#month").send_keys("")  # reachable by keyboard
    driver.find_element(By.CSS_SELECTOR, "#station option[value='yt-dayanta']").click()
    driver.find_element(By.CSS_SELECTOR, "#figures-form button[type='submit']").click()
    assert wait_for(lambda: "本月没有评价" in text_of(driver, "#by_service"))
    assert driver.find_element(By.ID, "export").get_attribute("href").endswith(f"month={wanted}&station=yt-dayanta")

    driver.delete_all_cookies()
    logged_in(driver, site.url, "renshe")
    assert wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".nav a[href='/console/orders']"))
    assert not driver.find_elements(By.CSS_SELECTOR, ".nav a[href='/console/figures']")  # not offered at all
    driver.get(site.url + "/console/figures")
    assert wait_for(lambda: "无权访问" in text_of(driver, "h1"))


def test_the_audit_log_pages_back_and_forth(site, browser):
    from selenium.webdriver.common.by import By

    order = order_of(site, site.kiosk.rate(1, datetime(2026, 11, 20, 10, 0, tzinfo=CHINA)))
    caller = Staff(site.url, "caller")
    for _ in range(51):
        assert caller.get(f"/console/api/work-orders/{order}/contact").status_code == 200
    driver = browser((1920, 1080))
    logged_in(driver, site.url, "admin", page="/console/audit")
    rows = lambda: driver.find_elements(By.CSS_SELECTOR, "#audit tbody tr[data-entry]")  # noqa: E731
    assert wait_for(lambda: len(rows()) == 50)
    ids = [int(r.get_attribute("data-entry")) for r in rows()]
    assert ids == sorted(ids, reverse=True)  # newest first
    assert not driver.find_element(By.ID, "newest").is_displayed()
    driver.find_element(By.ID, "older").click()
    assert wait_for(lambda: len(rows()) == 1)
    assert int(rows()[0].get_attribute("data-entry")) < ids[-1]
    assert not driver.find_element(By.ID, "older").is_displayed()
    link = driver.find_element(By.CSS_SELECTOR, "#audit tbody a")
    assert link.get_attribute("href") == f"{site.url}/console/orders/{order}"
    driver.find_element(By.ID, "newest").click()
    assert wait_for(lambda: len(rows()) == 50)
    screenshot(driver, "console-audit-paged")
