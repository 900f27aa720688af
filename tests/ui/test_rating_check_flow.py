"""好差评 by its holder, through the real window, store and workers: the kiosk asks its sync server
(a real `district-server serve`) before the five levels; the server's refusals are said in its
words; with the server unreachable the kiosk's own store decides when it knows the ticket is
served (a counter shares it), else the resident hears calmly where else to rate."""

import dataclasses
import json
import sqlite3

import pytest
from PySide6.QtCore import Qt

from kiosk.app import station_clock
from kiosk.fieldsetup.enrolment import enrol_kiosk
from qt_waiting import caught
from sync.protocol.ratings import WORDS
from test_queue_from_counters import serve, take_number


def click(qtbot, button):
    qtbot.waitUntil(button.isVisible, timeout=3000)
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def enrolled(make_config, district):
    """The demo kiosk enrolled with the district, which is its sync server."""
    config = make_config()
    config = dataclasses.replace(config, sync=dataclasses.replace(config.sync, server=district.url))
    enrol_kiosk(config, district.url, district.token(config.kiosk.id))
    return config


def ask(qtbot, window, number, code):
    """The number, then the code, then 确定: the check's answer, as the flow reports it."""
    rating = window.rating
    if window.stack.currentWidget() is not rating:
        click(qtbot, window.home.rating)
    rating.reset()
    for key in number:
        click(qtbot, (rating.letters if key.isalpha() else rating.digits).key(key))
    click(qtbot, rating.next)
    for key in code:
        click(qtbot, rating.code_entry.keys[key])
    with caught(qtbot, window.rating_flow.check_answered, timeout=10000) as answered:
        click(qtbot, rating.code_entry.ok)
    assert rating.current_step() == ("level" if answered.args[0] in ("ok", "local_ok") else "result")
    return tuple(answered.args)


def rate(qtbot, window, bridge, level=5):
    click(qtbot, window.rating.level_buttons[level])
    with caught(qtbot, bridge.store.rating_saved, timeout=5000) as saved:
        click(qtbot, window.rating.submit)
    qtbot.waitUntil(lambda: window.rating.current_step() == "result", timeout=3000)
    click(qtbot, window.rating.result_home)
    return saved.args[0]


def synced(qtbot, config, bridge):
    """A sync run now, until the outbox is empty."""
    def pending():
        with sqlite3.connect(config.database_path) as db:
            return db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
    bridge.sync_now()
    qtbot.waitUntil(lambda: pending() == 0, timeout=15000)


def wrong(code):
    return "000000" if code != "000000" else "111111"


def payload_of(config, rating_id):
    with sqlite3.connect(config.database_path) as db:
        return json.loads(db.execute("SELECT payload FROM outbox WHERE entity_id = ?", (rating_id,)).fetchone()[0])


def test_the_server_decides_who_may_rate_and_says_why_not_in_words(qtbot, enrolled, kiosk_window, district):
    window, bridge = kiosk_window(enrolled)
    assert bridge.rating_checker is not None
    ticket = take_number(qtbot, window, bridge)
    synced(qtbot, enrolled, bridge)
    serve(enrolled, ticket, station_clock(enrolled), minutes=4)  # in this store; the district has not heard yet
    assert ask(qtbot, window, ticket.number, ticket.holder_code) == ("refused", "not_served")
    assert window.rating.result_text.text() == WORDS["not_served"]
    assert ask(qtbot, window, "A999", ticket.holder_code) == ("refused", "no_ticket")
    synced(qtbot, enrolled, bridge)  # now the district knows it is done
    assert ask(qtbot, window, ticket.number, wrong(ticket.holder_code)) == ("refused", "not_holder")
    assert window.rating.result_text.text() == WORDS["not_holder"]
    click(qtbot, window.rating.retry)  # the code again, for the same number
    assert window.rating.current_step() == "code" and window.rating.code_entry.number == ticket.number
    assert ask(qtbot, window, ticket.number, ticket.holder_code) == ("ok", "")
    assert window.rating.rated_ticket()["ticket_id"] == ticket.ticket_id
    rating_id = rate(qtbot, window, bridge)
    payload = payload_of(enrolled, rating_id)
    assert (payload["holder"], payload["channel"]) == ({"by": "code", "code": ticket.holder_code}, "kiosk")
    synced(qtbot, enrolled, bridge)
    with sqlite3.connect(district.db_path) as db:
        assert db.execute("SELECT ticket_id, channel FROM ratings").fetchall() == [(ticket.ticket_id, "kiosk")]
        assert db.execute("SELECT status FROM ops WHERE entity = 'rating'").fetchall() == [("applied",)]
    assert ask(qtbot, window, ticket.number, ticket.holder_code) == ("refused", "already_rated")
    assert not window.rating.retry.isVisible()


def test_unreachable_server_the_store_decides_when_it_knows_the_ticket_is_served(qtbot, enrolled, kiosk_window,
                                                                                district):
    window, bridge = kiosk_window(enrolled)
    served, waiting = take_number(qtbot, window, bridge), take_number(qtbot, window, bridge)
    district.stop()
    serve(enrolled, served, station_clock(enrolled), minutes=3)  # a counter service shares this store
    assert ask(qtbot, window, waiting.number, waiting.holder_code) == ("cannot_check", "offline")
    assert window.rating.result_title.text() == "现在暂时无法核对这张号票"
    assert "窗口评价器" in window.rating.result_text.text() and "二维码" in window.rating.result_text.text()
    assert ask(qtbot, window, served.number, wrong(served.holder_code)) == ("local_refused", "not_holder")
    assert ask(qtbot, window, served.number, served.holder_code) == ("local_ok", "")
    rating_id = rate(qtbot, window, bridge, level=4)
    assert payload_of(enrolled, rating_id)["holder"] == {"by": "code", "code": served.holder_code}
    assert ask(qtbot, window, served.number, served.holder_code) == ("local_refused", "already_rated")
    assert window.rating.result_text.text() == WORDS["already_rated"]


def test_without_a_server_a_waiting_ticket_is_never_rated(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    assert bridge.sync is None and bridge.rating_checker is None
    ticket = take_number(qtbot, window, bridge)
    assert ask(qtbot, window, ticket.number, ticket.holder_code) == ("cannot_check", "not_enrolled")
    with caught(qtbot, window.rating_flow.check_answered, timeout=5000) as again:
        click(qtbot, window.rating.retry)  # 再试一次 asks again, and gets the same calm answer
    assert tuple(again.args) == ("cannot_check", "not_enrolled")
    with sqlite3.connect(config.database_path) as db:
        assert db.execute("SELECT count(*) FROM ratings").fetchone()[0] == 0
