"""The console's doors: each role × each route is allowed or 403; only the caller (回访员) ever sees
a phone number or comment, and each such view is in the audit log; sessions, CSRF, Origin, cookie
flags and login throttling."""

import pytest
from starlette.testclient import TestClient

from district_console import (ORIGIN, PASSWORD, SERVICES, STAFF, STATION, UNIT, add_staff, catalogue, login,
                              order_of, poor_ratings, sql, staff)

API = "/console/api"
PHONE, COMMENT = "13912345678", "窗口的人一直在玩手机"
ROLES = ("admin", "head", "renshe", "caller", "other-head", "other-unit")

# (method, path, body, the accounts allowed); every other one is 403. Written out by hand.
ROUTES = [
    ("GET", "/me", None, set(ROLES)),
    ("GET", "/work-orders", None, set(ROLES)),
    ("GET", "/work-orders/{o}", None, {"admin", "head", "renshe", "caller"}),
    ("GET", "/work-orders/{o}/contact", None, {"caller"}),
    ("POST", "/work-orders/{o}/assign", {"unit": UNIT}, {"admin", "head"}),
    ("POST", "/work-orders/{o}/verify", {}, {"admin", "renshe"}),
    ("POST", "/work-orders/{o}/call_back", {"outcome": "not_reached"}, {"admin", "caller"}),
    ("POST", "/work-orders/{o}/rectify", {"changes": "加了座椅"}, {"admin", "renshe"}),
    ("POST", "/work-orders/{o}/re_rate", {"level": 4}, {"admin", "caller"}),
    ("POST", "/work-orders/{o}/close", {}, {"admin", "head"}),
    ("POST", "/work-orders/{o}/appeal", {"kind": "mistaken", "reason": "误评"}, {"renshe"}),
    ("POST", "/work-orders/{o}/decide_appeal", {"decision": "reject", "reason": "维持"}, {"admin"}),
    ("GET", "/audit", None, {"admin"}),
]


@pytest.fixture
def order(server, db_url, kiosk):
    add_staff(db_url, *STAFF)
    catalogue(db_url, SERVICES)
    order_id = order_of(db_url, poor_ratings(kiosk, phone=PHONE, comment=COMMENT)[0]["rating_id"])
    sql(db_url, "UPDATE work_orders SET unit = :u WHERE order_id = :o", u=UNIT, o=order_id)
    return order_id


def call(person, method, path, body):
    return person.get(API + path) if method == "GET" else person.post(API + path, body)


def test_every_role_on_every_route(server, db_url, order):
    people = {name: staff(server, name) for name in ROLES}
    seen = []
    for method, template, body, allowed in ROUTES:
        for name in ROLES:
            response = call(people[name], method, template.format(o=order), body)
            expected = "allowed" if name in allowed else "forbidden"
            got = "forbidden" if response.status_code == 403 else "allowed"
            assert got == expected and response.status_code not in (401, 500), (name, method, template, response.text)
            if response.status_code == 403:
                assert set(response.json()) == {"error", "detail"}
            if PHONE in response.text or COMMENT in response.text:
                seen.append((name, template))
    assert seen == [("caller", "/work-orders/{o}/contact")]
    entries = people["admin"].get(f"{API}/audit").json()["entries"]
    assert [(e["actor"], e["role"], e["action"], e["record"], e["client"]) for e in entries] == [
        ("caller", "caller", "view_contact", f"work_order:{order}", "testclient")]


def test_the_caller_sees_the_contact_and_each_view_is_audited(server, db_url, order, clock):
    caller = staff(server, "caller")
    for _ in range(3):
        body = caller.get(f"{API}/work-orders/{order}/contact")
        assert body.status_code == 200 and body.headers["cache-control"] == "no-store"
        assert body.json()["contact_phone"] == PHONE and body.json()["comment"] == COMMENT
    admin = staff(server, "admin")
    entries = admin.get(f"{API}/audit?limit=2").json()
    assert len(entries["entries"]) == 2 and entries["next_before"] is not None
    rest = admin.get(f"{API}/audit?before={entries['next_before']}").json()
    assert len(rest["entries"]) == 1 and rest["next_before"] is None
    assert sql(db_url, "SELECT count(*) FROM audit_log WHERE actor = 'caller' AND record = :r",
               r=f"work_order:{order}") == [(3,)]


def test_scopes_filter_the_lists(server, db_url, order, kiosk):
    poor_ratings(kiosk, service_code="MZ-DB")
    sql(db_url, "UPDATE work_orders SET unit = '区民政局' WHERE order_id != :o", o=order)
    counts = {name: len(staff(server, name).get(f"{API}/work-orders").json()["work_orders"]) for name in ROLES}
    assert counts == {"admin": 2, "head": 2, "renshe": 1, "caller": 2, "other-head": 0, "other-unit": 1}


def test_without_a_session_every_route_is_401(server, order):
    for method, template, body, _allowed in ROUTES:
        path = API + template.format(o=order)
        response = server.get(path) if method == "GET" else server.post(path, json=body, headers={"Origin": ORIGIN})
        assert response.status_code == 401 and response.json()["error"] == "unauthorized", (method, template)


def test_state_changes_need_the_csrf_token_and_our_origin(server, db_url, order):
    admin = staff(server, "admin")
    path = f"{API}/work-orders/{order}/assign"
    assert admin.post(path, csrf=False).json()["error"] == "csrf_failed"
    bad = admin.post(path, extra={"X-CSRF-Token": "0" * 64})
    assert bad.status_code == 403 and bad.json()["error"] == "csrf_failed"
    assert admin.post(path, origin="https://evil.example").json()["error"] == "bad_origin"
    assert admin.post(path, origin=None, extra={"Sec-Fetch-Site": "cross-site"}).json()["error"] == "bad_origin"
    assert sql(db_url, "SELECT state FROM work_orders") == [("pending",)]
    assert admin.post(path, origin=None).status_code == 200  # a client that sends no Origin at all
    assert server.post(f"{API}/login", json={"name": "admin", "password": PASSWORD},
                       headers={"Origin": "https://evil.example"}).status_code == 403


def test_cookie_flags_over_http_and_https(server, db_url, order):
    plain = login(server, "admin")
    cookie = plain.headers["set-cookie"]
    assert cookie.startswith("district-console=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie
    with TestClient(server.app, base_url="https://testserver") as https:
        secure = https.post(f"{API}/login", json={"name": "admin", "password": PASSWORD},
                            headers={"Origin": "https://testserver"})
        cookie = secure.headers["set-cookie"]
        assert cookie.startswith("__Host-district-console=") and "Secure" in cookie and "HttpOnly" in cookie
        assert https.get(f"{API}/me").json()["name"] == "admin"  # the jar sends it back over https only
        assert server.get(f"{API}/me", headers={"Cookie": cookie.split(";")[0]}).status_code == 401


def test_me_logout_and_the_idle_timeout(server, db_url, order, clock):
    head = staff(server, "head")
    me = head.get(f"{API}/me").json()
    assert me == {"name": "head", "role": "station_head", "role_label": "站点负责人", "station_id": STATION,
                  "unit": None, "csrf": head.csrf}
    assert head.post(f"{API}/logout").status_code == 200
    assert head.get(f"{API}/me").status_code == 401
    caller = staff(server, "caller")
    clock.now += 29 * 60
    assert caller.get(f"{API}/me").status_code == 200  # used: the idle clock starts again
    clock.now += 29 * 60
    assert caller.get(f"{API}/me").status_code == 200
    clock.now += 31 * 60
    assert caller.get(f"{API}/me").status_code == 401


def test_wrong_passwords_back_off_per_address_and_name_only(server, db_url, order, clock):
    for _ in range(5):
        wrong = login(server, "admin", "not the password")
        assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized"
    assert login(server, "nobody-at-all", "x").json()["detail"] == wrong.json()["detail"]  # same words
    blocked = login(server, "admin")  # the right password, but this address waits now
    assert blocked.status_code == 429 and blocked.json()["error"] == "too_many_attempts"
    assert int(blocked.headers["retry-after"]) >= 1
    with TestClient(server.app, client=("10.1.2.3", 4000)) as elsewhere:  # the real admin, at their desk
        assert login(elsewhere, "admin").status_code == 200
    assert login(server, "caller").status_code == 200  # another name from the same address
    clock.now += 2
    assert login(server, "admin", "still wrong").status_code == 401
    assert login(server, "admin").status_code == 429  # waits longer each time
    clock.now += 10
    assert login(server, "admin").status_code == 200  # and a success clears it
    assert login(server, "admin", "wrong again").status_code == 401
    assert login(server, "admin").status_code == 200


@pytest.mark.parametrize("body", [b"[" * 30_000 + b"]" * 30_000, b'{"name": "\\ud800", "password": "x"}',
                                  b'{"name": "a\x00", "password": "x"}', b"{nope"])
def test_login_bodies_that_are_not_json_are_400(server, body):
    response = server.post(f"{API}/login", content=body,
                           headers={"Content-Type": "application/json", "Origin": ORIGIN})
    assert response.status_code == 400 and response.json()["error"] == "bad_json"
