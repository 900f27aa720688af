"""A district server on loopback with the demo catalogue, as `kiosk demo` runs it behind the
demo's station service (demo_station.py), or with a kiosk enrolled with it directly (the
technician screen's tests). Runs as a separate process; stopped at exit."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

SERVER = [sys.executable, "-m", "sync.server.cli"]


class DemoServerError(Exception):
    """The local district server could not be started or the kiosk not enrolled with it."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], what: str) -> str:
    done = subprocess.run([*SERVER, *args], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise DemoServerError(f"{what} failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
    return done.stdout.strip()


class DemoDistrictServer:
    def __init__(self, config):
        self.config = config
        self.db_url = f"sqlite:///{config.kiosk.data_dir / 'district-demo.sqlite3'}"
        self.url = ""
        self._proc: subprocess.Popen | None = None

    def start(self) -> str:
        """Start the server, import the catalogue, enrol this kiosk; returns the server URL."""
        from kiosk.fieldsetup.enrolment import run_setup

        self.start_server()
        token = _run(["enrol-token", "--db", self.db_url, "--station", self.config.kiosk.station_id,
                      "--kiosk", self.config.kiosk.id], "making an enrolment token")
        if run_setup(self.config, self.url, token, out=io.StringIO(), err=io.StringIO()) != 0:
            self.stop()
            raise DemoServerError("enrolling the kiosk with the local district server failed")
        return self.url

    def start_server(self) -> str:
        """Start the server with the demo catalogue imported; returns its URL."""
        Path(self.config.kiosk.data_dir).mkdir(parents=True, exist_ok=True)
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        _run(["import-catalogue", "--db", self.db_url, str(self._catalogue_with_page_url())], "importing the catalogue")
        self._proc = subprocess.Popen([*SERVER, "serve", "--db", self.db_url, "--host", "127.0.0.1",
                                       "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise DemoServerError(f"the district server exited: {self._proc.stderr.read()[-300:]!r}")
            try:
                if requests.get(f"{self.url}/v1/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            self.stop()
            raise DemoServerError("the district server did not answer within 20 s")
        return self.url

    def _catalogue_with_page_url(self) -> Path:
        """The demo catalogue with the district's setting ``ticket_url``: the tickets' QR codes open
        this server's phone pages (docs/phone-page.md)."""
        document = json.loads(Path(self.config.catalogue.file).read_text(encoding="utf-8"))
        document.setdefault("config", {})["ticket_url"] = f"{self.url}/t/{{token}}"
        path = Path(self.config.kiosk.data_dir) / "district-demo-catalogue.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return path

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc is not None and self._proc.stderr is not None:
            self._proc.stderr.close()
        self._proc = None

