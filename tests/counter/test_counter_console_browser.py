"""The console's 帮办代办 panel, its station clock and other counters, and the hall display's no-shows,
in a real headless chromium."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from counter_harness import clipped, issue_cli, login, screenshot, set_viewport
from test_counter_assistance import own_request, relayed_request, synced_events
from test_counter_browser import log_in, wait_for

STATION_TZ = ZoneInfo("Asia/Shanghai")


def request_text(console, event_id) -> str | None:
    """The words of a request on the panel now (None: not shown); the panel is redrawn live, so it is
    looked up afresh each time."""
    return console.execute_script("const item = document.querySelector(`#assistance li[data-request='${arguments[0]}']`);"
                                  "return item ? item.innerText : null;", event_id)


def request_buttons(console, event_id) -> list[str]:
    return console.execute_script("return [...document.querySelectorAll(`#assistance li[data-request='${arguments[0]}'] "
                                  "button`)].map((b) => b.className + ':' + b.textContent);", event_id)


def click_on_request(console, event_id, selector) -> None:
    """A real click on a request's button, found again when a live redraw replaced it."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    for _ in range(10):
        try:
            button = console.find_element(By.CSS_SELECTOR, f"#assistance li[data-request='{event_id}'] {selector}")
            assert button.size["height"] >= 48 and button.size["width"] >= 96, button.size  # a big touch target
            button.click()
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError(f"could not click {selector} of {event_id}")


def test_the_login_page_shows_the_stations_time_not_the_browsers(server, browser):
    from selenium.webdriver.common.by import By

    console = browser("1280,800", tz="America/New_York")  # the browser's zone is twelve or thirteen hours off
    set_viewport(console, 1280, 800)
    console.get(server.url + "/")
    shown = wait_for(lambda: console.find_element(By.ID, "login-time").text.count(":") == 2
                     and console.find_element(By.ID, "login-time").text, 5)
    assert shown, "the login page shows no time"
    station = datetime.now(STATION_TZ)
    shown_at = datetime.combine(station.date(), datetime.strptime(shown, "%H:%M:%S").time(), STATION_TZ)
    assert abs((shown_at - station).total_seconds()) < 5 or abs((shown_at - station).total_seconds()) > 86390, shown
    browser_hour = console.execute_script("return new Date().getHours()")
    assert browser_hour != station.hour  # what the browser's own clock would have said
    assert "小寨路街道便民服务中心" in console.find_element(By.ID, "login-station").text
    assert str(station.day) in console.find_element(By.ID, "login-date").text
    first = console.find_element(By.ID, "login-time").text
    assert wait_for(lambda: console.find_element(By.ID, "login-time").text != first, 3), "the clock does not tick"
    screenshot(console, "console-login")
    assert not clipped(console), clipped(console)


def test_the_assistance_panel_names_the_kiosk_and_takes_then_closes_a_request(server, data_dir, browser):
    from selenium.webdriver.common.by import By

    mine = own_request(data_dir, ["cannot_operate"])
    theirs = relayed_request(data_dir, "K02", ["mobility", "proxy"])
    issue_cli(data_dir, count=2)
    console = browser("1920,1080")
    set_viewport(console, 1920, 1080)
    log_in(console, server.url, "w1", "1111")
    assert wait_for(lambda: request_text(console, theirs) and request_text(console, mine), 5)
    theirs_text = request_text(console, theirs)
    assert "来自自助机 K02" in theirs_text and "行动不便、代他人办理" in theirs_text and "待接待" in theirs_text
    assert "来自本机" in request_text(console, mine) and "不会使用自助机" in request_text(console, mine)
    assert request_buttons(console, theirs) == ["primary receive:接待", "ok finish:完成"]
    with login(server.url, "w2", "2222") as w2:
        assert w2.post("/api/call-next").status_code == 200  # another counter has called a number
        assert wait_for(lambda: "2号窗口 · 已叫号" in console.find_element(By.ID, "counters").text, 3)
        screenshot(console, "console-assistance")
        assert not clipped(console), clipped(console)

        click_on_request(console, theirs, "button.receive")
        assert wait_for(lambda: "本窗口已接待" in (request_text(console, theirs) or ""), 3)
        assert request_buttons(console, theirs) == ["ok finish:完成"]
        me = w2.get("/api/me").json()["assistance"]["requests"]
        assert [r["received"]["counter_name"] for r in me if r["event_id"] == theirs] == ["1号窗口"]

        assert w2.post("/api/serving").status_code == 200
        assert wait_for(lambda: "2号窗口 · 办理中" in console.find_element(By.ID, "counters").text, 3)
        screenshot(console, "console-assistance-received")

        click_on_request(console, theirs, "button.finish")
        assert wait_for(lambda: request_text(console, theirs) is None, 3), "a closed request is still shown"
        assert request_text(console, mine) is not None
        assert w2.post("/api/assistance/receive", json={"request_id": mine}).status_code == 200
        assert wait_for(lambda: "2号窗口 已接待" in (request_text(console, mine) or ""), 3)  # heard live
        assert request_buttons(console, mine) == []
    assert [(e["request_event_id"], e["counter_id"]) for e in synced_events(data_dir, "assistance_received")] == [
        (theirs, "w1"), (mine, "w2")]
    assert [e["request_event_id"] for e in synced_events(data_dir, "assistance_done")] == [theirs]


def test_the_hall_display_strikes_out_a_no_show(server, data_dir, browser):
    from selenium.webdriver.common.by import By

    issued = issue_cli(data_dir, count=4)
    display = browser("1920,1080")
    set_viewport(display, 1920, 1080)
    display.get(server.url + "/display")
    assert wait_for(lambda: display.find_element(By.TAG_NAME, "body").get_attribute("data-version"), 5)
    with login(server.url, "w1", "1111") as w1, login(server.url, "w2", "2222") as w2:
        w1.post("/api/call-next")
        w1.post("/api/no-show")
        assert wait_for(lambda: "已过号" in display.find_element(By.ID, "current-service").text, 3)
        assert "missed" in display.find_element(By.ID, "current-number").get_attribute("class")
        w2.post("/api/call-next")
        w1.post("/api/call-next")
        assert wait_for(lambda: display.find_element(By.ID, "current-number").text == issued[2]["number"], 3)
    missed = display.find_elements(By.CSS_SELECTOR, "#history li.no-show")
    assert len(missed) == 1
    number = missed[0].find_element(By.CSS_SELECTOR, ".h-number")
    assert number.text.startswith(issued[0]["number"]) and "过号" in number.text
    assert "line-through" in number.value_of_css_property("text-decoration")
    assert display.find_element(By.ID, "missed-hint").is_displayed()
    assert "missed" not in display.find_element(By.ID, "current-number").get_attribute("class")
    screenshot(display, "hall-display")
