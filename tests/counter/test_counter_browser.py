"""The console and the hall display in a real headless chromium (Debian's; never skipped)."""

from __future__ import annotations

import time

from counter_harness import issue_cli


def wait_for(predicate, timeout: float, poll: float = 0.01):
    deadline = time.perf_counter() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.perf_counter() > deadline:
            return value
        time.sleep(poll)


def log_in(console, url, counter_id, pin):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    console.get(url + "/")
    wait_for(lambda: console.find_element(By.ID, "counter-select").find_elements(By.TAG_NAME, "option"), 5)
    Select(console.find_element(By.ID, "counter-select")).select_by_value(counter_id)
    console.find_element(By.ID, "pin").send_keys(pin)
    console.find_element(By.ID, "login-button").click()
    assert wait_for(lambda: console.find_element(By.ID, "desk-view").is_displayed(), 5), "console did not log in"


def test_call_next_on_the_console_shows_on_the_display_within_a_second(server, data_dir, browser):
    from selenium.webdriver.common.by import By

    issued = issue_cli(data_dir, count=2)
    display = browser()
    display.get(server.url + "/display")
    assert wait_for(lambda: display.find_element(By.TAG_NAME, "body").get_attribute("data-version"), 5), \
        "the display got no state from /api/stream"
    assert display.find_element(By.ID, "current-number").text == "—"

    console = browser()
    log_in(console, server.url, "w1", "1111")
    assert wait_for(lambda: console.find_element(By.ID, "waiting-count").text == "2", 5)
    button = console.find_element(By.ID, "call-next")
    clicked = time.perf_counter()
    button.click()
    shown = wait_for(lambda: display.find_element(By.ID, "current-number").text == issued[0]["number"], 1.0)
    elapsed = time.perf_counter() - clicked
    assert shown, f"display still shows {display.find_element(By.ID, 'current-number').text!r} after {elapsed:.2f} s"
    assert elapsed < 1.0
    assert display.find_element(By.ID, "current-counter").text == "1号窗口"
    assert wait_for(lambda: console.find_element(By.ID, "current-number").text == issued[0]["number"], 2)

    console.find_element(By.ID, "done").click()
    assert wait_for(lambda: console.find_element(By.ID, "current-number").text == "—", 2)
    console.find_element(By.ID, "call-next").click()
    assert wait_for(lambda: display.find_element(By.ID, "current-number").text == issued[1]["number"], 1.0)
    history = [li.text.split("\n")[0] for li in display.find_elements(By.CSS_SELECTOR, "#history li")]
    assert history == [issued[0]["number"]]
    severe = [e for e in display.get_log("browser") + console.get_log("browser")
              if e["level"] == "SEVERE" and "favicon" not in e["message"] and "/api/me" not in e["message"]]
    assert not severe, severe


def test_wrong_pin_is_refused_on_the_console(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    console = browser("1280,800")
    console.get(server.url + "/")
    wait_for(lambda: console.find_element(By.ID, "counter-select").find_elements(By.TAG_NAME, "option"), 5)
    Select(console.find_element(By.ID, "counter-select")).select_by_value("w2")
    console.find_element(By.ID, "pin").send_keys("0000")
    console.find_element(By.ID, "login-button").click()
    assert wait_for(lambda: "PIN 错误" in console.find_element(By.ID, "login-message").text, 5)
    assert not console.find_element(By.ID, "desk-view").is_displayed()


def test_the_assistance_panel_says_what_is_needed_in_words(server, data_dir, browser):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from selenium.webdriver.common.by import By

    from counter_harness import open_db
    from kiosk.store import events

    db = open_db(data_dir)
    try:  # what the kiosk records when a resident asks for help without a number
        events.record(db, "assistance_request", {"reasons": ["mobility", "proxy"], "ticket_id": None},
                      datetime.now(ZoneInfo("Asia/Shanghai")))
    finally:
        db.close()
    console = browser()
    log_in(console, server.url, "w1", "1111")
    panel = wait_for(lambda: "行动不便" in console.find_element(By.ID, "assistance").text
                     and console.find_element(By.ID, "assistance").text, 5)
    assert panel and "代他人办理" in panel and "mobility" not in panel and "proxy" not in panel, panel
