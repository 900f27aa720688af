"""Every rating belongs to a served ticket, by its holder: the kiosk asks its station before it
shows the five levels and hears why not in words; a rating op that breaks the rule is refused by
the station (the kiosk keeps it as a dead letter) and by the district, whoever sends it."""

from __future__ import annotations

import time

import pytest

from station_harness import kiosk, write_config
from station_traffic import district_rows

WORDS_NOT_SERVED = "这张号票还没有办结，办结后才能评价"


def _transport(site, kiosk_id):
    from sync.client.transport import Transport

    from kiosk.store.sync_store import SqliteSyncStore

    store = SqliteSyncStore.open(site.root / kiosk_id / "kiosk.sqlite3")
    try:
        enrolment = store.load_enrolment()
    finally:
        store.close()
    return Transport(enrolment.server_url, enrolment.kiosk_id, enrolment.secret)


def _holder_code(site, kiosk_id, ticket_id) -> str:
    from kiosk.store.engine import connect

    db = connect(site.root / kiosk_id / "kiosk.sqlite3")
    try:
        return db.execute("SELECT holder_code FROM tickets WHERE ticket_id = ?", (ticket_id,)).fetchone()[0]
    finally:
        db.close()


def _rating_op(site, kiosk_id, ticket, code, *, level=5, rating_id=None):
    """A rating op in the kiosk's outbox, as a kiosk (or one tampered with) would queue it."""
    from kiosk.domain.ids import uuid7
    from kiosk.store.engine import connect
    from kiosk.store.outbox import enqueue
    from kiosk.store.transaction import write_transaction

    rating_id = rating_id or uuid7()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(time.time() + 8 * 3600))
    payload = {"rating_id": rating_id, "station_id": "yt-xiaozhai", "ticket_id": ticket["ticket_id"],
               "service_code": ticket["service_code"], "level": level, "reasons": ["attitude"] if level <= 2 else [], "comment": None,
               "contact_phone": None, "channel": "kiosk", "rated_at": stamp, "holder": {"by": "code", "code": code}}
    db = connect(site.root / kiosk_id / "kiosk.sqlite3")
    try:
        with write_transaction(db):
            return enqueue(db, entity="rating", entity_id=rating_id, payload=payload, created_at=stamp)
    finally:
        db.close()


def _sync(config):
    return kiosk(config, "sync", "--now", check=False)


def _dead_letters(site, kiosk_id) -> list[tuple]:
    from kiosk.store.engine import connect

    db = connect(site.root / kiosk_id / "kiosk.sqlite3")
    try:
        return db.execute("SELECT seq, reject_code FROM outbox WHERE state = 'rejected' ORDER BY seq").fetchall()
    finally:
        db.close()


def test_ratings_only_for_served_tickets_by_their_holder(site, tmp_path):
    from station_traffic import counter_session

    k1 = site.add_kiosk("K1", 1, 299)
    k2 = site.add_kiosk("K2", 301, 599)
    site.add_counters(("w1", "一号窗口", "1111"))
    ticket = __import__("station_harness").issue(k1)[0]
    assert _sync(k1).returncode == 0
    code = _holder_code(site, "K1", ticket["ticket_id"])
    check = {"number": ticket["number"], "business_date": ticket["business_date"]}
    k2_link = _transport(site, "K2")
    try:
        # still waiting: refused, in words, from any kiosk of the station
        answer = k2_link.post("/v1/kiosks/K2/rating-check", check | {"holder": {"by": "code", "code": code}})
        assert answer == {"ok": False, "code": "not_served", "detail": answer["detail"], "words": WORDS_NOT_SERVED}
        counter = counter_session(site.station.url, "w1", "1111")
        try:
            assert counter.post("/api/call-next").json()["ticket"]["number"] == ticket["number"]
            counter.post("/api/serving").raise_for_status()
            counter.post("/api/done").raise_for_status()
        finally:
            counter.close()
        forged = "000000" if code != "000000" else "111111"
        answer = k2_link.post("/v1/kiosks/K2/rating-check", check | {"holder": {"by": "code", "code": forged}})
        assert (answer["ok"], answer["code"]) == (False, "not_holder") and "评价码" in answer["words"]
        answer = k2_link.post("/v1/kiosks/K2/rating-check", check | {"holder": {"by": "code", "code": code}})
        assert answer == {"ok": True, "ticket_id": ticket["ticket_id"], "number": ticket["number"],
                          "business_date": ticket["business_date"]}
        for _ in range(4):  # five wrong codes in all: the number is not checked for a while, right code or not
            assert k2_link.post("/v1/kiosks/K2/rating-check",
                                check | {"holder": {"by": "code", "code": forged}})["code"] == "not_holder"
        paused = k2_link.post("/v1/kiosks/K2/rating-check", check | {"holder": {"by": "code", "code": code}})
        assert paused["code"] == "too_many_tries" and "15分钟" in paused["words"]
        unknown = k2_link.post("/v1/kiosks/K2/rating-check",
                               {**check, "number": "Z999", "holder": {"by": "code", "code": code}})
        assert unknown["code"] == "no_ticket"
        from sync.client.transport import Refused

        with pytest.raises(Refused) as bad:  # a body that is not the documented shape: 422, never a 500
            k2_link.post("/v1/kiosks/K2/rating-check", {"number": 17, "holder": "x"})
        assert bad.value.status == 422
    finally:
        k2_link.close()

    # a forged code from K2 is refused by the station and kept by the kiosk as a dead letter
    forged_seq = _rating_op(site, "K2", ticket, forged)
    assert _sync(k2).returncode == 8
    assert _dead_letters(site, "K2") == [(forged_seq, "not_holder")]
    # the holder rates once (from any kiosk of the station), and the district gets it
    _rating_op(site, "K2", ticket, code)
    assert _sync(k2).returncode == 0
    second = _rating_op(site, "K1", ticket, code, level=1)
    assert _sync(k1).returncode == 8
    assert _dead_letters(site, "K1") == [(second, "already_rated")]
    site.wait_drained()
    assert district_rows(site.district, "SELECT kiosk_id, level, channel FROM ratings") == [("K2", 5, "kiosk")]
    relayed = district_rows(site.district, "SELECT count(*) FROM ops WHERE entity = 'rating'")[0][0]
    assert relayed == 1  # refused ratings never went up

    # a kiosk of another station, syncing with the district directly, cannot rate this ticket: the
    # district refuses it with its code, and a forged code likewise
    other = write_config(tmp_path / "other.toml", kiosk_id="BANK-01", data_dir=tmp_path / "BANK-01",
                         server=site.district.url)
    kiosk(other, "setup", "--server", site.district.url, "--token", site.district.token("BANK-01", "yt-other"),
          "--kiosk-id", "BANK-01")
    _rating_op(site, "BANK-01", ticket, code, level=2)
    assert _sync(other).returncode == 8
    assert [c for _s, c in _dead_letters(site, "BANK-01")] == ["wrong_station"]
    assert district_rows(site.district, "SELECT code FROM ops WHERE kiosk_id = 'BANK-01'") == [("wrong_station",)]
