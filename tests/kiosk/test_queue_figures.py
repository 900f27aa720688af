"""Behind a station the queue figures come from the station's queue view while it is fresh, plus
this kiosk's own tickets issued since; otherwise (and without a station) from the local store."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.numbering import NumberingScheme
from kiosk.services.queue_figures import STATION_VIEW_MAX_AGE, people_ahead, queue_figures
from kiosk.store.sync_store import save_station_queue

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
DAY = AT.date()
STATION = "yt-xiaozhai"


def issue(store, at, service="SB-KSL", prefix="A"):
    return store.issue_ticket(scheme=NumberingScheme(), station_id=STATION, service_code=service, prefix=prefix,
                              now=at, day=DAY)


def view(**over):
    value = {"station_id": STATION, "at": AT.isoformat(timespec="seconds"), "business_date": DAY.isoformat(),
             "waiting": {"SB-KSL": 4, "HJ-QY": 1}, "estimates": {"SB-KSL": 20},
             "served": [{"ticket_id": "t1", "number": "A001", "service_code": "SB-KSL",
                         "served_at": (AT - timedelta(minutes=1)).isoformat(timespec="seconds")}]}
    return value | over


@pytest.fixture
def with_own_tickets(store):
    """Three of this kiosk's tickets before the view was taken (the station counts them), two after."""
    before = [issue(store, AT - timedelta(minutes=m)) for m in (30, 20, 10)]
    after = [issue(store, AT + timedelta(seconds=20)), issue(store, AT + timedelta(seconds=40), "HJ-QY", "B")]
    return before, after


def test_without_a_station_view_the_local_store_counts(store, with_own_tickets):
    figures = queue_figures(store, STATION, DAY, AT + timedelta(minutes=1))
    assert figures.source == "local" and figures.served is None
    assert figures.counts == {"SB-KSL": 4, "HJ-QY": 1}  # every ticket the kiosk issued stays waiting here


def test_a_fresh_view_counts_with_the_kiosks_own_tickets_since(store, with_own_tickets):
    save_station_queue(store.db, view())
    figures = queue_figures(store, STATION, DAY, AT + timedelta(minutes=1))
    assert figures.source == "station"
    assert figures.counts == {"SB-KSL": 5, "HJ-QY": 2}
    assert figures.estimates == {"SB-KSL": 25}  # 20 minutes for 4 waiting: 5 more for the one since
    assert [(s["number"], s["business_date"]) for s in figures.served] == [("A001", "2026-11-23")]


@pytest.mark.parametrize("stale", [
    view(at=(AT - STATION_VIEW_MAX_AGE - timedelta(seconds=61)).isoformat()),
    view(business_date="2026-11-22"), view(at="yesterday"), {"station_id": STATION},
])
def test_a_stale_or_broken_view_gives_way_to_the_local_figures(store, with_own_tickets, stale):
    save_station_queue(store.db, stale)
    figures = queue_figures(store, STATION, DAY, AT + timedelta(minutes=1))
    assert figures.source == "local" and figures.counts == {"SB-KSL": 4, "HJ-QY": 1}


def test_the_view_is_fresh_for_two_minutes(store):
    save_station_queue(store.db, view())
    assert queue_figures(store, STATION, DAY, AT + STATION_VIEW_MAX_AGE).source == "station"
    assert queue_figures(store, STATION, DAY, AT + STATION_VIEW_MAX_AGE + timedelta(seconds=1)).source == "local"


def test_people_ahead_of_a_new_ticket_are_the_stations_plus_the_kiosks_own_since(store, with_own_tickets):
    save_station_queue(store.db, view())
    ticket = issue(store, AT + timedelta(seconds=50))
    assert ticket.waiting_ahead == 4  # as the local store counts: the three before and the one since
    assert people_ahead(store, ticket, AT + timedelta(seconds=50)) == 5  # the station's 4, the kiosk's one since
    assert people_ahead(store, ticket, AT + timedelta(minutes=5)) == ticket.waiting_ahead  # the view is stale
