"""The publishing page in a real headless chromium against a real district server: the list with
the catalogue version and the kiosks behind it, a guide edited and previewed (nothing published),
a bad value refused in words, the publish with its new version in the history, a stale edit
refused, an older version opened, a station's hours and badges in the preview, and the settings.
Each step passes axe-core (WCAG 2.1 AA) with nothing clipped; CONSOLE_SHOTS=DIR keeps the PNGs."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.orm import sessionmaker

from console_browser import Staff, browsers, running_site
from sync.server.db import make_engine, transaction
from sync.server.models import DeviceHealth
from test_console_pages_browser import check_page, logged_in, text_of, wait_for

PAGE = "/console/publish"


@pytest.fixture
def site(tmp_path):
    yield from running_site(tmp_path)


@pytest.fixture
def browser(tmp_path):
    yield from browsers(tmp_path)


def heartbeats(site, versions: dict[str, int | None]) -> None:
    engine = make_engine(site.db_url)
    try:
        with transaction(sessionmaker(engine)) as session:
            for kiosk_id, version in versions.items():
                session.add(DeviceHealth(kiosk_id=kiosk_id, station_id="yt-xiaozhai", role="kiosk",
                                         received_at=time.time() - 120, catalogue_version=version, data={}))
    finally:
        engine.dispose()


def typed(driver, field: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, field if field == "note" else f"f-{field}")
    box.clear()
    box.send_keys(text)


def preview_text(driver) -> str:
    return text_of(driver, "#preview")


def test_a_guide_is_edited_previewed_and_published(site, browser):
    from selenium.webdriver.common.by import By

    heartbeats(site, {"YT-XZ-01": 1, "YT-XZ-02": None})
    driver = browser()
    logged_in(driver, site.url, "admin", page=PAGE)
    assert wait_for(lambda: text_of(driver, "#latest-version") == "1")
    assert wait_for(lambda: "社会保障卡申领" in text_of(driver, "#items"))
    assert "YT-XZ-02" in text_of(driver, "#kiosks") and "YT-XZ-01" not in text_of(driver, "#kiosks")
    check_page(driver, "publish-list")

    driver.find_element(By.LINK_TEXT, "SB-KSL").click()
    assert wait_for(lambda: "请带好以下材料" in preview_text(driver))
    assert "Social security card application" in preview_text(driver) and "当前第 1 版" in text_of(driver, "#edit-version")
    check_page(driver, "publish-edit")

    typed(driver, "materials", "居民身份证原件\n户口簿（新增）")
    typed(driver, "materials_en", "Original resident ID card\nHousehold register (new)")
    typed(driver, "fee", "首次免费，补卡20元")
    driver.find_element(By.ID, "preview-button").click()
    assert wait_for(lambda: "户口簿（新增）" in preview_text(driver))
    assert "Household register (new)" in preview_text(driver) and "首次免费，补卡20元" in preview_text(driver)
    assert "1. " not in preview_text(driver)  # the numbers are the list's own
    assert len(driver.find_elements(By.CSS_SELECTOR, ".kiosk-screen")) == 2
    check_page(driver, "publish-preview")
    admin = Staff(site.url, "admin")
    try:
        assert admin.get("/console/api/publish/items/service/SB-KSL").json()["version"] == 1  # a preview publishes nothing

        typed(driver, "prefix", "a1")
        driver.find_element(By.ID, "preview-button").click()
        assert wait_for(lambda: "one capital letter" in text_of(driver, "#form-message"))
        assert "填写的内容有误" in text_of(driver, "#form-message")
        check_page(driver, "publish-invalid")
        typed(driver, "prefix", "A")

        typed(driver, "note", "补卡收费")
        driver.find_element(By.ID, "publish-button").click()
        assert wait_for(lambda: "已发布第 2 版，目录版本 2" in text_of(driver, "#page-message"))
        rows = driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")
        assert [r.get_attribute("data-version") for r in rows] == ["2", "1"]
        assert "admin" in rows[0].text and "补卡收费" in rows[0].text and "import-catalogue" in rows[1].text
        check_page(driver, "publish-published")
        item = admin.get("/console/api/publish/items/service/SB-KSL").json()
        assert item["data"]["materials"] == ["居民身份证原件", "户口簿（新增）"] and item["data"]["prefix"] == "A"

        # someone else publishes while this page is open: this page's publish is refused
        typed(driver, "fee", "免费")
        changed = admin.post("/console/api/publish/items/service/SB-KSL",
                             {"data": {**item["data"], "window": "3号窗口"}, "base_version": 2})
        assert changed.status_code == 200, changed.text
        driver.find_element(By.ID, "publish-button").click()
        assert wait_for(lambda: "已被他人发布为第 3 版" in text_of(driver, "#form-message"))
        check_page(driver, "publish-stale")
        assert admin.get("/console/api/publish/items/service/SB-KSL").json()["data"]["window"] == "3号窗口"
    finally:
        admin.close()

    driver.find_element(By.CSS_SELECTOR, "#history tr[data-version='1'] a").click()
    assert wait_for(lambda: "正在查看第 1 版" in text_of(driver, "#page-message"))
    assert driver.find_element(By.ID, "f-fee").get_attribute("value") == "免费"
    assert "近期免冠一寸白底彩色照片" in preview_text(driver)
    check_page(driver, "publish-old-version")


def test_a_station_and_a_setting(site, browser):
    from selenium.webdriver.common.by import By

    driver = browser()
    logged_in(driver, site.url, "admin", page=f"{PAGE}?entity=station&id=yt-xiaozhai")
    assert wait_for(lambda: "周一至周五 09:00-17:30" in preview_text(driver))
    assert "中午不打烊" in preview_text(driver) and "Open at noon" in preview_text(driver)
    typed(driver, "hours", "1-5 09:00-17:30\n6 12:00-09:00")
    driver.find_element(By.ID, "preview-button").click()
    assert wait_for(lambda: "hours[1]: open 12:00 must be before close 09:00" in text_of(driver, "#form-message"))
    typed(driver, "hours", "1-5 08:30-18:00\n6-7 09:00-12:00")
    driver.find_element(By.ID, "f-extended_hours").click()  # 延时 off
    driver.find_element(By.ID, "preview-button").click()
    assert wait_for(lambda: "周六日 09:00-12:00" in preview_text(driver))
    assert "延时服务" not in preview_text(driver) and "24小时自助" in preview_text(driver)
    check_page(driver, "publish-station")

    driver.get(site.url + f"{PAGE}?entity=config")
    assert wait_for(lambda: "叫号比例" in text_of(driver, "#items"))
    check_page(driver, "publish-settings")
    driver.find_element(By.LINK_TEXT, "call_ratio").click()
    assert wait_for(lambda: driver.find_elements(By.ID, "f-value"))
    typed(driver, "value", "1:0")
    driver.find_element(By.ID, "publish-button").click()
    assert wait_for(lambda: "call_ratio must be 'P:N'" in text_of(driver, "#form-message"))
    typed(driver, "value", "1:3")
    driver.find_element(By.ID, "publish-button").click()
    assert wait_for(lambda: "已发布第 1 版，目录版本 2" in text_of(driver, "#page-message"))


def test_only_the_district_admin_opens_the_page(site, browser):
    driver = browser()
    logged_in(driver, site.url, "head", page=PAGE)
    assert wait_for(lambda: "publish" not in [a.get_attribute("href").split("/")[-1]
                                              for a in driver.find_elements("css selector", ".nav a")])
    driver.get(site.url + PAGE)
    assert "403" in driver.title or "无权" in driver.page_source or "forbidden" in driver.page_source.lower()
