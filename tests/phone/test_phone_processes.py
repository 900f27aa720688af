"""The phone page end to end, every part a real process: the district server, the station service
(counter 一号窗口) and a kiosk behind it. A ticket is printed on the kiosk's simulated printer, its
QR code read from the PNG by zbarimg, and its page followed in headless chromium at a phone's size
(390x844) while the counter calls and serves it; the resident rates it on the phone.

Screenshots go to $PHONE_SHOTS (a folder), when set, to be looked at."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from axe_audit import axe_violations
from sqlalchemy import create_engine, text

from phone_harness import COUNTER, phone_site, print_ticket, wait_page
from station_harness import kiosk

from counter_harness import chromium_driver, login, set_viewport

pytestmark = pytest.mark.slow


SIDEWAYS_SCRIPT = """
const width = window.innerWidth, out = [];
for (const node of document.querySelectorAll('main *')) {
  const box = node.getBoundingClientRect();
  if (!box.width || !box.height) continue;
  if (box.left < -1 || box.right > width + 1 || node.scrollWidth > node.clientWidth + 1)
    out.push((node.className || node.tagName) + ' ' + JSON.stringify([Math.round(box.left), Math.round(box.right)]));
  const size = parseFloat(getComputedStyle(node).fontSize);
  if (node.childNodes.length && node.textContent.trim() && size < 19) out.push('small type ' + node.className + ' ' + size);
}
if (document.documentElement.scrollWidth > width + 1) out.push('page scrolls sideways');
return out;
"""


def clipped(driver) -> list[str]:
    """What does not fit the phone's width, and any text under 19 px (the page scrolls down, never sideways)."""
    return driver.execute_script(SIDEWAYS_SCRIPT)


def shot(driver, name: str) -> None:
    folder = os.environ.get("PHONE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def district_rows(district, sql: str) -> list[tuple]:
    engine = create_engine(district.db_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def main_text(driver) -> str:
    """The page's text now; "" while a new page replaces the old (after the rating form is sent)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    try:
        return driver.find_element("tag name", "main").text
    except (StaleElementReferenceException, NoSuchElementException):
        return ""


def wait_text(driver, wanted: str, timeout: float = 10) -> float:
    """Seconds until the page's text holds ``wanted`` (the page updates itself: no reload)."""
    started = time.monotonic()
    while wanted not in main_text(driver):
        assert time.monotonic() - started < timeout, f"{wanted!r} not on the page after {timeout} s: " \
                                                     f"{main_text(driver)!r}"
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture
def phone(tmp_path):
    from district_process import DistrictServer

    district = DistrictServer(tmp_path / "district.db").start()
    site, k1 = phone_site(tmp_path, district)
    driver = chromium_driver(tmp_path, size="390,844")
    set_viewport(driver, 390, 844)
    try:
        yield site, k1, district, driver
    finally:
        driver.quit()
        site.close()
        district.stop()


def test_a_printed_ticket_leads_to_its_live_page_and_its_rating(phone):
    site, k1, district, driver = phone
    kiosk(k1, "ticket", "issue", "--service", "SB-KSL", "--count", "2")  # two residents came first
    kiosk(k1, "sync", "--now")
    site.wait_drained()
    with login(site.station.url, COUNTER[0], COUNTER[2]) as counter:  # the first is served: a service time
        for step in ("/api/call-next", "/api/serving", "/api/done"):
            assert counter.post(step).status_code == 200
    printed = print_ticket(k1)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", printed["png"]], capture_output=True, text=True, timeout=60)
    assert decoded.returncode == 0, decoded.stderr
    url = decoded.stdout.strip()
    assert url == printed["url"] and url.startswith(f"{district.url}/t/") and len(url.rsplit("/", 1)[1]) == 32
    assert printed["number"] not in url and printed["ticket_id"] not in url
    kiosk(k1, "sync", "--now")
    wait_page(url)

    driver.get(url + "?lang=en")  # the browser asks for English first
    wait_text(driver, "1 ahead of you")
    assert clipped(driver) == []
    shot(driver, "waiting-en")
    driver.get(url + "?lang=zh")
    wait_text(driver, printed["number"])
    wait_text(driver, "前面还有 1 人")
    wait_text(driver, "预计等候约 1 分钟")
    assert clipped(driver) == []
    shot(driver, "waiting")
    assert axe_violations(driver) == []  # WCAG 2.1 AA in the real browser
    too_early = httpx.post(url + "/rating", data={"level": "5"})
    assert too_early.status_code == 409 and district_rows(district, "SELECT count(*) FROM ratings") == [(0,)]

    with login(site.station.url, COUNTER[0], COUNTER[2]) as counter:
        assert counter.post("/api/call", json={"number": printed["number"]}).status_code == 200
        seconds = wait_text(driver, "请到 一号窗口")
        assert seconds < 5
        assert clipped(driver) == []
        shot(driver, "called")
        assert axe_violations(driver) == []  # WCAG 2.1 AA in the real browser
        assert counter.post("/api/serving").status_code == 200
        assert counter.post("/api/done").status_code == 200
    wait_text(driver, "请为本次服务评价")
    assert clipped(driver) == []
    shot(driver, "done-rating")
    assert axe_violations(driver) == []  # WCAG 2.1 AA in the real browser

    driver.find_element("css selector", ".level-2 input").click()
    driver.find_element("css selector", 'input[value="wait_too_long"]').click()
    driver.find_element("css selector", 'input[name="phone"]').send_keys("13912345678")
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    shot(driver, "rating-chosen")
    driver.find_element("css selector", "form.rate button").click()
    wait_text(driver, "感谢您的评价")
    assert clipped(driver) == []
    shot(driver, "rated")
    assert axe_violations(driver) == []  # WCAG 2.1 AA in the real browser
    assert "13912345678" not in driver.page_source

    assert district_rows(district, "SELECT channel, level FROM ratings") == [("phone", 2)]
    assert district_rows(district, "SELECT level, state FROM work_orders") == [(2, "pending")]
    again = httpx.post(url + "/rating", data={"level": "5"})
    assert again.status_code == 409
    # the station learns it at its next snapshot, and closes the ticket's rating for its kiosks
    deadline = time.monotonic() + 30
    db = site.station_db()
    try:
        while not db.execute("SELECT 1 FROM rated_on_phone WHERE ticket_id = ?", (printed["ticket_id"],)).fetchone():
            assert time.monotonic() < deadline, "the station never learnt of the phone's rating"
            time.sleep(0.2)
        from kiosk.store.relay_queue import ticket_facts

        assert ticket_facts(db, [printed["ticket_id"]])[printed["ticket_id"]].rated is True
    finally:
        db.close()
    # the page's back button: nothing of it is kept
    assert httpx.get(url).headers["cache-control"] == "no-store, max-age=0"


def test_a_quiet_station_and_forged_tokens(phone):
    site, k1, district, driver = phone
    printed = print_ticket(k1)
    kiosk(k1, "sync", "--now")
    url = printed["url"]
    wait_page(url)
    driver.get(url + "?lang=zh")
    wait_text(driver, "下一位就是您")
    site.station.stop()  # the station goes away; ten minutes pass for the district
    engine = create_engine(district.db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE station_queues SET received_at = received_at - 600"))
    engine.dispose()
    wait_text(driver, "站点已有 10 分钟没有更新")
    assert clipped(driver) == []
    shot(driver, "stale")

    forged = [httpx.get(f"{district.url}/t/{secrets.token_urlsafe(24)}") for _ in range(3)]
    malformed = httpx.get(f"{district.url}/t/{printed['ticket_id']}")
    assert {a.status_code for a in forged + [malformed]} == {404}
    assert len({a.text for a in forged + [malformed]}) == 1
    assert printed["number"] not in malformed.text
