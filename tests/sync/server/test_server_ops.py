"""Upload semantics: dedup, retries, conflicts, per-op rejection, high_water, ticket state."""

import json

import pytest
from sqlalchemy import create_engine, text

from district_kiosk_client import (HOLDER_CODE, event_payload, make_op, new_id, rating_payload, served_rating,
                                   ticket_payload)

OPS = "/v1/kiosks/YT-XZ-01/ops"


def rows(db_url, sql, **params):
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()
    finally:
        engine.dispose()


def statuses(response):
    assert response.status_code == 200, response.text
    return [(r["seq"], r["status"], r.get("code")) for r in response.json()["results"]]


def test_applied_then_duplicate_changes_nothing(kiosk, db_url):
    ops = [make_op(1, "ticket", ticket_payload()), make_op(2, "event", event_payload())]
    assert statuses(kiosk.push(ops)) == [(1, "applied", None), (2, "applied", None)]
    again = kiosk.push(ops)
    assert statuses(again) == [(1, "duplicate", None), (2, "duplicate", None)]
    assert again.json()["high_water"] == 2
    assert rows(db_url, "SELECT count(*) FROM ops")[0][0] == 2


def test_retried_batch_gets_the_stored_response(kiosk):
    batch_id = new_id()
    ops = [make_op(1, "ticket", ticket_payload())]
    first = kiosk.push(ops, batch_id=batch_id)
    kiosk.push([make_op(2, "ticket", ticket_payload())])
    retry = kiosk.push(ops, batch_id=batch_id)
    assert retry.status_code == 200
    assert retry.json() == first.json() == {"results": [{"seq": 1, "status": "applied"}], "high_water": 1}
    compressed = kiosk.push(ops, batch_id=batch_id, compress=True)
    assert compressed.json() == first.json()


def test_same_batch_id_with_another_body_is_422(kiosk):
    batch_id = new_id()
    assert kiosk.push([make_op(1, "ticket", ticket_payload())], batch_id=batch_id).status_code == 200
    response = kiosk.push([make_op(2, "ticket", ticket_payload())], batch_id=batch_id)
    assert response.status_code == 422 and response.json()["error"]
    assert kiosk.push([]).json()["high_water"] == 1


def test_seq_conflict_and_op_id_conflict(kiosk, db_url):
    first = make_op(1, "ticket", ticket_payload())
    assert statuses(kiosk.push([first])) == [(1, "applied", None)]
    conflicting_seq = make_op(1, "ticket", ticket_payload())
    reused_op_id = make_op(2, "ticket", ticket_payload(), op_id=first["op_id"])
    assert statuses(kiosk.push([conflicting_seq, reused_op_id])) == [
        (1, "rejected", "seq_conflict"), (2, "rejected", "op_id_conflict")]
    fresh = make_op(3, "ticket", ticket_payload())
    same_in_batch = make_op(4, "ticket", ticket_payload(), op_id=fresh["op_id"])
    assert statuses(kiosk.push([fresh, same_in_batch])) == [(3, "applied", None), (4, "rejected", "op_id_conflict")]
    assert rows(db_url, "SELECT op_id FROM ops WHERE seq = 1")[0][0] == first["op_id"]
    assert kiosk.push([]).json()["high_water"] == 4


def test_already_rated(kiosk):
    ticket, rating = served_rating()
    same_batch_second = served_rating(ticket_id=ticket["ticket_id"])[1]
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", rating),
                                make_op(3, "rating", same_batch_second)])) == [
        (1, "applied", None), (2, "applied", None), (3, "rejected", "already_rated")]
    other_rating = served_rating(ticket_id=ticket["ticket_id"])[1]
    same_rating_new_op = dict(rating)
    # the same rating_id naming another served, unrated ticket: a rating is recorded once, whatever it names
    other_ticket, _ = served_rating()
    same_rating_id_other_ticket = dict(rating, ticket_id=other_ticket["ticket_id"])
    other_ticket_rating = served_rating(ticket_id=other_ticket["ticket_id"])[1]
    no_ticket = rating_payload(ticket_id=None, holder={"by": "code", "code": HOLDER_CODE})
    assert statuses(kiosk.push([make_op(4, "rating", other_rating), make_op(5, "rating", same_rating_new_op),
                                make_op(6, "ticket", other_ticket),
                                make_op(7, "rating", same_rating_id_other_ticket),
                                make_op(8, "rating", other_ticket_rating),
                                make_op(9, "rating", no_ticket), make_op(10, "rating", dict(no_ticket))])) == [
        (4, "rejected", "already_rated"), (5, "rejected", "already_rated"), (6, "applied", None),
        (7, "rejected", "already_rated"), (8, "applied", None),
        (9, "rejected", "no_ticket"), (10, "rejected", "no_ticket")]


def test_one_invalid_op_among_many_is_rejected_and_the_rest_apply(kiosk, db_url):
    ops = [make_op(seq, "ticket", ticket_payload()) for seq in range(1, 6)]
    ops[2]["payload"]["priority"] = "vip"
    response = kiosk.push(ops)
    result = statuses(response)
    assert result[2] == (3, "rejected", "invalid_payload")
    assert [s for _, s, _ in result] == ["applied", "applied", "rejected", "applied", "applied"]
    assert response.json()["results"][2]["detail"]
    assert response.json()["high_water"] == 5
    assert rows(db_url, "SELECT count(*) FROM tickets")[0][0] == 4
    retry = kiosk.push([ops[2]])
    assert statuses(retry) == [(3, "rejected", "invalid_payload")]


def test_high_water_waits_for_gaps(kiosk):
    tickets = {seq: make_op(seq, "ticket", ticket_payload()) for seq in range(1, 6)}
    assert kiosk.push([tickets[1], tickets[2], tickets[4]]).json()["high_water"] == 2
    assert kiosk.push([tickets[5]]).json()["high_water"] == 2
    assert kiosk.push([tickets[3]]).json()["high_water"] == 5


def test_ticket_state_comes_from_highest_seq_and_history_is_kept(kiosk, db_url):
    ticket_id = new_id()
    done = make_op(3, "ticket", ticket_payload(ticket_id, status="done", updated_at="2026-11-21T09:00:00+08:00"))
    called = make_op(2, "ticket", ticket_payload(ticket_id, status="called",
                                                 updated_at="2026-11-21T11:00:00+08:00"))
    waiting = make_op(1, "ticket", ticket_payload(ticket_id, status="waiting"))
    assert statuses(kiosk.push([done])) == [(3, "applied", None)]
    assert statuses(kiosk.push([waiting, called])) == [(1, "applied", None), (2, "applied", None)]
    assert rows(db_url, "SELECT status, seq FROM tickets WHERE ticket_id = :t", t=ticket_id) == [("done", 3)]
    history = rows(db_url, "SELECT seq FROM ops WHERE entity_id = :t ORDER BY seq", t=ticket_id)
    assert [seq for (seq,) in history] == [1, 2, 3]
    serving = make_op(4, "ticket", ticket_payload(ticket_id, status="serving"))
    kiosk.push([serving])
    assert rows(db_url, "SELECT status FROM tickets WHERE ticket_id = :t", t=ticket_id) == [("serving",)]


INVALID = [
    ("rating", served_rating, {"level": 0}),
    ("rating", served_rating, {"level": 6}),
    ("rating", served_rating, {"level": "5"}),
    ("rating", served_rating, {"level": True}),
    ("rating", served_rating, {"level": 2, "reasons": []}),
    ("rating", served_rating, {"level": 1, "reasons": ["rude"]}),
    ("rating", served_rating, {"comment": "x" * 201}),
    ("rating", served_rating, {"channel": "web"}),
    ("rating", served_rating, {"rated_at": "2026-11-21T10:00:00"}),
    ("rating", served_rating, {"reasons": "attitude", "level": 1}),
    ("rating", served_rating, {"holder": {"by": "code", "code": "24681"}}),
    ("rating", served_rating, {"holder": {"by": "code", "code": "246810", "id_digest": "x"}}),
    ("rating", served_rating, {"holder": {"by": "face", "code": "246810"}}),
    ("rating", served_rating, {"holder": "246810"}),
    ("rating", served_rating, {"counter_id": ""}),
    ("ticket", ticket_payload, {"priority": "vip"}),
    ("ticket", ticket_payload, {"status": "lost"}),
    ("ticket", ticket_payload, {"business_date": "2026-13-01"}),
    ("ticket", ticket_payload, {"issued_at": "yesterday"}),
    ("ticket", ticket_payload, {"assistance": "yes"}),
    ("ticket", ticket_payload, {"id_masked": "610113199001011234"}),
    ("ticket", ticket_payload, {"number": 17}),
    ("ticket", ticket_payload, {"holder_code": "24681"}),
    ("ticket", ticket_payload, {"holder_code": 246810}),
    ("ticket", ticket_payload, {"holder_code": "２４６８１０"}),
    ("ticket", ticket_payload, {"kiosk_id": ""}),
    ("event", event_payload, {"detail": "jammed"}),
    ("event", event_payload, {"at": None}),
]


def valid_ops(builder):
    """(ops to push first, a payload that applies after them): a rating is of a ticket served first."""
    if builder is served_rating:
        ticket, rating = served_rating()
        return [make_op(1, "ticket", ticket)], rating
    return [], builder()


@pytest.mark.parametrize("entity, builder", sorted({(entity, builder) for entity, builder, _ in INVALID},
                                                   key=lambda pair: pair[0]))
def test_the_payloads_the_invalid_cases_change_apply_unchanged(kiosk, entity, builder):
    before, payload = valid_ops(builder)
    response = kiosk.push(before + [make_op(len(before) + 1, entity, payload)])
    assert {r["status"] for r in response.json()["results"]} == {"applied"}, response.text


@pytest.mark.parametrize("entity, builder, changes", INVALID)
def test_invalid_payloads_are_rejected_with_detail(kiosk, entity, builder, changes):
    before, payload = valid_ops(builder)
    payload.update(changes)
    seq = len(before) + 1
    response = kiosk.push(before + [make_op(seq, entity, payload), make_op(seq + 1, "event", event_payload())])
    result = response.json()["results"][len(before):]
    assert result[0]["status"] == "rejected" and result[0]["code"] == "invalid_payload", result
    assert result[0]["detail"]
    assert result[1]["status"] == "applied"


@pytest.mark.parametrize("changes", [
    {"entity_id": "not-the-payload-id"}, {"op_id": "ABCDEF00-0000-0000-0000-000000000000"},
    {"kind": "delete"}, {"created_at": "2026-11-21"}, {"payload": ["x"]}, {"entity": None},
])
def test_invalid_op_fields_are_invalid_payload(kiosk, changes):
    op = make_op(1, "ticket", ticket_payload())
    op.update(changes)
    result = kiosk.push([op]).json()["results"][0]
    assert (result["status"], result["code"]) == ("rejected", "invalid_payload")


def test_unknown_entity(kiosk):
    op = make_op(1, "vehicle", {"id": new_id()})
    result = kiosk.push([op]).json()
    assert result["results"][0]["code"] == "unknown_entity"
    assert result["high_water"] == 1


def test_valid_rating_with_default_reasons_and_phone(kiosk, db_url):
    ticket, payload = served_rating(level=1, reasons=["attitude", "wait_too_long"], contact_phone="13800000000",
                                    comment="等候时间太长")
    assert statuses(kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", payload)])) == [
        (1, "applied", None), (2, "applied", None)]
    assert rows(db_url, "SELECT level, contact_phone, ticket_id, channel FROM ratings") == [
        (1, "13800000000", ticket["ticket_id"], "kiosk")]


def test_reason_codes_come_from_district_config(kiosk, db_url, tmp_path):
    from sync.server.cli import main

    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps({"config": {"rating_reasons": [{"code": "queue", "label": "排队"}]}}))
    assert main(["import-catalogue", "--db", db_url, str(catalogue)]) == 0
    district_ticket, district = served_rating(level=2, reasons=["queue"])
    default_ticket, default = served_rating(level=2, reasons=["attitude"])
    assert statuses(kiosk.push([make_op(1, "ticket", district_ticket), make_op(2, "ticket", default_ticket),
                                make_op(3, "rating", district), make_op(4, "rating", default)])) == [
        (1, "applied", None), (2, "applied", None), (3, "applied", None), (4, "rejected", "invalid_payload")]


def test_ticket_of_another_kiosk_is_rejected(server, db_url, clock, kiosk):
    from district_kiosk_client import enrol

    ticket_id = new_id()
    assert statuses(kiosk.push([make_op(1, "ticket", ticket_payload(ticket_id))])) == [(1, "applied", None)]
    other = enrol(server, db_url, kiosk_id="YT-XZ-02", clock=clock)
    result = other.push([make_op(1, "ticket", ticket_payload(ticket_id, status="done"))]).json()["results"][0]
    assert result["code"] == "invalid_payload"
    assert rows(db_url, "SELECT status FROM tickets") == [("waiting",)]


def test_ops_on_another_kiosks_entities_are_rejected_in_a_mixed_batch(server, db_url, clock, kiosk):
    """Ownership is learnt from the entity upsert: only the ops on the other kiosk's rows are
    rejected (and stored as rejected, outside the reconcile digest), the rest of the batch applies."""
    from district_kiosk_client import enrol

    theirs_ticket, theirs_event, mine_ticket = new_id(), new_id(), new_id()
    assert statuses(kiosk.push([make_op(1, "ticket", ticket_payload(theirs_ticket)),
                                make_op(2, "event", event_payload(theirs_event))])) == [
        (1, "applied", None), (2, "applied", None)]
    other = enrol(server, db_url, kiosk_id="YT-XZ-02", clock=clock)
    batch = [make_op(1, "ticket", ticket_payload(mine_ticket)),
             make_op(2, "ticket", ticket_payload(theirs_ticket, status="done")),
             make_op(3, "event", event_payload(theirs_event, type="paper_out")),
             make_op(4, "ticket", ticket_payload(mine_ticket, status="called")),
             make_op(5, "ticket", ticket_payload(theirs_ticket, status="cancelled"))]
    response = other.push(batch)
    assert statuses(response) == [(1, "applied", None), (2, "rejected", "invalid_payload"),
                                  (3, "rejected", "invalid_payload"), (4, "applied", None),
                                  (5, "rejected", "invalid_payload")]
    assert response.json()["results"][1]["detail"] == "this ticket was written by another kiosk"
    assert response.json()["high_water"] == 5
    assert rows(db_url, "SELECT kiosk_id, status, seq FROM tickets ORDER BY seq") == [
        ("YT-XZ-01", "waiting", 1), ("YT-XZ-02", "called", 4)]
    assert rows(db_url, "SELECT type FROM events") == [("paper_low",)]
    stored = rows(db_url, "SELECT seq, status, op_day FROM ops WHERE kiosk_id = 'YT-XZ-02' ORDER BY seq")
    assert stored == [(1, "applied", "2026-11-21"), (2, "rejected", None), (3, "rejected", None),
                      (4, "applied", "2026-11-21"), (5, "rejected", None)]
    assert statuses(other.push(batch)) == [(1, "duplicate", None), (2, "rejected", "invalid_payload"),
                                           (3, "rejected", "invalid_payload"), (4, "duplicate", None),
                                           (5, "rejected", "invalid_payload")]


def test_nul_characters_are_rejected_not_5xx(kiosk, server):
    bad_payload = make_op(1, "ticket", ticket_payload(number="A\u0000017"))
    bad_entity = make_op(2, "ticket", ticket_payload())
    bad_entity.update(entity="tick\u0000et", kind="up\u0000sert")
    response = kiosk.push([bad_payload, bad_entity, make_op(3, "event", event_payload())])
    assert statuses(response) == [(1, "rejected", "invalid_payload"), (2, "rejected", "invalid_payload"),
                                  (3, "applied", None)]
    assert kiosk.push([], batch_id="b\u0000").status_code == 422
    enrol = server.post("/v1/enrol", json={"token": "t\u0000", "kiosk_id": "YT-XZ-01", "app_version": "1\u0000"})
    assert enrol.status_code in (401, 422)
