"""Request signing per the page: every fault is 401, another kiosk's path is 403, nothing written."""

import pytest

from district_kiosk_client import enrol, make_op, ticket_payload


def assert_nothing_written(kiosk):
    response = kiosk.push([])
    assert response.status_code == 200, response.text
    assert response.json() == {"results": [], "high_water": 0}


def test_signed_request_with_query_is_accepted(kiosk):
    response = kiosk.changes(since=0, limit=5)
    assert response.status_code == 200, response.text
    assert "date" in response.headers


@pytest.mark.parametrize("fault", [
    {"signature": "0" * 64},
    {"signature": "A" * 64},
    {"X-Nonce": "short"},
    {"X-Nonce": "bad nonce with spaces!!"},
    {"X-Timestamp": "12.5"},
    {"X-Kiosk-Id": None},
    {"X-Timestamp": None},
    {"X-Nonce": None},
    {"X-Signature": None},
])
def test_signing_faults_are_401_and_write_nothing(kiosk, fault):
    response = kiosk.push([make_op(1, "ticket", ticket_payload())], **fault)
    assert response.status_code == 401, response.text
    assert set(response.json()) == {"error", "detail"}
    assert "date" in response.headers
    assert_nothing_written(kiosk)


@pytest.mark.parametrize("offset, status", [(-301, 401), (301, 401), (-299, 200), (299, 200)])
def test_timestamp_window_is_300_s(kiosk, clock, offset, status):
    response = kiosk.push([make_op(1, "ticket", ticket_payload())], timestamp=str(int(clock() + offset)))
    assert response.status_code == status, response.text
    if status == 401:
        assert_nothing_written(kiosk)


def test_replayed_nonce_is_401_within_600_s(kiosk, clock):
    assert kiosk.changes().status_code == 200
    assert kiosk.request("GET", "/v1/kiosks/YT-XZ-01/changes?since=0", nonce="n" * 16).status_code == 200
    replay = kiosk.request("GET", "/v1/kiosks/YT-XZ-01/changes?since=0", nonce="n" * 16)
    assert replay.status_code == 401
    clock.now += 200
    assert kiosk.request("GET", "/v1/kiosks/YT-XZ-01/changes?since=0", nonce="n" * 16).status_code == 401


def test_signature_covers_query_and_body(kiosk):
    target = "/v1/kiosks/YT-XZ-01/changes?since=0"
    headers = kiosk.signed_headers("GET", "/v1/kiosks/YT-XZ-01/changes", b"")
    assert kiosk.http.get(target, headers=headers).status_code == 401
    body = b'{"batch_id": "b1", "schema_version": 1, "ops": []}'
    headers = kiosk.signed_headers("POST", "/v1/kiosks/YT-XZ-01/ops", body)
    headers["Content-Type"] = "application/json"
    tampered = body.replace(b"b1", b"b2")
    assert kiosk.http.post("/v1/kiosks/YT-XZ-01/ops", content=tampered, headers=headers).status_code == 401


def test_unknown_kiosk_is_401(kiosk):
    response = kiosk.push([], kiosk_id="YT-XZ-77")
    assert response.status_code == 401


def test_another_kiosks_path_is_403_and_writes_nothing(server, db_url, clock, kiosk):
    other = enrol(server, db_url, kiosk_id="YT-XZ-02", clock=clock)
    envelope = {"batch_id": "b", "schema_version": 1, "ops": [make_op(1, "ticket", ticket_payload())]}
    import json
    response = other.request("POST", "/v1/kiosks/YT-XZ-01/ops", body=json.dumps(envelope).encode())
    assert response.status_code == 403 and response.json()["error"]
    assert other.request("GET", "/v1/kiosks/YT-XZ-01/changes?since=0").status_code == 403
    assert other.request("GET", "/v1/kiosks/YT-XZ-01/snapshot").status_code == 403
    assert_nothing_written(kiosk)
    assert_nothing_written(other)


def test_fault_precedence_401_403_415_413_400_422(server, db_url, clock, kiosk):
    other = enrol(server, db_url, kiosk_id="YT-XZ-02", clock=clock)
    big_bad = b"{" * (1024 * 1024 + 10)
    ops_path = "/v1/kiosks/YT-XZ-01/ops"
    # bad signature beats everything else
    assert kiosk.request("POST", ops_path, body=big_bad, content_type="text/plain",
                         signature="0" * 64).status_code == 401
    # another kiosk's path beats media type and size
    assert other.request("POST", ops_path, body=big_bad, content_type="text/plain").status_code == 403
    assert kiosk.request("POST", ops_path, body=big_bad, content_type="text/plain").status_code == 415
    assert kiosk.request("POST", ops_path, body=big_bad).status_code == 413
    assert kiosk.request("POST", ops_path, body=b"{nope").status_code == 400
    assert kiosk.request("POST", ops_path, body=b"[]").status_code == 422


def test_date_header_on_every_response(server, kiosk):
    for response in (server.get("/v1/health"), server.get("/nowhere"), server.post("/v1/enrol", json={}),
                     kiosk.push([]), kiosk.push([], signature="1" * 64)):
        assert "date" in response.headers, response.status_code
