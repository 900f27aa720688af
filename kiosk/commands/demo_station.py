"""`kiosk demo` only: the station service of the demo kiosk, between it and the local district
server, as a real station has it. The station (id ``<station>-ST``) is enrolled with the district,
the kiosk through the station; the station has one demo counter, 一号窗口, PIN 1111. Console,
hall display and window rating pad are at the URL printed. Stopped at exit."""

from __future__ import annotations

import io
import os
import signal
from dataclasses import replace
import subprocess
import sys
import time
from pathlib import Path

import requests
import tomlkit

from kiosk.commands.demo_district import SERVER, DemoDistrictServer, DemoServerError, _free_port, _run

KIOSK = [sys.executable, "-m", "kiosk.commands.cli"]
DEMO_COUNTER = ("w1", "一号窗口", "1111")


class DemoStation:
    def __init__(self, config):
        self.config = config
        self.district = DemoDistrictServer(config)
        self.data_dir = Path(config.kiosk.data_dir).resolve() / "station"
        self.station_id = f"{config.kiosk.station_id.upper()}-ST"[:64]
        self.url = ""
        self._proc: subprocess.Popen | None = None

    def _station_config(self, district_url: str) -> Path:
        source = Path(self.config.source) if self.config.source else None
        doc = tomlkit.parse(source.read_text(encoding="utf-8")) if source and source.is_file() else tomlkit.document()
        for section in ("kiosk", "catalogue", "sync"):
            doc.setdefault(section, tomlkit.table())
        doc["kiosk"]["id"] = self.station_id
        doc["kiosk"]["data_dir"] = str(self.data_dir)
        doc["catalogue"]["file"] = str(Path(self.config.catalogue.file).resolve())
        doc["sync"]["server"] = district_url
        path = self.data_dir / "station.toml"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(tomlkit.dumps(doc), encoding="utf-8")
        return path

    def start(self) -> str:
        """The district, the station enrolled with it, the kiosk enrolled through the station."""
        from kiosk.config import load
        from kiosk.counter.accounts import add_counter
        from kiosk.fieldsetup.enrolment import run_setup
        from kiosk.store.engine import connect

        district_url = self.district.start_server()
        station_toml = self._station_config(district_url)
        station_config = load(str(station_toml))
        station_config = replace(station_config, kiosk=replace(station_config.kiosk, data_dir=self.data_dir))  # not $KIOSK_DATA_DIR
        token = _run(["enrol-token", "--db", self.district.db_url, "--station", self.config.kiosk.station_id,
                      "--kiosk", self.station_id, "--role", "station"], "making the station's enrolment token")
        if run_setup(station_config, district_url, token, self.station_id, out=io.StringIO(), err=io.StringIO()) != 0:
            raise DemoServerError("enrolling the station service with the local district server failed")
        db = connect(station_config.database_path)
        try:
            add_counter(db, *DEMO_COUNTER)
        finally:
            db.close()
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_DATA_DIR", "KIOSK_CONFIG")}
        self._log = open(self.data_dir / "station-service.log", "ab")  # read by nobody while it runs: never a pipe
        self._proc = subprocess.Popen([*KIOSK, "--config", str(station_toml), "station-service", "--host", "127.0.0.1",
                                       "--port", str(port)], env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self._proc.poll() is not None:
                tail = (self.data_dir / "station-service.log").read_text(errors="replace")[-300:]
                raise DemoServerError(f"the station service exited: {tail!r}")
            try:
                if requests.get(f"{self.url}/api/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise DemoServerError("the station service did not answer within 30 s")
            time.sleep(0.1)
        kiosk_token = _run(["enrol-token", "--db", self.district.db_url, "--station", self.config.kiosk.station_id,
                            "--kiosk", self.config.kiosk.id], "making the kiosk's enrolment token")
        if run_setup(self.config, self.url, kiosk_token, out=io.StringIO(), err=io.StringIO()) != 0:
            raise DemoServerError("enrolling the kiosk through the station service failed")
        return self.url

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc is not None:
            self._log.close()
        self._proc = None
        self.district.stop()


def _stop_now(*_args) -> None:
    raise KeyboardInterrupt


def start_demo_station(config) -> DemoStation | None:
    """Start the demo's district server and station service and say where they are; the demo
    continues offline without them. SIGTERM or Ctrl-C while they start stops them (nothing is left
    running) and ends the demo."""
    site = DemoStation(config)
    previous = signal.signal(signal.SIGTERM, _stop_now)
    try:
        try:
            url = site.start()
        except DemoServerError as exc:
            site.stop()
            print(f"kiosk: demo continues offline: {exc}", file=sys.stderr)
            return None
        print(f"kiosk: local district server at {site.district.url}\n"
              f"kiosk: station service at {url}: counter console {url}/ (一号窗口, PIN 1111), hall display "
              f"{url}/display, window rating pad {url}/pad", file=sys.stderr)
        from kiosk.commands.demo_phone import show_demo_page

        show_demo_page(config, site.district.url)
        return site
    except KeyboardInterrupt:
        site.stop()
        raise SystemExit(0) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


__all__ = ["SERVER", "DemoStation", "start_demo_station"]
