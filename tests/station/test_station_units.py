"""The station's parts on their own: the order in which it sends its ops and its kiosks' up, taking
a kiosk's batch into the queue once, and the daily one-hour figures."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.numbering import business_date
from kiosk.store import relay_queue
from kiosk.store.engine import connect
from kiosk.store.outbox import enqueue
from kiosk.store.transaction import write_transaction

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def db(tmp_path):
    connection = connect(tmp_path / "station.sqlite3")
    yield connection
    connection.close()


def _ticket_op(seq: int, number: str, kiosk: str = "K1", status: str = "waiting", at: str = "2026-11-21T09:30:00+08:00"):
    ticket_id = f"0193f6a2-0000-7000-8000-{seq:06d}{abs(hash(kiosk)) % 1000000:06d}"
    payload = {"ticket_id": ticket_id, "station_id": "yt-xiaozhai", "service_code": "SB-KSL", "number": number,
               "issued_at": at, "business_date": at[:10], "priority": "normal", "assistance": False,
               "bundle_code": None, "id_digest": None, "id_masked": None, "status": status, "updated_at": at,
               "holder_code": "123456"}
    return {"seq": seq, "op_id": f"0193f6a2-0000-7000-9000-{seq:06d}{abs(hash(kiosk)) % 1000000:06d}",
            "entity": "ticket", "entity_id": ticket_id, "kind": "upsert", "created_at": at, "payload": payload}


def _own_op(db) -> int:
    with write_transaction(db):
        return enqueue(db, entity="event", entity_id="0193f6a2-0000-7000-8000-0000000000aa",
                       payload={"event_id": "x", "type": "ticket_called", "at": "2026-11-21T09:31:00+08:00",
                                "detail": {}}, created_at="2026-11-21T09:31:00+08:00")


def test_a_batch_joins_the_queue_once_with_its_kiosk(db):
    ops = [_ticket_op(1, "A001"), _ticket_op(2, "A002")]
    assert relay_queue.take_in(db, "K1", ops, {1, 2}) == 2
    assert relay_queue.take_in(db, "K1", ops, {1, 2}) == 0  # handed over again: nothing changes
    rows = db.execute("SELECT number, kiosk_id, holder_code, prefix, seq FROM tickets ORDER BY number").fetchall()
    assert rows == [("A001", "K1", "123456", "A", 1), ("A002", "K1", "123456", "A", 2)]
    assert relay_queue.take_in(db, "K1", [_ticket_op(3, "A003")], set()) == 0  # refused ops stay out


def test_ops_go_up_in_the_order_the_station_committed_them(db):
    relay_queue.take_in(db, "K1", [_ticket_op(1, "A001")], {1})  # K1's ticket first
    own = _own_op(db)                                              # then the station's call on it
    relay_queue.take_in(db, "K2", [_ticket_op(1, "A501", "K2")], {1})  # then K2's ticket
    relay_queue.take_in(db, "K2", [_ticket_op(2, "A502", "K2")], {2})
    kind, _bound, kiosk, run = relay_queue.next_run(db, 500)
    assert (kind, kiosk, [op.seq for op in run]) == ("relay", "K1", [1])
    relay_queue.settle(db, "K1", [1], [], "now")
    kind, bound, _kiosk, _run = relay_queue.next_run(db, 500)
    assert (kind, bound) == ("own", own)
    with write_transaction(db):
        db.execute("UPDATE outbox SET state = 'acked'")
    kind, _bound, kiosk, run = relay_queue.next_run(db, 500)
    assert (kind, kiosk, [op.seq for op in run]) == ("relay", "K2", [1, 2])  # one run, one batch
    relay_queue.settle(db, "K2", [1, 2], [], "now")
    assert relay_queue.next_run(db, 500)[0] is None


def test_the_station_records_each_past_days_one_hour_figures_once(db):
    from kiosk.station.service import record_past_days

    now = datetime(2026, 11, 22, 10, 0, tzinfo=TZ)
    yesterday = business_date(now, 4) - timedelta(days=1)
    issued = datetime.combine(yesterday, datetime.min.time(), TZ) + timedelta(hours=9)
    for n, wait in ((1, 10), (2, 70)):
        op = _ticket_op(n, f"A00{n}", at=issued.isoformat())
        relay_queue.take_in(db, "K1", [op], {n})
        served = (issued + timedelta(minutes=wait)).isoformat()
        with write_transaction(db):
            db.execute("UPDATE tickets SET status = 'done', updated_at = ? WHERE ticket_id = ?",
                       (served, op["entity_id"]))
            db.execute("INSERT INTO events (event_id, type, at, detail) VALUES (?, 'ticket_called', ?, ?)",
                       (f"e{n}", served, json.dumps({"ticket_id": op["entity_id"], "business_date": yesterday.isoformat()})))
    recorded = record_past_days(db, lambda: now, 4)
    assert [r["business_date"] for r in recorded] == [yesterday.isoformat()]
    assert recorded[0]["served"] == 2
    assert record_past_days(db, lambda: now, 4) == []  # once
    ops = db.execute("SELECT count(*) FROM outbox WHERE entity = 'event' AND payload LIKE '%one_hour_rule_daily%'")
    assert ops.fetchone()[0] == 7  # the seven days back, each once, to go up


def test_the_purge_forgets_only_what_the_district_holds(db):
    relay_queue.take_in(db, "K1", [_ticket_op(1, "A001"), _ticket_op(2, "A002")], {1, 2})
    rating = {"rating_id": "r-1", "station_id": "yt-xiaozhai", "ticket_id": "t", "service_code": None, "level": 1,
              "reasons": ["attitude"], "comment": "太慢", "contact_phone": "13800000000", "channel": "kiosk",
              "rated_at": "2026-11-21T10:00:00+08:00"}
    relay_queue.take_in(db, "K1", [{"seq": 3, "op_id": "o-3", "entity": "rating", "entity_id": "r-1", "kind": "upsert",
                                    "created_at": rating["rated_at"], "payload": rating}], {3})
    relay_queue.settle(db, "K1", [1], [], "now")
    assert relay_queue.purge_before(db, "2026-12-01") == {"relayed_ops": 1, "ratings_cleared": 0}  # rating pending
    relay_queue.settle(db, "K1", [2, 3], [], "now")
    assert relay_queue.purge_before(db, "2026-11-21") == {"relayed_ops": 0, "ratings_cleared": 0}  # not yet old
    assert relay_queue.purge_before(db, "2026-12-01") == {"relayed_ops": 2, "ratings_cleared": 1}
    assert db.execute("SELECT contact_phone, comment, level FROM ratings").fetchall() == [(None, None, 1)]


def test_housekeeping_purges_relay_db_and_queue_past_retention(tmp_path, db):
    from types import SimpleNamespace

    from sqlalchemy import text
    from sqlalchemy.orm import sessionmaker

    from sync.server.db import make_engine
    from sync.server.migrations import upgrade

    from kiosk.station.service import housekeeping

    engine = make_engine(f"sqlite:///{tmp_path / 'relay.db'}")
    upgrade(engine)
    with engine.begin() as conn:
        for seq, day in ((1, "2026-10-01"), (2, "2026-11-30")):
            conn.execute(text("INSERT INTO ops (kiosk_id, seq, op_id, status, op_day, received_at) "
                              "VALUES ('K1', :seq, :op, 'applied', :day, 0)"), {"seq": seq, "op": f"o{seq}", "day": day})
    config = SimpleNamespace(kiosk=SimpleNamespace(day_rollover_hour=4), sync=SimpleNamespace(retention_days=30))
    housekeeping(db, lambda: datetime(2026, 12, 3, 10, 0, tzinfo=TZ), config, sessionmaker(engine))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT seq FROM ops")).fetchall() == [(2,)]
    engine.dispose()


def test_the_call_ratio_is_the_stations_own_else_the_districts_published_one_else_1_to_2(db):
    from kiosk.domain.calling import CallRatio
    from kiosk.store.station_settings import call_ratio

    assert call_ratio(db) == CallRatio(1, 2)
    db.execute("INSERT INTO settings (key, value) VALUES ('config:call_ratio', ?)",
               (json.dumps({"key": "call_ratio", "value": "1:3"}),))
    assert call_ratio(db) == CallRatio(1, 3)  # published at the district, synced down
    db.execute("INSERT INTO settings (key, value) VALUES ('call_ratio', '\"2:3\"')")
    assert call_ratio(db) == CallRatio(2, 3)  # set at the station itself
    db.execute("UPDATE settings SET value = '\"not a ratio\"' WHERE key = 'call_ratio'")
    db.execute("UPDATE settings SET value = ? WHERE key = 'config:call_ratio'", (json.dumps({"value": 5}),))
    assert call_ratio(db) == CallRatio(1, 2)  # neither parses: the default, never an error
