"""The queue service on a LAN anyone can join: what a hostile machine on it sends, against the real
server process. Every refusal has the documented error body; nothing brings the service down."""

from __future__ import annotations

import socket
import time

import httpx

from counter_harness import login


def body_of(response) -> set:
    return set(response.json())


def test_a_huge_body_is_refused_on_its_length_before_it_is_read(server):
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1073741824\r\n\r\n{")
        started = time.monotonic()
        answer = b""
        while chunk := sock.recv(4096):  # the service closes the connection after its answer
            answer += chunk
        answer = answer.decode("latin-1")
    assert answer.startswith("HTTP/1.1 413") and '"too_large"' in answer
    assert time.monotonic() - started < 2  # answered at once, not after reading a gigabyte
    assert httpx.get(server.url + "/api/health").status_code == 200


def test_a_chunked_body_is_cut_off_at_the_limit(server):
    def chunks():
        for _ in range(100):
            yield b" " * 4096

    answer = httpx.post(server.url + "/api/login", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"


def test_wrong_pins_lock_out_only_the_client_that_typed_them(server):
    for counter in ("w1", "w2"):  # a hostile machine tries every counter until it is locked out
        answers = [httpx.post(server.url + "/api/login", json={"counter_id": counter, "pin": "0000"},
                              headers={"x-forwarded-for": "127.0.0.2"}) for _ in range(5)]  # a header is no address
        assert answers[-1].status_code == 423
    assert httpx.post(server.url + "/api/login", json={"counter_id": "w1", "pin": "1111"}).status_code == 423
    # the staff at their desks are other machines: here, connections from another loopback address
    with httpx.Client(base_url=server.url, transport=httpx.HTTPTransport(local_address="127.0.0.2")) as desk:
        assert desk.post("/api/login", json={"counter_id": "w1", "pin": "1111"}).status_code == 200
        assert desk.post("/api/login", json={"counter_id": "w2", "pin": "2222"}).status_code == 200


def test_a_form_post_from_another_origin_does_not_call_a_number(server):
    with login(server.url, "w1", "1111") as client:
        foreign = client.post("/api/call-next", headers={"origin": "http://127.0.0.1:9999"})
        assert foreign.status_code == 403 and foreign.json()["error"] == "cross_origin"
        sneaky = client.post("/api/call-next", headers={"sec-fetch-site": "same-site"})
        assert sneaky.status_code == 403
        own = client.post("/api/call-next", headers={"origin": server.url})
        assert own.status_code == 404 and own.json()["error"] == "queue_empty"  # allowed: nobody waits


def test_bad_values_get_the_documented_error_body_never_a_500(server):
    with login(server.url, "w1", "1111") as client:
        for path, body in (("/api/pause", {"paused": "yes"}), ("/api/pause", {"paused": 1}),
                           ("/api/call", {"number": 17}), ("/api/call", {}),
                           ("/api/transfer", {"to_service": ["A"]})):
            answer = client.post(path, json=body)
            assert answer.status_code == 422 and body_of(answer) == {"error", "detail"}, (path, body, answer.text)
        for day in ("0001-01-01", "9999-12-31", "2026-13-01", "x"):
            answer = client.get("/api/one-hour", params={"day": day})
            assert answer.status_code == 422 and body_of(answer) == {"error", "detail"}, day
    login_answer = httpx.post(server.url + "/api/login", json={"counter_id": ["w1"], "pin": 1111})
    assert login_answer.status_code == 422 and body_of(login_answer) == {"error", "detail"}
    assert body_of(httpx.get(server.url + "/api/nothing")) == {"error", "detail"}
    assert body_of(httpx.delete(server.url + "/api/login")) == {"error", "detail"}
    bad_json = httpx.post(server.url + "/api/login", content=b"{", headers={"content-type": "application/json"})
    assert bad_json.status_code == 422 and body_of(bad_json) == {"error", "detail"}


def test_a_counter_action_needs_the_sessions_csrf_token(server):
    with login(server.url, "w1", "1111") as client:
        token = client.headers.pop("X-CSRF-Token")
        assert client.post("/api/call-next").json()["error"] == "csrf"
        assert client.post("/api/call-next", headers={"X-CSRF-Token": "forged"}).status_code == 403
        assert client.get("/api/me").status_code == 200  # reading needs no token
        assert client.post("/api/call-next", headers={"X-CSRF-Token": token}).json()["error"] == "queue_empty"
