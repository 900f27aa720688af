"""好差评: levels and reasons, validation, one rating per ticket, the rating and its op committed together."""

import json
import sqlite3
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.numbering import NumberingScheme
from kiosk.domain.ratings import (DEFAULT_REASONS, LEVEL_NAMES, LEVELS_BEST_FIRST, AlreadyRated, Level,
                                  RatingInvalid, looks_like_phone, reason_choices, validate)
from kiosk.services.rate import RatingRequest, rate_ticket
from kiosk.store import ratings as rating_rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI)
SYNC_V1_RATING_KEYS = {"rating_id", "station_id", "ticket_id", "service_code", "level", "reasons", "comment",
                       "contact_phone", "channel", "rated_at", "holder"}
HOLDER = {"by": "code", "code": "482913"}


class RatingPort:
    """The store as the use case sees it, over the store's own connection."""

    def __init__(self, db):
        self.db = db

    def rate(self, **fields):
        return rating_rows.rate(self.db, **fields)


@pytest.fixture
def ticket(store):
    return store.issue_ticket(scheme=NumberingScheme(), station_id="yt-xiaozhai", service_code="SB-KSL",
                              prefix="A", now=NOW, day=NOW.date())


def rate(store, ticket, **fields):
    values = dict(station_id="yt-xiaozhai", ticket_id=ticket.ticket_id, service_code="SB-KSL", level=5, now=NOW,
                  holder=HOLDER)
    values.update(fields)
    return rating_rows.rate(store.db, **values)


def table(store, sql):
    with sqlite3.connect(store.path) as db:
        return db.execute(sql).fetchall()


# levels, reasons, validation

def test_levels_and_their_names_follow_the_national_scheme():
    assert [int(level) for level in LEVELS_BEST_FIRST] == [5, 4, 3, 2, 1]
    assert [LEVEL_NAMES[level] for level in LEVELS_BEST_FIRST] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert Level(2).is_low and Level(1).is_low and not Level(3).is_low
    assert Level.DISSATISFIED.label == "不满意"


def test_default_reason_codes_are_those_of_sync_v1():
    assert list(DEFAULT_REASONS) == ["attitude", "wait_too_long", "unclear_guidance", "slow_handling",
                                     "repeat_visits", "facilities", "other"]
    assert reason_choices()[1] == ("wait_too_long", "等候时间长")
    assert reason_choices(["other", "queue_jumping"]) == [("other", "其他"), ("queue_jumping", "queue_jumping")]


@pytest.mark.parametrize("fields, code", [
    (dict(level=0), "level_out_of_range"),
    (dict(level=6), "level_out_of_range"),
    (dict(level=True), "level_out_of_range"),
    (dict(level=2), "reasons_required"),
    (dict(level=1, reasons=[]), "reasons_required"),
    (dict(level=2, reasons=["rude"]), "unknown_reason"),
    (dict(level=5, comment="好" * 201), "comment_too_long"),
    (dict(level=4, contact_phone="13812345678"), "phone_not_allowed"),
    (dict(level=2, reasons=["attitude"], contact_phone="12345"), "phone_invalid"),
    (dict(level=2, reasons=["attitude"], contact_phone="12812345678"), "phone_invalid"),
])
def test_validation_names_the_broken_rule(fields, code):
    with pytest.raises(RatingInvalid) as raised:
        validate(**fields)
    assert raised.value.code == code


@pytest.mark.parametrize("fields", [
    dict(level=5), dict(level=3, comment="好" * 200),
    dict(level=2, reasons=["wait_too_long"]),
    dict(level=1, reasons=["attitude", "other"], contact_phone="138 1234 5678"),
    dict(level=2, reasons=["other"], contact_phone="029-85200000"),
    dict(level=2, reasons=["queue_jumping"], known_reasons=["queue_jumping"]),
])
def test_valid_ratings_pass(fields):
    assert validate(**fields) is None


def test_phone_numbers_that_look_chinese():
    assert looks_like_phone("13812345678") and looks_like_phone("029-85200000")
    assert not looks_like_phone("1381234567") and not looks_like_phone("+1 555 0100")


# the store

def test_rating_row_and_outbox_op_are_committed_together_with_the_sync_v1_payload(store, ticket):
    rating = rate(store, ticket, level=2, reasons=["wait_too_long", "attitude"], contact_phone="138-1234-5678",
                  comment="  等了很久  ")
    rows = table(store, "SELECT rating_id, ticket_id, station_id, service_code, level, reasons, comment, "
                        "contact_phone, rated_at FROM ratings")
    assert rows == [(rating.rating_id, ticket.ticket_id, "yt-xiaozhai", "SB-KSL", 2,
                     '["wait_too_long", "attitude"]', "等了很久", "13812345678", "2026-11-23T10:15:00+08:00")]
    ops = table(store, "SELECT entity, entity_id, kind, created_at, payload, state FROM outbox WHERE entity = 'rating'")
    assert len(ops) == 1
    entity, entity_id, kind, created_at, payload, state = ops[0]
    assert (entity, entity_id, kind, state) == ("rating", rating.rating_id, "upsert", "pending")
    assert created_at == "2026-11-23T10:15:00+08:00"
    payload = json.loads(payload)
    assert set(payload) == SYNC_V1_RATING_KEYS
    assert payload == {"rating_id": rating.rating_id, "station_id": "yt-xiaozhai", "ticket_id": ticket.ticket_id,
                       "service_code": "SB-KSL", "level": 2, "reasons": ["wait_too_long", "attitude"],
                       "comment": "等了很久", "contact_phone": "13812345678", "channel": "kiosk",
                       "rated_at": "2026-11-23T10:15:00+08:00", "holder": {"by": "code", "code": "482913"}}


def test_a_ticket_is_rated_once(store, ticket):
    first = rate(store, ticket, level=5)
    with pytest.raises(AlreadyRated) as raised:
        rate(store, ticket, level=1, reasons=["attitude"])
    assert raised.value.ticket_id == ticket.ticket_id
    assert table(store, "SELECT rating_id, level FROM ratings") == [(first.rating_id, 5)]
    assert table(store, "SELECT count(*) FROM outbox WHERE entity = 'rating'") == [(1,)]
    assert not store.db.in_transaction


def test_already_rated_is_importable_from_the_store_module():
    assert rating_rows.AlreadyRated is AlreadyRated


def test_an_invalid_rating_writes_nothing(store, ticket):
    with pytest.raises(RatingInvalid) as raised:
        rate(store, ticket, level=2)
    assert raised.value.code == "reasons_required"
    assert table(store, "SELECT count(*) FROM ratings") == [(0,)]
    assert table(store, "SELECT count(*) FROM outbox WHERE entity = 'rating'") == [(0,)]


def test_a_failing_outbox_write_leaves_no_rating(store, ticket, monkeypatch):
    def broken(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(rating_rows, "enqueue", broken)
    with pytest.raises(sqlite3.OperationalError):
        rate(store, ticket, level=5)
    assert table(store, "SELECT count(*) FROM ratings") == [(0,)]
    assert not store.db.in_transaction


def test_ratings_without_a_ticket_or_its_holder_are_no_longer_taken(store, ticket):
    for fields, code in [(dict(ticket_id=None, holder=HOLDER), "ticket_required"),
                         (dict(ticket_id=ticket.ticket_id, holder=None), "holder_invalid")]:
        with pytest.raises(RatingInvalid) as raised:
            rating_rows.rate(store.db, station_id="yt-xiaozhai", level=4, now=NOW, **fields)
        assert raised.value.code == code
    assert table(store, "SELECT count(*) FROM ratings") == [(0,)]
    assert table(store, "SELECT count(*) FROM outbox WHERE entity = 'rating'") == [(0,)]


def test_find_ticket_by_number_and_day_says_whether_it_was_rated(store, ticket):
    found = rating_rows.find_ticket(store.db, " a001 ", date(2026, 11, 23))
    assert found == {"ticket_id": ticket.ticket_id, "number": "A001", "station_id": "yt-xiaozhai",
                     "service_code": "SB-KSL", "business_date": "2026-11-23",
                     "issued_at": "2026-11-23T10:15:00+08:00", "status": "waiting", "rated": False}
    rate(store, ticket, level=5)
    assert rating_rows.find_ticket(store.db, "A001", "2026-11-23")["rated"] is True
    assert rating_rows.find_ticket(store.db, "A001", date(2026, 11, 22)) is None
    assert rating_rows.find_ticket(store.db, "A002", date(2026, 11, 23)) is None
    assert rating_rows.find_ticket(store.db, "A001", date(2026, 11, 23), station_id="yt-dayanta") is None


# the use case

def test_rate_ticket_commits_through_the_port_at_the_clock_time(store, ticket):
    request = RatingRequest(station_id="yt-xiaozhai", level=1, ticket_id=ticket.ticket_id, number="A001",
                            service_code="SB-KSL", reasons=("repeat_visits",), contact_phone="13912345678",
                            holder={"by": "card", "id_digest": "ab" * 32})
    rating = rate_ticket(RatingPort(store.db), request, lambda: NOW)
    assert (rating.level, rating.reasons, rating.contact_phone) == (1, ("repeat_visits",), "13912345678")
    assert rating.rated_at == NOW
    assert table(store, "SELECT ticket_id, level FROM ratings") == [(ticket.ticket_id, 1)]
    [(payload,)] = table(store, "SELECT payload FROM outbox WHERE entity = 'rating'")
    assert json.loads(payload)["holder"] == {"by": "card", "id_digest": "ab" * 32}
    assert json.loads(payload)["channel"] == "kiosk"
    with pytest.raises(AlreadyRated):
        rate_ticket(RatingPort(store.db), request, lambda: NOW)


def test_rate_ticket_refuses_before_reaching_the_store():
    class Untouchable:
        def rate(self, **_fields):
            raise AssertionError("the store must not be called for an invalid rating")

    with pytest.raises(RatingInvalid) as raised:
        rate_ticket(Untouchable(), RatingRequest(station_id="yt-xiaozhai", level=2, ticket_id="t", holder=HOLDER),
                    lambda: NOW)
    assert raised.value.code == "reasons_required"
    for request, code in [(RatingRequest(station_id="yt-xiaozhai", level=5, holder=HOLDER), "ticket_required"),
                          (RatingRequest(station_id="yt-xiaozhai", level=5, ticket_id="t"), "holder_invalid"),
                          (RatingRequest(station_id="yt-xiaozhai", level=5, ticket_id="t",
                                         holder={"by": "code", "code": "12345"}), "holder_invalid")]:
        with pytest.raises(RatingInvalid) as raised:
            rate_ticket(Untouchable(), request, lambda: NOW)
        assert raised.value.code == code


def test_rate_ticket_uses_the_district_reason_list(store, ticket):
    request = RatingRequest(station_id="yt-xiaozhai", level=2, ticket_id=ticket.ticket_id, reasons=("queue_jumping",),
                            holder=HOLDER)
    with pytest.raises(RatingInvalid):
        rate_ticket(RatingPort(store.db), request, lambda: NOW)
    rating = rate_ticket(RatingPort(store.db), request, lambda: NOW, known_reasons=["queue_jumping", "other"])
    assert rating.reasons == ("queue_jumping",)
