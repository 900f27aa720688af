"""The district's rating rule (sync/protocol/ratings.py): one rating per served ticket of the
sender's station, by the ticket's holder, on the ticket's business day; and stations, which post
their kiosks' ops and write the status of the tickets their kiosks issued."""

import pytest
from sqlalchemy import create_engine, text

from district_kiosk_client import HOLDER_CODE, enrol, make_op, new_id, served_rating, ticket_payload
from sync.server.cli import main

OTHER_STATION = "yt-dayanta"
STATION_SERVICE = "YT-XZ-SVC"  # the station service of yt-xiaozhai


def rows(db_url, sql, **params):
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params).all()]
    finally:
        engine.dispose()


def statuses(response):
    assert response.status_code == 200, response.text
    return [(r["seq"], r["status"], r.get("code")) for r in response.json()["results"]]


def rated_tickets(db_url):
    return {ticket_id for (ticket_id,) in rows(db_url, "SELECT ticket_id FROM ratings")}


def enrol_station(server, db_url, clock, station="yt-xiaozhai", kiosk_id=STATION_SERVICE):
    station_client = enrol(server, db_url, kiosk_id=kiosk_id, station=station, clock=clock, role="station")
    assert rows(db_url, "SELECT role FROM kiosks WHERE kiosk_id = :k", k=kiosk_id) == [("station",)]
    return station_client


# -- the rule, as a kiosk meets it ---------------------------------------------------------------


def test_the_holder_rates_a_ticket_served_in_an_earlier_batch(kiosk, db_url):
    ticket, rating = served_rating(level=4)
    assert statuses(kiosk.push([make_op(1, "ticket", ticket)])) == [(1, "applied", None)]
    assert statuses(kiosk.push([make_op(2, "rating", rating)])) == [(2, "applied", None)]
    assert rows(db_url, "SELECT rating_id, ticket_id, level, channel FROM ratings") == [
        (rating["rating_id"], ticket["ticket_id"], 4, "kiosk")]


@pytest.mark.parametrize("status", ["waiting", "called", "serving", "no_show", "cancelled"])
def test_a_ticket_not_done_is_not_served(kiosk, db_url, status):
    ticket, rating = served_rating(ticket_changes={"status": status})
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", rating)])) == [
        (1, "applied", None), (2, "rejected", "not_served")]
    assert rated_tickets(db_url) == set()
    # once it is done, its holder may rate it: the refusal took nothing away
    done = make_op(3, "ticket", dict(ticket, status="done", updated_at="2026-11-21T09:50:00+08:00"))
    assert statuses(kiosk.push([done, make_op(4, "rating", rating)])) == [(3, "applied", None), (4, "applied", None)]
    assert rated_tickets(db_url) == {ticket["ticket_id"]}


def test_a_rating_of_an_unknown_ticket_is_no_ticket(kiosk, db_url):
    _, rating = served_rating()  # its ticket is never pushed
    response = kiosk.push([make_op(1, "rating", rating)])
    assert statuses(response) == [(1, "rejected", "no_ticket")]
    assert response.json()["results"][0]["detail"]
    assert response.json()["high_water"] == 1
    assert rows(db_url, "SELECT count(*) FROM ratings") == [(0,)]


def test_a_rating_of_another_stations_ticket_is_wrong_station(server, db_url, clock, kiosk):
    other_kiosk = enrol(server, db_url, kiosk_id="YT-DYT-01", station=OTHER_STATION, clock=clock)
    theirs, their_rating = served_rating(station_id=OTHER_STATION)
    assert statuses(other_kiosk.push([make_op(1, "ticket", theirs)])) == [(1, "applied", None)]
    # naming the ticket's station, or its own: either way the ticket is not of the sender's station
    as_theirs = served_rating(ticket_id=theirs["ticket_id"], station_id=OTHER_STATION)[1]
    as_ours = served_rating(ticket_id=theirs["ticket_id"])[1]
    # and a ticket of the sender's station rated as if of another station
    mine, mislabelled = served_rating(station_id=OTHER_STATION, ticket_changes={"station_id": "yt-xiaozhai"})
    assert statuses(kiosk.push([make_op(1, "rating", as_theirs), make_op(2, "rating", as_ours),
                                make_op(3, "ticket", mine), make_op(4, "rating", mislabelled)])) == [
        (1, "rejected", "wrong_station"), (2, "rejected", "wrong_station"),
        (3, "applied", None), (4, "rejected", "wrong_station")]
    assert rated_tickets(db_url) == set()
    # the ticket itself may be rated, at its own station
    assert statuses(other_kiosk.push([make_op(2, "rating", their_rating)])) == [(2, "applied", None)]
    assert rated_tickets(db_url) == {theirs["ticket_id"]}


def test_a_second_rating_of_a_ticket_is_already_rated(server, db_url, clock, kiosk):
    ticket, first = served_rating(level=5)
    second_in_batch = served_rating(ticket_id=ticket["ticket_id"], level=1, reasons=["attitude"])[1]
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", first),
                                make_op(3, "rating", second_in_batch)])) == [
        (1, "applied", None), (2, "applied", None), (3, "rejected", "already_rated")]
    later = served_rating(ticket_id=ticket["ticket_id"], level=3)[1]
    assert statuses(kiosk.push([make_op(4, "rating", later)])) == [(4, "rejected", "already_rated")]
    # from another kiosk of the same station, too
    neighbour = enrol(server, db_url, kiosk_id="YT-XZ-02", clock=clock)
    again = served_rating(ticket_id=ticket["ticket_id"], level=2, reasons=["other"])[1]
    assert statuses(neighbour.push([make_op(1, "rating", again)])) == [(1, "rejected", "already_rated")]
    assert rows(db_url, "SELECT rating_id, level FROM ratings") == [(first["rating_id"], 5)]


def test_a_forged_code_is_not_holder(kiosk, db_url):
    ticket, rating = served_rating(code="246810")
    forged = dict(rating, rating_id=new_id(), holder={"by": "code", "code": "246811"})
    no_proof = {key: value for key, value in rating.items() if key != "holder"}
    no_proof["rating_id"] = new_id()
    uncoded, uncoded_rating = served_rating(ticket_changes={"holder_code": None})
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", forged),
                                make_op(3, "rating", no_proof), make_op(4, "ticket", uncoded),
                                make_op(5, "rating", uncoded_rating)])) == [
        (1, "applied", None), (2, "rejected", "not_holder"), (3, "rejected", "not_holder"),
        (4, "applied", None), (5, "rejected", "not_holder")]
    assert rated_tickets(db_url) == set()
    # the holder, with the right code, still may
    assert statuses(kiosk.push([make_op(6, "rating", rating)])) == [(6, "applied", None)]
    assert rated_tickets(db_url) == {ticket["ticket_id"]}


def test_by_card_with_the_tickets_id_digest_is_applied(kiosk, db_url):
    digest = "9f2c" * 16
    ticket, rating = served_rating(ticket_changes={"id_digest": digest},
                                   holder={"by": "card", "id_digest": digest})
    other_card = served_rating(ticket_id=ticket["ticket_id"], holder={"by": "card", "id_digest": "0a1b" * 16})[1]
    no_card, no_card_rating = served_rating(holder={"by": "card", "id_digest": digest})  # no card took it
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", other_card),
                                make_op(3, "ticket", no_card), make_op(4, "rating", no_card_rating),
                                make_op(5, "rating", rating)])) == [
        (1, "applied", None), (2, "rejected", "not_holder"), (3, "applied", None),
        (4, "rejected", "not_holder"), (5, "applied", None)]
    assert rows(db_url, "SELECT rating_id, ticket_id FROM ratings") == [(rating["rating_id"], ticket["ticket_id"])]


@pytest.mark.parametrize("rated_at, status, code", [
    ("2026-11-21T23:59:59+08:00", "applied", None),
    ("2026-11-22T00:05:00+08:00", "applied", None),  # a business day runs past midnight
    ("2026-11-22T05:59:59+08:00", "applied", None),
    ("2026-11-22T06:00:00+08:00", "rejected", "rating_closed"),
    ("2026-11-23T10:00:00+08:00", "rejected", "rating_closed"),
])
def test_ratings_close_at_the_end_of_the_business_day(kiosk, db_url, rated_at, status, code):
    ticket, rating = served_rating(rated_at=rated_at, ticket_changes={"business_date": "2026-11-21"})
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", rating)])) == [
        (1, "applied", None), (2, status, code)]
    assert rated_tickets(db_url) == ({ticket["ticket_id"]} if status == "applied" else set())


def test_a_window_pad_rating_by_counter_from_a_plain_kiosk_is_not_holder(kiosk, db_url):
    ticket, _ = served_rating()
    by_counter = served_rating(ticket_id=ticket["ticket_id"], channel="window_pad",
                               holder={"by": "counter", "counter_id": "C1"}, counter_id="C1")[1]
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", by_counter)])) == [
        (1, "applied", None), (2, "rejected", "not_holder")]
    assert rated_tickets(db_url) == set()


# -- stations --------------------------------------------------------------------------------------


def test_only_the_station_service_may_rate_by_counter_from_a_window_pad(server, db_url, clock, kiosk):
    station = enrol_station(server, db_url, clock)
    ticket, _ = served_rating()
    assert statuses(kiosk.push([make_op(1, "ticket", ticket)])) == [(1, "applied", None)]
    by_counter = served_rating(ticket_id=ticket["ticket_id"], channel="window_pad",
                               holder={"by": "counter", "counter_id": "C1"}, counter_id="C1")[1]
    at_the_kiosk = served_rating(ticket_id=ticket["ticket_id"], holder={"by": "counter", "counter_id": "C1"})[1]
    assert statuses(station.push([make_op(1, "rating", at_the_kiosk), make_op(2, "rating", by_counter)])) == [
        (1, "rejected", "not_holder"), (2, "applied", None)]
    assert rows(db_url, "SELECT ticket_id, kiosk_id, channel, counter_id FROM ratings") == [
        (ticket["ticket_id"], STATION_SERVICE, "window_pad", "C1")]


def test_a_station_posts_the_ops_of_its_kiosks_signed_as_itself(server, db_url, clock, kiosk):
    station = enrol_station(server, db_url, clock)
    ticket, rating = served_rating()
    ops = [make_op(1, "ticket", ticket), make_op(2, "rating", rating)]
    relayed = station.push(ops, for_kiosk=kiosk.kiosk_id)
    assert statuses(relayed) == [(1, "applied", None), (2, "applied", None)]
    assert relayed.json()["high_water"] == 2
    # they are the kiosk's ops, under the kiosk's seqs
    assert rows(db_url, "SELECT kiosk_id, seq FROM ops ORDER BY seq") == [("YT-XZ-01", 1), ("YT-XZ-01", 2)]
    assert rows(db_url, "SELECT kiosk_id, status FROM tickets") == [("YT-XZ-01", "done")]
    assert rows(db_url, "SELECT kiosk_id FROM ratings") == [("YT-XZ-01",)]
    assert statuses(kiosk.push(ops)) == [(1, "duplicate", None), (2, "duplicate", None)]
    # its own path is its own
    assert statuses(station.push([])) == []


def test_a_station_may_not_post_for_a_kiosk_of_another_station(server, db_url, clock, kiosk):
    station = enrol_station(server, db_url, clock)
    enrol(server, db_url, kiosk_id="YT-DYT-01", station=OTHER_STATION, clock=clock)
    ops = [make_op(1, "ticket", ticket_payload(station_id=OTHER_STATION))]
    refused = station.push(ops, for_kiosk="YT-DYT-01")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert rows(db_url, "SELECT count(*) FROM ops") == [(0,)]
    # the station service of that station may
    theirs = enrol_station(server, db_url, clock, station=OTHER_STATION, kiosk_id="YT-DYT-SVC")
    assert statuses(theirs.push(ops, for_kiosk="YT-DYT-01")) == [(1, "applied", None)]


def test_a_station_service_may_not_post_for_another_station_service(server, db_url, clock, kiosk):
    station = enrol_station(server, db_url, clock)
    second = enrol_station(server, db_url, clock, kiosk_id="YT-XZ-SVC2")
    ops = [make_op(1, "ticket", ticket_payload())]
    assert second.push(ops, for_kiosk=station.kiosk_id).status_code == 403
    assert rows(db_url, "SELECT count(*) FROM ops") == [(0,)]


def test_a_plain_kiosk_may_not_post_on_another_kiosks_path(server, db_url, clock, kiosk):
    neighbour = enrol(server, db_url, kiosk_id="YT-XZ-02", clock=clock)
    ops = [make_op(1, "ticket", ticket_payload())]
    refused = kiosk.push(ops, for_kiosk=neighbour.kiosk_id)
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    # nor on the station service's path
    enrol_station(server, db_url, clock)
    assert kiosk.push(ops, for_kiosk=STATION_SERVICE).status_code == 403
    assert rows(db_url, "SELECT count(*) FROM ops") == [(0,)]
    assert statuses(neighbour.push(ops)) == [(1, "applied", None)]


def test_a_station_token_from_the_cli_enrols_a_station_service(server, db_url, kiosk, capsys):
    assert main(["enrol-token", "--db", db_url, "--station", "yt-xiaozhai", "--kiosk", STATION_SERVICE,
                 "--role", "station"]) == 0
    token = capsys.readouterr().out.strip()
    answer = server.post("/v1/enrol", json={"token": token, "kiosk_id": STATION_SERVICE, "app_version": "1.0.0"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["station_id"] == "yt-xiaozhai"
    assert rows(db_url, "SELECT role FROM kiosks WHERE kiosk_id = :k", k=STATION_SERVICE) == [("station",)]
    assert rows(db_url, "SELECT role FROM kiosks WHERE kiosk_id = :k", k=kiosk.kiosk_id) == [("kiosk",)]


def test_the_stations_status_holds_against_the_issuing_kiosks_later_upsert(server, db_url, clock, kiosk):
    station = enrol_station(server, db_url, clock)
    ticket_id = new_id()
    issued = ticket_payload(ticket_id, holder_code=HOLDER_CODE, kiosk_id=kiosk.kiosk_id)
    assert statuses(kiosk.push([make_op(1, "ticket", issued)])) == [(1, "applied", None)]
    done = dict(issued, status="done", updated_at="2026-11-21T09:45:00+08:00")
    assert statuses(station.push([make_op(1, "ticket", done)])) == [(1, "applied", None)]
    assert rows(db_url, "SELECT kiosk_id, seq, status, state_by FROM tickets") == [
        ("YT-XZ-01", 1, "done", STATION_SERVICE)]
    # the kiosk, not knowing, sends the ticket again as waiting: the status stays the station's
    resent = dict(issued, updated_at="2026-11-21T09:50:00+08:00")
    assert statuses(kiosk.push([make_op(2, "ticket", resent)])) == [(2, "applied", None)]
    assert rows(db_url, "SELECT kiosk_id, status, state_by FROM tickets") == [("YT-XZ-01", "done", STATION_SERVICE)]
    # and the ticket, served, may be rated by its holder
    rating = served_rating(ticket_id=ticket_id)[1]
    assert statuses(kiosk.push([make_op(3, "rating", rating)])) == [(3, "applied", None)]


def test_a_station_writes_only_the_tickets_of_its_own_station(server, db_url, clock, kiosk):
    station = enrol_station(server, db_url, clock)
    other_kiosk = enrol(server, db_url, kiosk_id="YT-DYT-01", station=OTHER_STATION, clock=clock)
    theirs = ticket_payload(station_id=OTHER_STATION)
    assert statuses(other_kiosk.push([make_op(1, "ticket", theirs)])) == [(1, "applied", None)]
    unknown = ticket_payload(station_id=OTHER_STATION, status="done")  # not (yet) at the district
    response = station.push([make_op(1, "ticket", dict(theirs, status="done")),
                             make_op(2, "ticket", dict(theirs, status="done", station_id="yt-xiaozhai")),
                             make_op(3, "ticket", unknown)])
    assert statuses(response) == [(1, "rejected", "invalid_payload"), (2, "rejected", "invalid_payload"),
                                  (3, "rejected", "invalid_payload")]
    assert rows(db_url, "SELECT ticket_id, kiosk_id, status, state_by FROM tickets") == [
        (theirs["ticket_id"], "YT-DYT-01", "waiting", None)]


# -- a ticket op that did not take effect vouches for nothing ------------------------------------


def test_a_refused_ticket_op_does_not_vouch_for_a_rating_in_its_batch(server, db_url, clock, kiosk):
    ticket = ticket_payload(holder_code="111111")  # waiting, issued by this kiosk
    assert statuses(kiosk.push([make_op(1, "ticket", ticket)])) == [(1, "applied", None)]
    neighbour = enrol(server, db_url, kiosk_id="YT-XZ-02", clock=clock)
    forged = dict(ticket, status="done", holder_code="999999")
    _, rating = served_rating(ticket_id=ticket["ticket_id"], code="999999")
    assert statuses(neighbour.push([make_op(1, "ticket", forged), make_op(2, "rating", rating)])) == [
        (1, "rejected", "invalid_payload"), (2, "rejected", "not_served")]
    assert rated_tickets(db_url) == set()


def test_the_stations_status_stands_against_a_kiosks_done_in_the_ratings_batch(server, db_url, clock, kiosk):
    station = enrol_station(server, db_url, clock)
    ticket = ticket_payload(holder_code=HOLDER_CODE)
    assert statuses(kiosk.push([make_op(1, "ticket", ticket)])) == [(1, "applied", None)]
    no_show = dict(ticket, status="no_show", kiosk_id=kiosk.kiosk_id, updated_at="2026-11-21T09:40:00+08:00")
    assert statuses(station.push([make_op(1, "ticket", no_show)])) == [(1, "applied", None)]
    _, rating = served_rating(ticket_id=ticket["ticket_id"])
    done = dict(ticket, status="done", updated_at="2026-11-21T09:50:00+08:00")
    assert statuses(kiosk.push([make_op(2, "ticket", done), make_op(3, "rating", rating)])) == [
        (2, "applied", None), (3, "rejected", "not_served")]


def test_a_late_older_op_does_not_vouch_for_a_rating(kiosk, db_url):
    ticket = ticket_payload(holder_code=HOLDER_CODE)
    cancelled = dict(ticket, status="cancelled", updated_at="2026-11-21T09:45:00+08:00")
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(3, "ticket", cancelled)])) == [
        (1, "applied", None), (3, "applied", None)]
    done = dict(ticket, status="done", updated_at="2026-11-21T09:40:00+08:00")
    _, rating = served_rating(ticket_id=ticket["ticket_id"])
    assert statuses(kiosk.push([make_op(2, "ticket", done), make_op(4, "rating", rating)])) == [
        (2, "applied", None), (4, "rejected", "not_served")]


@pytest.mark.parametrize("digest", ["é" * 64, "\u00e9", "\U0001f600"])
def test_a_card_digest_that_is_not_ascii_is_refused_not_a_crash(kiosk, db_url, digest):
    ticket, rating = served_rating(ticket_changes={"id_digest": "ab" * 32})
    rating["holder"] = {"by": "card", "id_digest": digest}
    response = kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", rating)])
    assert statuses(response) == [(1, "applied", None), (2, "rejected", "not_holder")]
