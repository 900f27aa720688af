"""A kiosk's own ops, as `kiosk store recover` reads them back (docs/sync-protocol.md, "Recovery")."""

from district_kiosk_client import enrol, event_payload, make_op, served_rating, ticket_payload

HISTORY = "/v1/kiosks/YT-XZ-01/ops"


def test_the_kiosk_reads_back_its_ops_in_seq_order_with_how_they_were_settled(kiosk):
    ticket, rating = served_rating(level=9)  # of a served ticket: refused only for its level
    ops = [make_op(1, "ticket", ticket), make_op(2, "rating", rating), make_op(3, "event", event_payload())]
    kiosk.push(ops)
    answer = kiosk.request("GET", HISTORY + "?since=0")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [op["seq"] for op in body["ops"]] == [1, 2, 3]
    assert [op["op_id"] for op in body["ops"]] == [op["op_id"] for op in ops]
    assert [op["status"] for op in body["ops"]] == ["applied", "rejected", "applied"]
    assert body["ops"][1]["code"] == "invalid_payload"
    assert body["ops"][0]["payload"] == ops[0]["payload"]
    assert body["high_water"] == 3 and body["last_seq"] == 3 and body["has_more"] is False


def test_pages_follow_next(kiosk):
    kiosk.push([make_op(seq, "ticket", ticket_payload()) for seq in range(1, 6)])
    first = kiosk.request("GET", HISTORY + "?since=0&limit=2").json()
    assert [op["seq"] for op in first["ops"]] == [1, 2] and first["has_more"] and first["next"] == 2
    rest = kiosk.request("GET", f"{HISTORY}?since={first['next']}&limit=1000").json()
    assert [op["seq"] for op in rest["ops"]] == [3, 4, 5] and not rest["has_more"]


def test_a_kiosk_reads_only_its_own_ops(kiosk, server, db_url):
    kiosk.push([make_op(1, "ticket", ticket_payload())])
    other = enrol(server, db_url, kiosk_id="YT-XZ-02")
    assert other.request("GET", HISTORY).status_code == 403
    assert other.request("GET", "/v1/kiosks/YT-XZ-02/ops").json()["ops"] == []


def test_bad_queries_get_the_error_body(kiosk, server):
    for query in ("?since=-1", "?since=x", "?limit=0", "?since=99999999999999999999"):
        answer = kiosk.request("GET", HISTORY + query)
        assert answer.status_code == 422 and set(answer.json()) == {"error", "detail"}, query
    assert server.get(HISTORY).status_code == 401
