"""The phone page on the district (in-process, SQLite and PostgreSQL): the ticket's public_token,
the stations' queue snapshots, the page and its state, ratings from the phone, and abuse."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import create_engine, text

from district_kiosk_client import make_op
from phone_fixtures import STATION, PhoneSite, token

PAGE_HEADERS = {"cache-control": "no-store, max-age=0", "referrer-policy": "no-referrer",
                "x-robots-tag": "noindex, nofollow", "x-frame-options": "DENY"}


def rows(db_url: str, sql: str, **params):
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params).all()]
    finally:
        engine.dispose()


@pytest.fixture
def site(district_app, phone_db_url, phone_clock):
    return PhoneSite(district_app, phone_db_url, phone_clock)


def form(level: int, reasons=(), phone: str = "") -> dict:
    return {"level": str(level), "reason": list(reasons), "phone": phone}


def test_the_page_shows_the_ticket_and_its_place_in_the_queue(site, district_app):
    first, mine = site.issue("A001"), site.issue("A002")
    assert mine["result"]["status"] == "applied"
    answer = site.snapshot([{"ticket_id": first["ticket_id"], "status": "waiting", "ahead": 0, "estimate_minutes": 0},
                            {"ticket_id": mine["ticket_id"], "status": "waiting", "ahead": 1, "estimate_minutes": 6}])
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"rated_on_phone": []}
    page = district_app.get(f"/t/{mine['public_token']}")
    assert page.status_code == 200
    for name, value in PAGE_HEADERS.items():
        assert page.headers[name] == value
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    html = page.text
    assert "A002" in html and "前面还有 1 人" in html and "预计等候约 6 分钟" in html
    assert "<script>" not in html and "style=" not in html  # nothing inline
    state = district_app.get(f"/t/{mine['public_token']}/state?lang=en").json()
    assert state["status"] == "waiting" and state["ahead"] == 1 and state["lines"]["detail"] == "1 ahead of you"
    assert state["stale"] is False
    # nothing personal: the masked ID and the holder code never reach the page or its state
    for text_ in (html, str(state)):
        assert mine["id_masked"] not in text_ and mine["holder_code"] not in text_ and mine["ticket_id"] not in text_


def test_a_call_shows_the_counter(site, district_app):
    mine = site.issue()
    site.set_status(mine, "called")
    site.snapshot([{"ticket_id": mine["ticket_id"], "status": "called", "counter": "三号窗口"}])
    state = district_app.get(f"/t/{mine['public_token']}/state").json()
    assert state["status"] == "called" and state["lines"]["detail"] == "请到 三号窗口"


def test_a_station_that_has_gone_quiet_is_said_to_be(site, district_app, phone_clock):
    mine = site.issue()
    assert district_app.get(f"/t/{mine['public_token']}/state").json()["lines"]["stale"].startswith("站点还没有报告")
    site.snapshot([{"ticket_id": mine["ticket_id"], "status": "waiting", "ahead": 0, "estimate_minutes": 0}])
    assert district_app.get(f"/t/{mine['public_token']}/state").json()["stale"] is False
    phone_clock.now += 5 * 60
    state = district_app.get(f"/t/{mine['public_token']}/state").json()
    assert state["stale"] is True and state["lines"]["stale"] == "站点已有 5 分钟没有更新，以下信息可能不是最新的"


def test_only_the_station_service_sends_its_queue(site):
    mine = site.issue()
    refused = site.snapshot([{"ticket_id": mine["ticket_id"], "status": "waiting"}], sender=site.kiosk)
    assert refused.status_code == 403
    assert site.snapshot([{"ticket_id": "not-a-uuid", "status": "waiting"}]).status_code == 422
    assert site.snapshot([{"ticket_id": mine["ticket_id"], "status": "done"}]).status_code == 422


def test_an_unknown_token_and_a_malformed_one_get_the_same_404(site, district_app):
    site.issue()
    answers = [district_app.get(f"/t/{t}") for t in (token(), "short", "x" * 300, secrets.token_hex(16))]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1
    assert len({tuple(sorted((k, v) for k, v in a.headers.items() if k != "date")) for a in answers}) == 1
    states = [district_app.get(f"/t/{t}/state") for t in (token(), "short")]
    assert [s.status_code for s in states] == [404, 404] and states[0].text == states[1].text
    assert district_app.post(f"/t/{token()}/rating", data=form(5)).status_code == 404


def test_a_token_is_checked_and_unique(site):
    bad = site.issue("A003", public_token="too-short")
    assert bad["result"]["status"] == "rejected" and bad["result"]["code"] == "invalid_payload"
    taken = site.issue("A004")
    again = site.issue("A005", public_token=taken["public_token"])
    assert again["result"] == {"seq": again["result"]["seq"], "status": "rejected", "code": "invalid_payload",
                               "detail": "public_token is another ticket's"}


def test_rating_on_the_phone(site, district_app, phone_db_url):
    mine = site.issue()
    url = f"/t/{mine['public_token']}/rating"
    waiting = district_app.post(url, data=form(5), follow_redirects=False)
    assert waiting.status_code == 409 and "办结后才能评价" in waiting.text
    site.set_status(mine, "done")
    assert 'data-part="rating">' in district_app.get(f"/t/{mine['public_token']}").text  # the form is shown
    no_reason = district_app.post(url, data=form(2), follow_redirects=False)
    assert no_reason.status_code == 422 and "请至少选择一个不满意的原因" in no_reason.text
    bad_phone = district_app.post(url, data=form(1, ["attitude"], "12345"), follow_redirects=False)
    assert bad_phone.status_code == 422
    done = district_app.post(url, data=form(2, ["wait_too_long"], "139 1234 5678"), follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/t/{mine['public_token']}?lang=zh"
    assert rows(phone_db_url, "SELECT channel, level, contact_phone, kiosk_id FROM ratings") == [
        ("phone", 2, "13912345678", f"phone:{STATION}")]
    assert rows(phone_db_url, "SELECT level, state FROM work_orders") == [(2, "pending")]
    again = district_app.post(url, data=form(5), follow_redirects=False)
    assert again.status_code == 409 and "已经评价过了" in again.text
    page = district_app.get(f"/t/{mine['public_token']}").text
    assert "感谢您的评价" in page and "13912345678" not in page
    # the kiosk's rating of it comes too late, and the station learns it was rated on the phone
    assert site.kiosk_rating(mine)["code"] == "already_rated"
    assert site.snapshot([]).json() == {"rated_on_phone": [mine["ticket_id"]]}


def test_a_kiosk_rating_closes_the_phone(site, district_app, phone_db_url):
    mine = site.issue()
    site.set_status(mine, "done")
    assert site.kiosk_rating(mine, level=4)["status"] == "applied"
    state = district_app.get(f"/t/{mine['public_token']}/state").json()
    assert state["rated"] is True and state["rating_open"] is False
    refused = district_app.post(f"/t/{mine['public_token']}/rating", data=form(5), follow_redirects=False)
    assert refused.status_code == 409
    assert rows(phone_db_url, "SELECT channel FROM ratings") == [("kiosk",)]


def test_a_form_from_another_site_is_refused(site, district_app):
    mine = site.issue()
    site.set_status(mine, "done")
    answer = district_app.post(f"/t/{mine['public_token']}/rating", data=form(5),
                               headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert answer.status_code == 403


def test_too_many_requests_from_one_client(site, district_app):
    mine = site.issue()
    answers = []
    while len(answers) < 1000 and (not answers or answers[-1].status_code == 200):
        answers.append(district_app.get(f"/t/{mine['public_token']}/state"))
    limited = answers[-1]
    assert len(answers) > 120 and [a.status_code for a in answers[:120]] == [200] * 120
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.headers["cache-control"] == "no-store, max-age=0"


def test_a_station_writes_the_token_when_the_kiosk_op_is_missing(site, district_app):
    lost = {"ticket_id": make_op(1, "ticket", {})["entity_id"], "station_id": STATION, "service_code": "A-shebao",
            "number": "A009", "issued_at": "2026-11-21T09:30:00+08:00", "business_date": "2026-11-21",
            "priority": "normal", "assistance": False, "bundle_code": None, "id_digest": None, "id_masked": None,
            "status": "waiting", "updated_at": "2026-11-21T09:30:00+08:00", "public_token": token()}
    site.set_status(lost, "called")
    assert district_app.get(f"/t/{lost['public_token']}/state").json()["status"] == "called"
