"""One rating per served ticket, by its holder: the holder's proof in the rating's payload, and the
rule checked on the kiosk's own store when its server cannot be asked (kiosk.store.ratings)."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.numbering import NumberingScheme
from kiosk.domain.ratings import holder_by_card, holder_by_code, holder_problem
from kiosk.store import calls
from kiosk.store import ratings as rating_rows
from kiosk.store.sync_store import save_station_queue
from sync.protocol.ratings import WORDS, check_holder

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI)
STATION = "yt-xiaozhai"
COUNTER = {"id": "c1", "name": "1号窗口", "services": []}
DIGEST = "d" * 64


@pytest.fixture
def ticket(store):
    return store.issue_ticket(scheme=NumberingScheme(), station_id=STATION, service_code="SB-KSL", prefix="A",
                              now=NOW, day=NOW.date(), id_digest=DIGEST, id_masked="610113********1234")


def serve(store, ticket, at=NOW + timedelta(minutes=10)):
    calls.call_number(store.db, COUNTER, ticket.number, now=at - timedelta(minutes=5), day=ticket.business_date)
    calls.mark_done(store.db, COUNTER, now=at)


def check(store, number, holder, now=NOW + timedelta(minutes=20)):
    return rating_rows.check_locally(store.db, number, NOW.date(), STATION, holder, now)


@pytest.mark.parametrize("holder", [
    holder_by_code("482913"), holder_by_card(DIGEST), {"by": "code", "code": "48291"}, {"by": "code", "code": "48291x"},
    {"by": "code", "code": 482913}, {"by": "card", "id_digest": ""}, {"by": "card", "id_digest": "a" * 129},
    {"by": "code", "code": "482913", "more": 1}, {"by": "counter", "counter_id": "C1"}, {"by": "phone"}, None, [],
])
def test_the_kiosks_holder_check_agrees_with_the_protocols(holder):
    kiosk_ok = holder_problem(holder) is None
    protocol_ok = check_holder(holder) is None and holder.get("by") != "counter"
    assert kiosk_ok == protocol_ok


def test_the_ticket_carries_a_six_digit_holder_code_into_its_payload(store, ticket):
    assert ticket.holder_code and len(ticket.holder_code) == 6 and ticket.holder_code.isdigit()
    [(payload,)] = store.db.execute("SELECT payload FROM outbox WHERE entity = 'ticket'").fetchall()
    assert json.loads(payload)["holder_code"] == ticket.holder_code


def test_a_ticket_still_waiting_is_not_known_here(store, ticket):
    """Behind a station the store keeps its tickets waiting: it cannot say they were not served."""
    answer = check(store, ticket.number, holder_by_code(ticket.holder_code))
    assert answer["known"] is False and answer["refusal"] is None
    assert answer["ticket"]["ticket_id"] == ticket.ticket_id
    assert check(store, "B999", holder_by_code("000000")) == {"known": False, "refusal": None, "ticket": None}


def test_a_served_ticket_is_rated_by_its_code_or_card_only(store, ticket):
    serve(store, ticket)
    assert check(store, ticket.number, holder_by_code(ticket.holder_code))["refusal"] is None
    assert check(store, ticket.number, holder_by_card(DIGEST))["refusal"] is None
    wrong = "000000" if ticket.holder_code != "000000" else "111111"
    for holder in (holder_by_code(wrong), holder_by_card("e" * 64)):
        answer = check(store, ticket.number, holder)
        assert answer["known"] is True and answer["refusal"][0] == "not_holder"
        assert WORDS[answer["refusal"][0]] == "评价码不对，请核对号票上的6位评价码"


def test_a_rated_ticket_and_a_closed_one_are_refused(store, ticket):
    serve(store, ticket)
    code = holder_by_code(ticket.holder_code)
    assert check(store, ticket.number, code, now=NOW + timedelta(days=1))["refusal"][0] == "rating_closed"
    rating_rows.rate(store.db, station_id=STATION, ticket_id=ticket.ticket_id, level=5, now=NOW, holder=code)
    assert check(store, ticket.number, code)["refusal"][0] == "already_rated"


def test_the_station_views_served_list_says_a_waiting_ticket_was_served(store, ticket):
    code = holder_by_code(ticket.holder_code)
    view = {"station_id": STATION, "at": NOW.isoformat(), "business_date": "2026-11-23", "waiting": {},
            "estimates": {}, "served": [{"ticket_id": ticket.ticket_id, "number": ticket.number,
                                         "service_code": "SB-KSL", "served_at": NOW.isoformat()}]}
    save_station_queue(store.db, view)
    answer = check(store, ticket.number, code)
    assert (answer["known"], answer["refusal"], answer["ticket"]["ticket_id"]) == (True, None, ticket.ticket_id)
    assert check(store, ticket.number, holder_by_code("999999" if ticket.holder_code != "999999" else "0" * 6)
                 )["refusal"][0] == "not_holder"
    other = {"ticket_id": "t-of-another-kiosk", "number": "A501", "service_code": "HJ-QY", "served_at": NOW.isoformat()}
    save_station_queue(store.db, dict(view, served=[other]))
    answer = check(store, "A501", code)  # another kiosk's ticket: its code is not known here
    assert answer["known"] is False and answer["ticket"]["service_code"] == "HJ-QY"
    assert check(store, ticket.number, code)["known"] is False  # no longer listed, still waiting here
