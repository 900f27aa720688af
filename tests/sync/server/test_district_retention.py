"""The retention purge: phone numbers and comments cleared the period after 办结, everywhere the
district keeps them (the rating, its stored op, what the caller noted); ratings kept without them."""

import json
import subprocess
import sys
import time

from district_console import add_staff, catalogue, order_of, poor_ratings, sql, staff, STAFF
from district_kiosk_client import make_op, served_rating
from sync.server.cli import main

DAY = 86400
PHONE, COMMENT = "13700001111", "排队太久"


def as_json(value):
    return json.loads(value) if isinstance(value, str) else value


def personal_texts(db_url):
    """Every place a phone number or comment could stay."""
    rows = sql(db_url, "SELECT contact_phone, data FROM ratings")
    ops = sql(db_url, "SELECT payload FROM ops WHERE entity = 'rating'")
    orders = sql(db_url, "SELECT facts FROM work_orders")
    steps = sql(db_url, "SELECT data FROM work_order_steps")
    rows = [(phone, as_json(data)) for phone, data in rows]
    return json.dumps([rows, [as_json(o[0]) for o in ops], [as_json(o[0]) for o in orders],
                       [as_json(s[0]) for s in steps]], ensure_ascii=False, default=str)


def close(db_url, order, closed_at, said="说了自己的地址：雁塔路1号"):
    sql(db_url, "UPDATE work_orders SET state = 'closed', closed_at = :t, "
                "facts = :f WHERE order_id = :o", t=closed_at, o=order,
        f=json.dumps({"call_back": {"outcome": "reached", "resident_said": said}}, ensure_ascii=False))
    sql(db_url, "INSERT INTO work_order_steps (order_id, action, from_state, to_state, actor, role, at, data) "
                "VALUES (:o, 'call_back', 'verifying', 'called_back', 'caller', 'caller', :t, :d)",
        o=order, t=closed_at, d=json.dumps({"outcome": "reached", "resident_said": said}, ensure_ascii=False))


def test_purge_clears_closed_orders_past_the_period_and_keeps_the_rest(server, db_url, kiosk):
    old, recent, still_open = poor_ratings(kiosk, 3, phone=PHONE, comment=COMMENT)
    now = time.time()
    close(db_url, order_of(db_url, old["rating_id"]), now - 181 * DAY)
    close(db_url, order_of(db_url, recent["rating_id"]), now - 179 * DAY, said="最近的回访")
    assert main(["purge", "--db", db_url]) == 0
    by_id = {r[0]: r[1:] for r in sql(db_url, "SELECT rating_id, contact_phone, level, data FROM ratings")}
    assert by_id[old["rating_id"]][0] is None and by_id[old["rating_id"]][1] == 1
    old_data = as_json(by_id[old["rating_id"]][2])
    assert old_data["comment"] is None and old_data["contact_phone"] is None and old_data["reasons"] == ["attitude"]
    assert by_id[recent["rating_id"]][0] == PHONE and by_id[still_open["rating_id"]][0] == PHONE
    payloads = {as_json(p)["rating_id"]: as_json(p) for (p,) in sql(db_url, "SELECT payload FROM ops WHERE entity = 'rating'")}
    assert payloads[old["rating_id"]]["contact_phone"] is None and payloads[old["rating_id"]]["comment"] is None
    assert payloads[recent["rating_id"]]["comment"] == COMMENT
    text = personal_texts(db_url)
    assert "雁塔路" not in text and "最近的回访" in text
    # two ratings keep theirs: the phone in the row's column, its data and its op; the comment in the last two
    assert text.count(PHONE) == 6 and text.count(COMMENT) == 4
    purged = sql(db_url, "SELECT rating_id FROM work_orders WHERE purged_at IS NOT NULL")
    assert purged == [(old["rating_id"],)]
    assert main(["purge", "--db", db_url, "--days", "0"]) == 0  # the recent one too, now; the open one never
    assert personal_texts(db_url).count(PHONE) == 3


def test_the_period_is_a_config_item(server, db_url, kiosk):
    [rating] = poor_ratings(kiosk, phone=PHONE, comment=COMMENT)
    close(db_url, order_of(db_url, rating["rating_id"]), time.time() - 31 * DAY)
    assert main(["purge", "--db", db_url]) == 0
    assert personal_texts(db_url).count(PHONE) == 3
    catalogue(db_url, {"config": {"personal_data_retention_days": 30}})
    assert main(["purge", "--db", db_url]) == 0
    assert PHONE not in personal_texts(db_url) and COMMENT not in personal_texts(db_url)


def test_comments_of_good_ratings_and_refused_ratings_go_after_the_period(server, db_url, kiosk, clock):
    ticket, good = served_rating(level=5, comment="很满意")
    refused = served_rating(level=1, reasons=["other"], contact_phone=PHONE, comment=COMMENT)[1]  # no ticket
    results = kiosk.push([make_op(1, "ticket", ticket), make_op(2, "rating", good), make_op(3, "rating", refused)])
    assert [r["status"] for r in results.json()["results"]] == ["applied", "applied", "rejected"]
    assert main(["purge", "--db", db_url]) == 0
    assert "很满意" in personal_texts(db_url)
    sql(db_url, "UPDATE ops SET received_at = received_at - :d", d=181 * DAY)
    assert main(["purge", "--db", db_url]) == 0
    text = personal_texts(db_url)
    assert "很满意" not in text and PHONE not in text and COMMENT not in text
    assert sql(db_url, "SELECT level FROM ratings") == [(5,)]


def test_after_the_purge_the_caller_sees_that_it_is_gone(server, db_url, kiosk):
    add_staff(db_url, *STAFF)
    [rating] = poor_ratings(kiosk, phone=PHONE, comment=COMMENT)
    order = order_of(db_url, rating["rating_id"])
    close(db_url, order, time.time() - 200 * DAY)
    assert main(["purge", "--db", db_url]) == 0
    contact = staff(server, "caller").get(f"/console/api/work-orders/{order}/contact").json()
    assert contact["contact_phone"] is None and contact["comment"] is None and contact["personal_data_purged"]


def test_purge_command_in_a_process(db_url, tmp_path):
    done = subprocess.run([sys.executable, "-m", "sync.server.cli", "purge", "--db", db_url],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "purged personal data: 0 work_orders" in done.stderr
