"""What anyone on the station LAN can send the station service: 1,100 half-open connections do not
starve the consoles and the kiosks; the kiosks' sync paths answer with the documented error body."""

from __future__ import annotations

import socket
import time

import httpx
import pytest



def test_eleven_hundred_half_open_connections_do_not_starve_the_console(sqlite_site):
    sockets = []
    try:
        for _ in range(1100):
            sock = socket.create_connection(("127.0.0.1", sqlite_site.station.port), timeout=5)
            sock.sendall(b"GET /api/display HTTP/1.1\r\nHost: x\r\n")  # and never the end of the headers
            sockets.append(sock)
        started = time.monotonic()
        for path in ("/api/health", "/display", "/api/display", "/v1/health"):
            assert httpx.get(sqlite_site.station.url + path, timeout=5).status_code == 200, path
        assert time.monotonic() - started < 5
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.parametrize("method, path, body, status, code", [
    ("POST", "/v1/kiosks/K1/ops", b"{}", 401, "unauthorized"),
    ("GET", "/v1/kiosks/K1/queue", b"", 401, "unauthorized"),
    ("POST", "/v1/kiosks/K1/rating-check", b'{"number": "A001"}', 401, "unauthorized"),
    ("POST", "/v1/enrol", b"not json", 400, "bad_json"),
    ("POST", "/v1/enrol", b'{"token": 1}', 422, "invalid_envelope"),
    ("POST", "/v1/enrol", b'{"token": "t-unknown", "kiosk_id": "K9"}', 401, "unauthorized"),
    ("GET", "/v1/nothing", b"", 404, "not_found"),
])
def test_the_kiosks_paths_refuse_strangers_with_the_documented_body(sqlite_site, method, path, body, status, code):
    answer = httpx.request(method, sqlite_site.station.url + path, content=body,
                           headers={"Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == status
    assert answer.json()["error"] == code and answer.json()["detail"]
