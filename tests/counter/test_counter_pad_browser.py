"""The window rating pad in a real headless chromium at 800x480 (and portrait 480x800)."""

from __future__ import annotations

import json

from counter_harness import clipped, issue_cli, login, open_db, screenshot, set_viewport
from test_counter_browser import wait_for


def pad_login(pad, url, counter_id, pin):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    pad.get(url + "/pad")
    assert wait_for(lambda: pad.find_element(By.ID, "pad-login").is_displayed()
                    and pad.find_element(By.ID, "counter-select").find_elements(By.TAG_NAME, "option"), 5)
    Select(pad.find_element(By.ID, "counter-select")).select_by_value(counter_id)
    pad.find_element(By.ID, "pin").send_keys(pin)
    pad.find_element(By.ID, "login-button").click()
    assert wait_for(lambda: pad.find_element(By.ID, "pad-waiting").is_displayed(), 5), "the pad did not log in"


def view_of(pad) -> str:
    return pad.execute_script("return document.body.dataset.view || ''")


def ratings(data_dir) -> list[tuple]:
    db = open_db(data_dir)
    try:
        return db.execute("SELECT r.ticket_id, r.level, r.reasons, r.channel, r.counter_id, o.payload FROM ratings r "
                          "JOIN outbox o ON o.entity = 'rating' AND o.entity_id = r.rating_id ORDER BY r.rowid").fetchall()
    finally:
        db.close()


def test_the_pad_rates_the_ticket_the_counter_just_marked_done(server, data_dir, browser):
    from selenium.webdriver.common.by import By

    issue_cli(data_dir, count=2)
    pad = browser("800,480")
    set_viewport(pad, 800, 480)
    assert pad.execute_script("return [innerWidth, innerHeight]") == [800, 480]
    pad.get(server.url + "/pad")
    assert wait_for(lambda: pad.find_element(By.ID, "pad-login").is_displayed(), 5)
    screenshot(pad, "pad-login")
    assert not clipped(pad), clipped(pad)
    pad_login(pad, server.url, "w1", "1111")
    assert "小寨路街道便民服务中心" in pad.find_element(By.ID, "wait-title").text
    assert pad.find_element(By.ID, "pad-counter").text == "1号窗口"
    screenshot(pad, "pad-waiting")
    assert not clipped(pad), clipped(pad)

    with login(server.url, "w1", "1111") as console:
        assert console.post("/api/call-next").status_code == 200
        assert view_of(pad) == "waiting"  # called is not done: nothing to rate yet
        done = console.post("/api/done").json()["ticket"]
        assert wait_for(lambda: view_of(pad) == "rate", 3), "the pad did not offer the ticket just done"
        assert done["number"] in pad.find_element(By.ID, "rate-ticket").text
        levels = pad.find_elements(By.CSS_SELECTOR, "#levels button")
        assert [b.text.split("\n")[0] for b in levels] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
        for button in levels:
            assert button.size["height"] >= 100 and button.size["width"] >= 120, button.size
        screenshot(pad, "pad-levels")
        assert not clipped(pad), clipped(pad)

        pad.find_element(By.CSS_SELECTOR, "#levels button[data-level='4']").click()
        assert wait_for(lambda: view_of(pad) == "thanks", 3)
        assert "满意" in pad.find_element(By.ID, "thanks-text").text
        screenshot(pad, "pad-thanks")
        ((ticket_id, level, reasons, channel, counter_id, payload),) = ratings(data_dir)
        assert (ticket_id, level, json.loads(reasons), channel, counter_id) == (done["ticket_id"], 4, [], "window_pad", "w1")
        op = json.loads(payload)
        assert op["channel"] == "window_pad" and op["counter_id"] == "w1" and op["ticket_id"] == done["ticket_id"]
        assert op["holder"] == {"by": "counter", "counter_id": "w1"}
        assert wait_for(lambda: view_of(pad) == "waiting", 8), "the pad did not return to waiting"

        # a low level asks the reasons, in words
        assert console.post("/api/call-next").status_code == 200
        second = console.post("/api/done").json()["ticket"]
        assert wait_for(lambda: view_of(pad) == "rate", 3)
        pad.find_element(By.CSS_SELECTOR, "#levels button[data-level='1']").click()
        assert wait_for(lambda: view_of(pad) == "reasons", 2)
        send = pad.find_element(By.ID, "reasons-send")
        assert not send.is_enabled()
        labels = [b.text.replace("✓", "").strip() for b in pad.find_elements(By.CSS_SELECTOR, "#reasons button")]
        assert "服务态度差" in labels and "等候时间长" in labels and "attitude" not in labels
        pad.find_element(By.CSS_SELECTOR, "#reasons button[data-code='wait_too_long']").click()
        pad.find_element(By.CSS_SELECTOR, "#reasons button[data-code='slow_handling']").click()
        chosen = pad.find_element(By.CSS_SELECTOR, "#reasons button[data-code='slow_handling']")
        assert chosen.get_attribute("aria-pressed") == "true"
        screenshot(pad, "pad-reasons")
        assert not clipped(pad), clipped(pad)
        send.click()
        assert wait_for(lambda: view_of(pad) == "thanks", 3)
    rows = ratings(data_dir)
    assert [(r[0], r[1], json.loads(r[2])) for r in rows[1:]] == [(second["ticket_id"], 1,
                                                                   ["wait_too_long", "slow_handling"])]
    severe = [e for e in pad.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]
              and "/api/pad" not in e["message"]]  # the first GET before login answers 401
    assert not severe, severe


def test_a_second_rating_of_the_ticket_is_refused_in_words_then_the_pad_waits(server, data_dir, browser):
    import time

    from selenium.webdriver.common.by import By

    from sync.protocol.ratings import WORDS

    issue_cli(data_dir, count=1)
    pad = browser("480,800")
    set_viewport(pad, 480, 800)  # portrait
    pad_login(pad, server.url, "w1", "1111")
    with login(server.url, "w1", "1111") as console:
        console.post("/api/call-next")
        done = console.post("/api/done").json()["ticket"]
        assert wait_for(lambda: view_of(pad) == "rate", 3)
        screenshot(pad, "pad-levels-portrait")
        assert not clipped(pad), clipped(pad)
        pad.find_element(By.CSS_SELECTOR, "#levels button[data-level='2']").click()
        assert wait_for(lambda: view_of(pad) == "reasons", 2)
        pad.find_element(By.CSS_SELECTOR, "#reasons button[data-code='attitude']").click()
        screenshot(pad, "pad-reasons-portrait")
        assert not clipped(pad), clipped(pad)
        # while the resident chooses, the ticket is rated another way (here a second pad of the counter)
        assert console.post("/api/pad/rating", json={"ticket_id": done["ticket_id"], "level": 5}).status_code == 200
        time.sleep(1)  # the pad hears of it, and lets the resident finish
        assert view_of(pad) == "reasons"
        pad.find_element(By.ID, "reasons-send").click()
    assert wait_for(lambda: view_of(pad) == "thanks", 3)
    assert pad.find_element(By.ID, "thanks-text").text == WORDS["already_rated"]
    screenshot(pad, "pad-refused-portrait")
    assert wait_for(lambda: view_of(pad) == "waiting", 10), "the pad did not return to waiting"
    assert [r[1] for r in ratings(data_dir)] == [5]
