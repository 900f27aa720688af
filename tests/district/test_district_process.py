"""`district-server` as a process: files private under umask 000, a client that hangs up in the
middle of its body leaves one log line and no traceback, an oversized body is answered before it
is sent, and `user add` reads the password on stdin."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from district_process import district_server_command, free_port


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def umask_zero() -> None:
    os.umask(0)


class Serve:
    """`district-server serve` with its stderr in a file, started under umask 000."""

    def __init__(self, db: Path, key: Path):
        self.port = free_port()
        self.log = db.parent / "stderr.log"
        env = dict(os.environ, DISTRICT_SERVER_KEY_FILE=str(key))
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [*district_server_command(), "serve", "--db", f"sqlite:///{db}", "--port", str(self.port)],
                stdout=subprocess.DEVNULL, stderr=log, env=env, preexec_fn=umask_zero)
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/v1/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            assert self.process.poll() is None and time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.05)

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(10)
        return self.log.read_text()

    def raw(self, head: bytes, body: bytes = b"", *, answer: bool) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(head + body)
            if not answer:
                time.sleep(0.2)
                return b""
            answer = b""
            while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length(answer):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
            return answer


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


@pytest.fixture
def served(tmp_path):
    key = tmp_path / "keys" / "secret.key"
    serve = Serve(tmp_path / "district.db", key)
    yield serve, tmp_path, key
    if serve.process.poll() is None:
        serve.stop()


def test_files_are_private_under_umask_000(served):
    serve, folder, key = served
    token = subprocess.run([*district_server_command(), "enrol-token", "--db", f"sqlite:///{folder / 'district.db'}",
                            "--station", "s1", "--kiosk", "K1"], capture_output=True, text=True, timeout=60,
                           preexec_fn=umask_zero).stdout.strip()
    enrolled = requests.post(f"http://127.0.0.1:{serve.port}/v1/enrol", json={"token": token, "kiosk_id": "K1"},
                             timeout=10)
    assert enrolled.status_code == 201, enrolled.text
    for name in ("district.db", "district.db-wal", "district.db-shm"):
        assert private(folder / name), name
    assert private(key)  # made by the first secret the server sealed


def test_a_client_that_hangs_up_mid_body_leaves_one_line(served):
    serve, _folder, _key = served
    for path in ("/v1/kiosks/K1/ops", "/v1/enrol", "/console/api/login"):
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: 5000\r\n\r\n").encode()
        serve.raw(head, b'{"batch_id": "' + b"x" * 2000, answer=False)
    time.sleep(0.5)
    assert requests.get(f"http://127.0.0.1:{serve.port}/v1/health", timeout=5).status_code == 200
    log = serve.stop()
    assert "Traceback" not in log and "ClientDisconnect" not in log, log
    lines = [line for line in log.splitlines() if line.strip()]
    assert len(lines) <= 3 and all("closed the connection" in line for line in lines), log


def test_an_oversized_body_is_answered_before_it_is_sent(served):
    serve, _folder, _key = served
    head = (b"POST /v1/enrol HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 500000000\r\n\r\n")
    started = time.monotonic()
    answer = serve.raw(head, b"{", answer=True)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"too_large"' in answer and time.monotonic() - started < 5


def run_cli(*args: str, stdin: str = "", umask0: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sync.server.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=60, preexec_fn=umask_zero if umask0 else None)


def test_user_add_reads_the_password_on_stdin(tmp_path):
    db = f"sqlite:///{tmp_path / 'd.db'}"
    done = run_cli("user", "add", "--db", db, "--name", "wang.li", "--role", "station_head",
                   "--station", "yt-xiaozhai", stdin="a long enough password\n", umask0=True)
    assert done.returncode == 0 and "wang.li" in done.stderr and done.stdout == ""
    assert private(tmp_path / "d.db")
    import sqlite3

    row = sqlite3.connect(tmp_path / "d.db").execute(
        "SELECT role, station_id, unit, password_hash FROM staff_users WHERE name = 'wang.li'").fetchone()
    assert row[:3] == ("station_head", "yt-xiaozhai", None)
    assert row[3].startswith("$argon2id$") and "a long enough password" not in row[3]
    from sync.server.console.passwords import verify_password

    assert verify_password(row[3], "a long enough password") and not verify_password(row[3], "another one!")


@pytest.mark.parametrize("args, stdin, words", [
    (["--name", "x", "--role", "station_head"], "a long enough password\n", "--station"),
    (["--name", "x", "--role", "unit"], "a long enough password\n", "--unit"),
    (["--name", "x", "--role", "caller", "--station", "s"], "a long enough password\n", "station_head"),
    (["--name", "bad name", "--role", "caller"], "a long enough password\n", "name"),
    (["--name", "x", "--role", "caller"], "short\n", "10 to 256"),
])
def test_user_add_refusals_are_one_line(tmp_path, args, stdin, words):
    done = run_cli("user", "add", "--db", f"sqlite:///{tmp_path / 'd.db'}", *args, stdin=stdin)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr, done.stderr


def test_user_add_twice_needs_replace(tmp_path):
    db = f"sqlite:///{tmp_path / 'd.db'}"
    base = ["user", "add", "--db", db, "--name", "li", "--role", "caller"]
    assert run_cli(*base, stdin="a long enough password\n").returncode == 0
    again = run_cli(*base, stdin="a long enough password\n")
    assert again.returncode == 1 and "--replace" in again.stderr
    assert run_cli(*base, "--role", "unit", "--unit", "区人社局", "--replace",
                   stdin="another long password\n").returncode == 0
