"""A kiosk behind a real station service (`kiosk station-service`, enrolled with a real district):
its ticket reaches the counters within a second, the waiting counts and the invitation to rate
come from the station's queue view, and the station checks the holder before the five levels."""

import dataclasses
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.fieldsetup.enrolment import enrol_kiosk
from qt_waiting import caught

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "station"))

from station_harness import Site  # noqa: E402
from station_traffic import counter_session  # noqa: E402


def click(qtbot, button):
    qtbot.waitUntil(button.isVisible, timeout=3000)
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def station(tmp_path, district):
    (tmp_path / "site").mkdir()
    site = Site(tmp_path / "site", district)
    site.enrol_station()
    site.add_counters(("w1", "一号窗口", "1111"))
    site.station.start()
    yield site
    site.close()


@pytest.fixture
def behind(make_config, district, station):
    config = make_config()
    config = dataclasses.replace(config, sync=dataclasses.replace(config.sync, server=station.station.url))
    enrol_kiosk(config, station.station.url, district.token(config.kiosk.id))
    return config


def waiting_at_station(counter) -> list[str]:
    return [t["number"] for t in counter.get("/api/me").json()["waiting"]]


def test_a_kiosk_behind_a_station_shows_its_queue_and_rates_through_it(qtbot, behind, station, kiosk_window):
    window, bridge = kiosk_window(behind)
    counter = counter_session(station.station.url, "w1", "1111")
    try:
        with caught(qtbot, bridge.sync.station_queue_fetched, timeout=15000):
            pass  # the first run, 2 s after start: the station's view is kept
        tickets = []
        for _ in range(2):
            click(qtbot, window.home.take_number)
            with caught(qtbot, bridge.store.ticket_issued, timeout=10000) as issued:
                click(qtbot, window.services.service_buttons()[0])
            issued_at = time.monotonic()
            ticket = issued.args[0]
            tickets.append(ticket)
            while ticket.number not in waiting_at_station(counter):
                assert time.monotonic() - issued_at < 1.0, "the ticket did not reach the counters within 1 s"
                time.sleep(0.02)
            print(f"reached the counters in {time.monotonic() - issued_at:.3f} s")
            qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
            click(qtbot, window.ticket.done)
        assert counter.post("/api/call-next").json()["ticket"]["number"] == tickets[0].number
        counter.post("/api/serving").raise_for_status()
        counter.post("/api/done").raise_for_status()
        with caught(qtbot, bridge.store.tickets_served, timeout=15000) as served:
            bridge.sync_now()
        assert [t["number"] for t in served.args[0]] == [tickets[0].number]  # from the station's view
        qtbot.waitUntil(lambda: window.home.invitations() == [tickets[0].number], timeout=3000)
        click(qtbot, window.home.take_number)  # the station's count: one waiting, not the kiosk's own two
        qtbot.waitUntil(lambda: "当前等候 1 人" in window.services.service_buttons()[0].full_text(), timeout=5000)
        click(qtbot, window.services.home)

        click(qtbot, window.home.invite_buttons[0])
        for key in tickets[1].holder_code:  # the other ticket's code: not this ticket's holder
            click(qtbot, window.rating.code_entry.keys[key])
        with caught(qtbot, window.rating_flow.check_answered, timeout=10000) as answered:
            click(qtbot, window.rating.code_entry.ok)
        expected = ("ok", "") if tickets[1].holder_code == tickets[0].holder_code else ("refused", "not_holder")
        assert tuple(answered.args) == expected
        click(qtbot, window.rating.result_home)
        click(qtbot, window.home.invite_buttons[0])
        for key in tickets[0].holder_code:
            click(qtbot, window.rating.code_entry.keys[key])
        with caught(qtbot, window.rating_flow.check_answered, timeout=10000) as answered:
            click(qtbot, window.rating.code_entry.ok)
        assert tuple(answered.args) == ("ok", "")
        click(qtbot, window.rating.level_buttons[5])
        with caught(qtbot, bridge.store.rating_saved, timeout=5000):
            click(qtbot, window.rating.submit)

        def rating_state():
            with sqlite3.connect(behind.database_path) as db:
                return db.execute("SELECT state FROM outbox WHERE entity = 'rating'").fetchone()[0]
        qtbot.waitUntil(lambda: rating_state() != "pending", timeout=5000)
        assert rating_state() == "acked"  # the station took it: a served ticket, by its holder
        qtbot.waitUntil(lambda: window.home.invitations() == [], timeout=3000)
        click(qtbot, window.rating.result_home)
        click(qtbot, window.home.rating)
        for key in tickets[1].number:
            click(qtbot, (window.rating.letters if key.isalpha() else window.rating.digits).key(key))
        click(qtbot, window.rating.next)
        for key in tickets[1].holder_code:
            click(qtbot, window.rating.code_entry.keys[key])
        with caught(qtbot, window.rating_flow.check_answered, timeout=10000) as answered:
            click(qtbot, window.rating.code_entry.ok)
        assert tuple(answered.args) == ("refused", "not_served")  # its own code, but still waiting
    finally:
        counter.close()
