"""What the counters do reaches the kiosk: waiting counts and estimates, and an invitation to rate
each ticket just served, over the real store worker and a second connection playing the counter."""

import sqlite3

from PySide6.QtCore import Qt

from kiosk.store import calls
from qt_waiting import caught


def click(qtbot, button):
    qtbot.waitUntil(button.isVisible, timeout=3000)
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def take_number(qtbot, window, bridge, service_index=0):
    click(qtbot, window.home.take_number)
    with caught(qtbot, bridge.store.ticket_issued, timeout=10000) as issued:
        click(qtbot, window.services.service_buttons()[service_index])
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
    click(qtbot, window.ticket.done)
    return issued.args[0]


def serve(config, ticket, clock, minutes):
    """The counter calls the ticket and marks it done ``minutes`` later, in its own connection."""
    from datetime import timedelta

    counter = {"id": "w1", "name": "1号窗口", "services": []}
    with sqlite3.connect(config.database_path, isolation_level=None) as db:
        now = clock()
        called = calls.call_number(db, counter, ticket.number, now=now - timedelta(minutes=minutes),
                                   day=ticket.business_date)
        assert called["ticket_id"] == ticket.ticket_id
        calls.mark_done(db, counter, now=now)


def look(qtbot, bridge, signal):
    with caught(qtbot, signal, timeout=5000) as seen:
        bridge.refresh_queue()
    return seen.args[0]


def test_a_served_ticket_is_invited_to_rate_once_and_opens_its_rating(qtbot, make_config, kiosk_window):
    from kiosk.app import station_clock

    config = make_config()
    window, bridge = kiosk_window(config)
    first, second = take_number(qtbot, window, bridge), take_number(qtbot, window, bridge)
    serve(config, first, station_clock(config), minutes=6)
    served = look(qtbot, bridge, bridge.store.tickets_served)
    assert [t["number"] for t in served] == [first.number]
    qtbot.waitUntil(lambda: window.home.invitations() == [first.number], timeout=3000)
    invite = window.home.invite_buttons[0]
    assert invite.isVisible() and invite.text() == first.number
    with caught(qtbot, bridge.store.wait_estimates_changed, timeout=5000) as estimates:
        bridge.refresh_queue()  # the same ticket is not invited twice
    assert estimates.args[0] == {second.service_code: 6}
    qtbot.wait(50)
    assert window.home.invitations() == [first.number]
    click(qtbot, invite)
    qtbot.waitUntil(lambda: window.rating.current_step() == "code", timeout=3000)
    assert window.rating.code_entry.number == first.number  # the invitation names the ticket, not its holder
    for key in first.holder_code:
        click(qtbot, window.rating.code_entry.keys[key])
    with caught(qtbot, window.rating_flow.check_answered, timeout=5000) as answered:
        click(qtbot, window.rating.code_entry.ok)
    assert answered.args == ["local_ok", ""]  # no server here; the counter shares this store
    qtbot.waitUntil(lambda: window.rating.current_step() == "level", timeout=3000)
    assert first.number in window.rating.ticket_line.text()
    click(qtbot, window.rating.level_buttons[5])
    with caught(qtbot, bridge.store.rating_saved, timeout=5000):
        click(qtbot, window.rating.submit)
    qtbot.waitUntil(lambda: window.home.invitations() == [], timeout=3000)
    assert not window.home.invitation.isVisibleTo(window.home)


def test_services_show_the_estimate_once_a_ticket_was_served(qtbot, make_config, kiosk_window):
    from kiosk.app import station_clock

    config = make_config()
    window, bridge = kiosk_window(config)
    tickets = [take_number(qtbot, window, bridge) for _ in range(3)]
    click(qtbot, window.home.take_number)
    qtbot.waitUntil(lambda: "当前等候 3 人" in window.services.service_buttons()[0].full_text(), timeout=5000)
    assert "分钟" not in window.services.service_buttons()[0].full_text()  # nothing measured: no estimate
    serve(config, tickets[0], station_clock(config), minutes=5)
    look(qtbot, bridge, bridge.store.wait_estimates_changed)
    qtbot.waitUntil(lambda: "约 10 分钟" in window.services.service_buttons()[0].full_text(), timeout=3000)
    assert "当前等候 2 人" in window.services.service_buttons()[0].full_text()


def test_a_card_on_the_rating_screen_lists_that_cards_tickets_and_proves_their_holder(qtbot, make_config,
                                                                                     kiosk_window):
    from kiosk.app import station_clock

    config = make_config()
    window, bridge = kiosk_window(config)
    mine = []
    for _ in range(2):
        with caught(qtbot, bridge.card.card_read, timeout=10000):
            bridge.simulate_card("place", "resident")
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.services, timeout=5000)
        with caught(qtbot, bridge.store.ticket_issued, timeout=10000) as issued:
            click(qtbot, window.services.service_buttons()[0])
        mine.append(issued.args[0])
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=5000)
        click(qtbot, window.ticket.done)
        bridge.simulate_card("remove", "resident")
        qtbot.wait(300)  # the reader sees the card gone before it comes back
    someone_elses = take_number(qtbot, window, bridge)  # without a card
    serve(config, mine[0], station_clock(config), minutes=3)
    click(qtbot, window.home.rating)
    with caught(qtbot, window.rating_flow.resident_tickets_shown, timeout=10000) as found:
        bridge.simulate_card("place", "resident")
    assert {t["number"] for t in found.args[0]} == {mine[1].number, mine[0].number}
    qtbot.waitUntil(lambda: len(window.rating.card_tickets.shown_numbers()) == 2, timeout=3000)
    assert window.stack.currentWidget() is window.rating  # the card did not start a new number
    shown = window.rating.card_tickets.shown_numbers
    with caught(qtbot, window.rating_flow.check_answered, timeout=5000) as answered:
        click(qtbot, window.rating.card_tickets.buttons[shown().index(mine[1].number)])  # waiting: nobody can say
    assert answered.args == ["cannot_check", "not_enrolled"]
    assert "窗口评价器" in window.rating.result_text.text()
    click(qtbot, window.rating.result_home)
    click(qtbot, window.home.rating)
    with caught(qtbot, window.rating_flow.resident_tickets_shown, timeout=10000):
        bridge.simulate_card("remove", "resident")
        qtbot.wait(300)
        bridge.simulate_card("place", "resident")
    qtbot.waitUntil(lambda: len(window.rating.card_tickets.shown_numbers()) == 2, timeout=3000)
    with caught(qtbot, window.rating_flow.check_answered, timeout=5000) as answered:
        click(qtbot, window.rating.card_tickets.buttons[shown().index(mine[0].number)])  # served: its card rates it
    assert answered.args == ["local_ok", ""]
    qtbot.waitUntil(lambda: window.rating.current_step() == "level", timeout=3000)
    assert window.rating.rated_ticket()["ticket_id"] == mine[0].ticket_id
    assert window.rating.rated_ticket()["holder"] == {"by": "card", "id_digest": mine[0].id_digest}
    # someone else's ticket, served, cannot be rated with this card
    serve(config, someone_elses, station_clock(config), minutes=2)
    click(qtbot, window.rating.back_to_number)
    for key in someone_elses.number:
        click(qtbot, (window.rating.letters if key.isalpha() else window.rating.digits).key(key))
    click(qtbot, window.rating.next)
    with caught(qtbot, window.rating_flow.check_answered, timeout=5000) as answered:
        bridge.simulate_card("remove", "resident")
        qtbot.wait(300)
        bridge.simulate_card("place", "resident")
    assert answered.args == ["local_refused", "not_holder"]
    assert window.rating.result_text.text() == "评价码不对，请核对号票上的6位评价码"


def test_in_elder_mode_the_rating_tile_carries_the_invitation(qtbot):
    from datetime import datetime

    from kiosk.ui.screens.home import HomeScreen
    from kiosk.ui.theme import Sizes

    home = HomeScreen(lambda: datetime(2026, 11, 23, 9), Sizes(1080))
    qtbot.addWidget(home)
    home.show()
    home.rating.setEnabled(True)
    home.set_elder(True)
    home.set_invitations(["A007", "A003"])
    assert not home.invitation.isVisible() and "A007" in home.rating.text()
    with qtbot.waitSignal(home.rate_ticket_clicked, timeout=1000) as invited:
        qtbot.mouseClick(home.rating, Qt.MouseButton.LeftButton)
    assert invited.args == ["A007"]
    home.set_elder(False)
    assert home.invitation.isVisible() and [b.text() for b in home.invite_buttons if b.isVisible()] == ["A007", "A003"]
    home.set_invitations([])
    with qtbot.waitSignal(home.rating_clicked, timeout=1000):
        qtbot.mouseClick(home.rating, Qt.MouseButton.LeftButton)
