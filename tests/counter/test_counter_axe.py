"""The station's pages pass axe-core's WCAG 2.1 AA rules in the real headless chromium (GB/T 37668-2019
maps to WCAG 2.0 AA): the counter console with a ticket held and people waiting, the hall display
with calls on it, and the window rating pad."""

from __future__ import annotations

from axe_audit import axe_violations
from counter_harness import issue_cli, login, set_viewport
from test_counter_browser import log_in, wait_for


def test_the_counter_console_passes_the_audit_with_a_ticket_and_a_queue(server, data_dir, browser):
    from selenium.webdriver.common.by import By

    issue_cli(data_dir, count=6)
    console = browser()
    set_viewport(console, 1920, 1080)
    log_in(console, server.url, "w1", "1111")
    assert wait_for(lambda: console.find_element(By.ID, "waiting-count").text == "6", 5)
    console.find_element(By.ID, "call-next").click()
    assert wait_for(lambda: console.find_element(By.ID, "current-number").text != "—", 5)
    assert axe_violations(console) == []
    # the scrolling waiting list is reached from the keyboard, and the transfer choices have names
    waiting = console.find_element(By.CSS_SELECTOR, ".waiting-card")
    assert waiting.get_attribute("tabindex") == "0" and waiting.get_attribute("aria-label")
    for select in ("transfer-service", "transfer-counter"):
        assert console.find_element(By.ID, select).accessible_name
    english = console.find_elements(By.CSS_SELECTOR, "small")
    assert english and all(e.get_attribute("lang") == "en" for e in english if e.text.isascii())


def test_the_console_login_page_passes_the_audit(server, browser):
    console = browser()
    console.get(server.url + "/")
    assert axe_violations(console) == []


def test_the_hall_display_passes_the_audit_with_calls(server, data_dir, browser):
    from selenium.webdriver.common.by import By

    issue_cli(data_dir, count=3)
    with login(server.url, "w1", "1111") as w1, login(server.url, "w2", "2222") as w2:
        assert w1.post("/api/call-next").status_code == 200
        assert w2.post("/api/call-next").status_code == 200
    display = browser()
    display.get(server.url + "/display")
    assert wait_for(lambda: display.find_element(By.ID, "current-number").text != "—", 5)
    assert axe_violations(display) == []


def test_the_window_pad_passes_the_audit(server, browser):
    pad = browser("800,480")
    pad.get(server.url + "/pad")
    assert axe_violations(pad) == []
