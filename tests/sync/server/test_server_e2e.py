"""A real `district-server serve` subprocess on 127.0.0.1: enrol, push, pull, concurrent pushes."""

import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from district_kiosk_client import KioskClient, make_op, ticket_payload

pytestmark = pytest.mark.slow


class RequestsHttp:
    """The .request/.post/.get surface the kiosk helper needs, over real HTTP."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()

    def request(self, method, target, content=None, headers=None):
        return self.session.request(method, self.base_url + target, data=content, headers=headers, timeout=30)

    def post(self, target, json=None):
        return self.session.post(self.base_url + target, json=json, timeout=30)

    def get(self, target, headers=None):
        return self.session.get(self.base_url + target, headers=headers, timeout=30)

    def close(self):
        self.session.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def district_server_command():
    script = shutil.which("district-server", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "sync.server.cli"]


@pytest.fixture
def live_server(db_url):
    port = free_port()
    process = subprocess.Popen([*district_server_command(), "serve", "--db", db_url, "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                if requests.get(base + "/v1/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start: {process.communicate(timeout=5)[1]}")
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def enrol_live(base, db_url, kiosk_id="YT-XZ-01"):
    token = subprocess.run([*district_server_command(), "enrol-token", "--db", db_url, "--station", "yt-xiaozhai",
                            "--kiosk", kiosk_id], capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    http = RequestsHttp(base)
    response = http.post("/v1/enrol", json={"token": token, "kiosk_id": kiosk_id, "app_version": "1.0.0"})
    assert response.status_code == 201, response.text
    return KioskClient(http, kiosk_id, response.json()["secret"])


def test_live_server_enrol_push_pull(live_server, db_url):
    health = requests.get(live_server + "/v1/health", timeout=5)
    assert health.json()["status"] == "ok"
    assert "date" in health.headers
    kiosk = enrol_live(live_server, db_url)
    try:
        response = kiosk.push([make_op(1, "ticket", ticket_payload())], compress=True)
        assert response.status_code == 200, response.text
        assert response.json()["high_water"] == 1
        assert "date" in response.headers
        changes = kiosk.changes(since=0, limit=5)
        assert changes.status_code == 200
        assert [c["entity"] for c in changes.json()["changes"]] == ["station"]
        assert requests.get(live_server + "/openapi.json", timeout=5).json()["paths"]
    finally:
        kiosk.http.close()


def test_concurrent_pushes_for_one_kiosk_apply_each_op_once(live_server, db_url):
    kiosk = enrol_live(live_server, db_url)
    ops = [make_op(seq, "ticket", ticket_payload()) for seq in range(1, 61)]

    def push_all(_):
        client = KioskClient(RequestsHttp(live_server), kiosk.kiosk_id, kiosk.secret)
        try:
            return client.push(ops)
        finally:
            client.http.close()

    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(push_all, range(6)))
    kiosk.http.close()
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    assert all(r.json()["high_water"] == 60 for r in responses)
    for index in range(60):
        outcomes = sorted(r.json()["results"][index]["status"] for r in responses)
        assert outcomes == ["applied"] + ["duplicate"] * 5
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*), count(DISTINCT seq) FROM ops")).one() == (60, 60)
        assert conn.execute(text("SELECT count(*) FROM tickets")).scalar() == 60
    engine.dispose()


def test_same_batch_in_flight_is_409_or_the_stored_response(live_server, db_url):
    kiosk = enrol_live(live_server, db_url)
    ops = [make_op(seq, "ticket", ticket_payload()) for seq in range(1, 301)]

    def push_same(_):
        client = KioskClient(RequestsHttp(live_server), kiosk.kiosk_id, kiosk.secret)
        try:
            return client.push(ops, batch_id="0193f6a2-0000-7000-8000-000000000001")
        finally:
            client.http.close()

    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(push_same, range(6)))
    kiosk.http.close()
    codes = sorted(r.status_code for r in responses)
    assert set(codes) <= {200, 409} and 200 in codes, codes
    bodies = {r.text for r in responses if r.status_code == 200}
    assert len(bodies) == 1
    assert all(r.json()["error"] == "batch_in_flight" and r.headers.get("retry-after")
               for r in responses if r.status_code == 409)
