"""The hall display speaks each call with the station's rendered audio, in the real headless
chromium: within 1.5 s of the counter's click, and two calls in a row one after the other."""

from __future__ import annotations

import time

from counter_harness import issue_cli, login
from test_counter_browser import log_in, wait_for


def spoken(display, which: str = "data-spoken") -> list[tuple[int, int]]:
    """(seq, ms) of the calls that started playing (or ``data-spoken-ended``: that ended)."""
    log = display.find_element("tag name", "body").get_attribute(which) or ""
    return [tuple(int(x) for x in item.split("@")) for item in log.split()]


def test_a_call_is_spoken_within_one_and_a_half_seconds_of_the_click(server, data_dir, browser):
    from selenium.webdriver.common.by import By

    issued = issue_cli(data_dir, count=3)
    display = browser()
    display.get(server.url + "/display")
    assert wait_for(lambda: display.find_element(By.TAG_NAME, "body").get_attribute("data-version"), 5)
    console = browser()
    log_in(console, server.url, "w1", "1111")
    assert wait_for(lambda: console.find_element(By.ID, "waiting-count").text == "3", 5)
    clicked_ms = time.time() * 1000
    console.find_element(By.ID, "call-next").click()
    assert wait_for(lambda: spoken(display), 5), "the call was not spoken"
    [(seq, started_ms)] = spoken(display)
    delay = (started_ms - clicked_ms) / 1000
    print(f"click -> audio playing: {delay:.2f} s")
    assert 0 < delay <= 1.5, delay
    assert display.find_element(By.ID, "current-number").text == issued[0]["number"]

    # two counters call at once: both are spoken, the second after the first has ended
    with login(server.url, "w2", "2222") as w2:
        console.find_element(By.ID, "done").click()
        assert wait_for(lambda: console.find_element(By.ID, "current-number").text == "—", 3)
        assert w2.post("/api/call-next").status_code == 200
        console.find_element(By.ID, "call-next").click()
    assert wait_for(lambda: len(spoken(display)) == 3, 60), spoken(display)  # about 17 s a call with English
    seqs = [s for s, _ in spoken(display)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    assert wait_for(lambda: len(spoken(display, "data-spoken-ended")) >= 2, 60)
    started, ended = spoken(display), spoken(display, "data-spoken-ended")
    for (seq, end), (_next, start) in zip(ended, started[1:]):
        assert start >= end, f"call {_next} started before call {seq} had ended"  # never cut off
    # a recall is a new call: spoken again, after the others
    with login(server.url, "w2", "2222") as w2:
        assert w2.post("/api/recall").status_code == 200
    assert wait_for(lambda: len(spoken(display)) == 4, 60), spoken(display)
    assert spoken(display)[-1][0] > seqs[-1]
    severe = [e for e in display.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []
