"""Nightly reconciliation digest computed from the page's rule, independently of the server."""

import hashlib

from district_kiosk_client import event_payload, make_op, served_rating, ticket_payload

RECONCILE = "/v1/kiosks/YT-XZ-01/reconcile"


def page_digest(op_ids):
    return hashlib.sha256("\n".join(sorted(op_ids, key=lambda s: s.encode("utf-8"))).encode("utf-8")).hexdigest()


def test_digest_matches_page_rule_and_mismatches_are_reported(kiosk):
    served, rating = served_rating(level=9)  # of a served ticket: refused only for its level
    day1 = [make_op(1, "ticket", served, created_at="2026-11-21T23:30:00-05:00"),
            make_op(2, "event", event_payload(), created_at="2026-11-21T08:00:00+08:00")]
    rejected = make_op(3, "rating", rating, created_at="2026-11-21T09:00:00+08:00")
    day2 = [make_op(4, "ticket", ticket_payload(), created_at="2026-11-22T00:10:00+08:00")]
    response = kiosk.push(day1 + [rejected] + day2)
    assert [r["status"] for r in response.json()["results"]] == ["applied", "applied", "rejected", "applied"]
    assert response.json()["results"][2]["code"] == "invalid_payload"
    days = [
        {"date": "2026-11-21", "count": 2, "digest": page_digest([op["op_id"] for op in day1])},
        {"date": "2026-11-22", "count": 1, "digest": page_digest([day2[0]["op_id"]])},
        {"date": "2026-11-20", "count": 0, "digest": hashlib.sha256(b"").hexdigest()},
    ]
    ok = kiosk.request("POST", RECONCILE, json_body={"days": days})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"mismatched": []}
    days[0]["count"] = 3
    days[1]["digest"] = page_digest([day2[0]["op_id"], rejected["op_id"]])
    days[2] = {"date": "2026-11-20", "count": 1, "digest": page_digest(["0190a1b2-0000-7000-8000-000000000000"])}
    bad = kiosk.request("POST", RECONCILE, json_body={"days": days}).json()
    assert bad == {"mismatched": ["2026-11-20", "2026-11-21", "2026-11-22"]}


def test_missing_ops_make_a_day_mismatch_until_resent(kiosk):
    ops = [make_op(seq, "ticket", ticket_payload()) for seq in (1, 2)]
    kiosk.push(ops[:1])
    day = {"date": "2026-11-21", "count": 2, "digest": page_digest([op["op_id"] for op in ops])}
    assert kiosk.request("POST", RECONCILE, json_body={"days": [day]}).json() == {"mismatched": ["2026-11-21"]}
    kiosk.push(ops)
    assert kiosk.request("POST", RECONCILE, json_body={"days": [day]}).json() == {"mismatched": []}


def test_reconcile_bad_bodies(kiosk):
    assert kiosk.request("POST", RECONCILE, json_body={"days": "x"}).status_code == 422
    assert kiosk.request("POST", RECONCILE, json_body={"days": [{"date": "21/11", "count": 1,
                                                                 "digest": "x"}]}).status_code == 422
    assert kiosk.request("POST", RECONCILE, body=b"{").status_code == 400
    assert kiosk.request("POST", RECONCILE, json_body={"days": []}, content_type="text/plain").status_code == 415
