"""POST /v1/enrol: single-use tokens bound to a kiosk id; re-enrolment replaces the secret."""

import base64

from district_kiosk_client import KioskClient, enrol, issue_token


def test_enrol_returns_secret_of_32_bytes_and_station(server, db_url):
    token = issue_token(db_url, "yt-xiaozhai", "YT-XZ-01")
    response = server.post("/v1/enrol", json={"token": token, "kiosk_id": "YT-XZ-01", "app_version": "1.0.0"})
    assert response.status_code == 201
    body = response.json()
    assert body["kiosk_id"] == "YT-XZ-01" and body["station_id"] == "yt-xiaozhai"
    assert len(base64.b64decode(body["secret"], validate=True)) == 32
    assert "date" in response.headers


def test_token_is_single_use(server, db_url):
    token = issue_token(db_url, "yt-xiaozhai", "YT-XZ-01")
    body = {"token": token, "kiosk_id": "YT-XZ-01", "app_version": "1.0.0"}
    assert server.post("/v1/enrol", json=body).status_code == 201
    second = server.post("/v1/enrol", json=body)
    assert second.status_code == 401
    assert set(second.json()) == {"error", "detail"}


def test_token_for_another_kiosk_is_401(server, db_url):
    token = issue_token(db_url, "yt-xiaozhai", "YT-XZ-01")
    response = server.post("/v1/enrol", json={"token": token, "kiosk_id": "YT-XZ-02", "app_version": "1.0.0"})
    assert response.status_code == 401
    assert response.json()["error"]


def test_unknown_and_expired_tokens_are_401(server, db_url, clock):
    assert server.post("/v1/enrol", json={"token": "nope", "kiosk_id": "YT-XZ-01"}).status_code == 401
    token = issue_token(db_url, "yt-xiaozhai", "YT-XZ-01", now=clock() - 24 * 3600 - 5)
    assert server.post("/v1/enrol", json={"token": token, "kiosk_id": "YT-XZ-01"}).status_code == 401


def test_reenrol_replaces_secret(server, db_url, clock):
    first = enrol(server, db_url, clock=clock)
    assert first.changes().status_code == 200
    second = enrol(server, db_url, clock=clock)
    assert second.secret != first.secret
    assert first.changes().status_code == 401
    assert second.changes().status_code == 200


def test_enrol_bad_bodies(server, db_url):
    assert server.post("/v1/enrol", content=b"{nope", headers={"Content-Type": "application/json"}).status_code == 400
    assert server.post("/v1/enrol", content=b"{}", headers={"Content-Type": "text/plain"}).status_code == 415
    missing = server.post("/v1/enrol", json={"kiosk_id": "YT-XZ-01"})
    assert missing.status_code == 422 and set(missing.json()) == {"error", "detail"}
    bad_id = server.post("/v1/enrol", json={"token": "x", "kiosk_id": "../etc"})
    assert bad_id.status_code == 422


def test_unenrolled_kiosk_cannot_sign(server):
    stranger = KioskClient(server, "YT-XZ-09", base64.b64encode(b"k" * 32).decode())
    response = stranger.changes()
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"
