"""What each stored rating carries for a provincial 好差评 system (sync.server.figures.record):
stamped by the upload path, and filled in for ratings stored before migration 0007."""

from __future__ import annotations

import json
from datetime import datetime

from alembic import command
from sqlalchemy import text

from district_console import catalogue, sql
from district_kiosk_client import make_op, served_rating
from sync.server.db import make_engine
from sync.server.migrations import alembic_config, upgrade

COLUMNS = "rated_ts, region_code, indicator_version, with_contact, channel, station_id, service_code, counter_id"


def push(kiosk, **changes):
    ticket, rating = served_rating(**changes)
    response = kiosk.push([make_op(kiosk.take_seq(), "ticket", ticket), make_op(kiosk.take_seq(), "rating", rating)])
    assert [r["status"] for r in response.json()["results"]] == ["applied", "applied"], response.text
    return rating


def stored(db_url, rating_id):
    return sql(db_url, f"SELECT {COLUMNS} FROM ratings WHERE rating_id = :r", r=rating_id)[0]


def test_a_stored_rating_carries_region_indicator_version_and_time(kiosk, db_url):
    catalogue(db_url, {"district": {"code": "610113", "name": "西安市雁塔区"},
                       "stations": [{"id": "yt-xiaozhai", "name": "小寨路街道便民服务中心"}]})
    rating = push(kiosk, level=1, reasons=["attitude"], contact_phone="13800000001", service_code="SB-KSL",
                  rated_at="2026-11-20T10:00:00+08:00")
    rated_ts, region, version, contact, channel, station, service, counter = stored(db_url, rating["rating_id"])
    assert rated_ts == datetime.fromisoformat("2026-11-20T10:00:00+08:00").timestamp()
    assert (region, version, bool(contact)) == ("610113", "GB/T 39735-2020", True)
    assert (channel, station, service, counter) == ("kiosk", "yt-xiaozhai", "SB-KSL", None)
    good = push(kiosk, level=5, rated_at="2026-11-20T02:00:00+00:00")
    assert stored(db_url, good["rating_id"])[:4] == (
        datetime.fromisoformat("2026-11-20T10:00:00+08:00").timestamp(), "610113", "GB/T 39735-2020", False)


def test_the_station_region_and_the_configured_version_win(kiosk, db_url):
    catalogue(db_url, {"district": {"code": "610113", "name": "西安市雁塔区"},
                       "stations": [{"id": "yt-xiaozhai", "name": "小寨", "region_code": "610113002000"}],
                       "config": {"rating_indicator_version": "SN-2026.1"}})
    rating = push(kiosk, level=4)
    assert stored(db_url, rating["rating_id"])[1:3] == ("610113002000", "SN-2026.1")
    row = sql(db_url, "SELECT data FROM ratings WHERE rating_id = :r", r=rating["rating_id"])[0][0]
    data = json.loads(row) if isinstance(row, str) else row
    assert not any(key in data for key in ("id_number", "id_digest", "id_masked"))  # no ID number anywhere


def test_migration_0006_fills_in_the_ratings_stored_before(db_url):
    engine = make_engine(db_url)
    try:
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO catalogue_items (entity, item_id, data, cursor) VALUES "
                "('config', 'district', :d, 1), ('station', 'yt-b', :s, 2)"),
                {"d": json.dumps({"key": "district", "value": {"code": "610113"}}),
                 "s": json.dumps({"id": "yt-b", "region_code": "610113005000"})})
            for rating_id, station, phone, at in (("r1", "yt-a", "13800000001", "2026-11-01T00:00:00+08:00"),
                                                  ("r2", "yt-b", None, "2026-10-31T17:30:00+00:00")):
                connection.execute(text(
                    "INSERT INTO ratings (rating_id, ticket_id, kiosk_id, seq, station_id, service_code, level, "
                    "contact_phone, rated_at, data, channel) VALUES (:r, NULL, 'K', 1, :s, 'SB-KSL', 1, :p, :a, "
                    "'{}', 'kiosk')"), {"r": rating_id, "s": station, "p": phone, "a": at})
        upgrade(engine)
    finally:
        engine.dispose()
    rows = {r[0]: r[1:] for r in sql(db_url, "SELECT rating_id, rated_ts, region_code, indicator_version, with_contact "
                                             "FROM ratings ORDER BY rating_id")}
    assert rows["r1"][0] == datetime.fromisoformat("2026-11-01T00:00:00+08:00").timestamp()
    assert rows["r1"][1:3] == ("610113", "GB/T 39735-2020") and bool(rows["r1"][3])
    assert rows["r2"][1] == "610113005000" and not rows["r2"][3]
