"""Helpers for the queue-service tests and bench: a real server process on loopback, a real SQLite
store in tmp_path, tickets issued like a kiosk, and Debian's chromium driven headless."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--lang=zh-CN")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kiosk_env(data_dir: Path) -> dict:
    env = dict(os.environ)
    env["KIOSK_DATA_DIR"] = str(data_dir)
    env.pop("KIOSK_CONFIG", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def issue_cli(data_dir: Path, service: str = "SB-KSL", count: int = 1) -> list[dict]:
    """Issue tickets the way a kiosk does, through `python -m kiosk.commands.cli ticket issue`."""
    done = subprocess.run([sys.executable, "-m", "kiosk.commands.cli", "ticket", "issue", "--service", service,
                           "--count", str(count)], env=kiosk_env(data_dir), cwd=PROJECT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def open_db(data_dir: Path):
    from kiosk.store.engine import connect

    return connect(data_dir / "kiosk.sqlite3")


class CounterServer:
    """``kiosk counter-service`` on a free loopback port, with the demo configuration."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "counter-service.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        self._log_file = open(self.log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk.commands.cli", "counter-service", "--host", "127.0.0.1", "--port", str(self.port)],
            env=kiosk_env(data_dir), cwd=PROJECT, stdout=self._log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"counter service exited {self.process.returncode}: {self.log.read_text()}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"counter service did not start: {self.log.read_text()}")
            time.sleep(0.05)

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log_file.close()
        return self.process.returncode


def add_counters(data_dir: Path, *specs: tuple[str, str, str]) -> None:
    from kiosk.counter.accounts import add_counter

    db = open_db(data_dir)
    try:
        for counter_id, name, pin in specs:
            add_counter(db, counter_id, name, pin)
    finally:
        db.close()


def chromium_driver(tmp_path: Path, size: str = "1920,1080", tz: str | None = None):
    """A headless Debian chromium under selenium; fails (never skips) when it is not installed.

    ``tz``: the browser's own time zone (TZ), e.g. another one than the station's."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run packaging/install-browser (Debian chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path / f"chromium-profile-{time.monotonic_ns()}"
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={size}")
    env = dict(os.environ, TZ=tz) if tz else None
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER, env=env))


def set_viewport(driver, width: int, height: int) -> None:
    """Make the page's viewport exactly width x height CSS pixels (a window's size includes its frame)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def screenshot(driver, name: str) -> None:
    """Save the page as COUNTER_SHOTS/<name>.png when COUNTER_SHOTS names a folder (for looking at)."""
    folder = os.environ.get("COUNTER_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


OVERFLOW_SCRIPT = """
const width = window.innerWidth, height = window.innerHeight, out = [];
for (const node of document.querySelectorAll('button, h1, p, select, input, .level-label, .reason-label')) {
  const box = node.getBoundingClientRect();
  if (!box.width || !box.height) continue;
  if (box.left < -1 || box.top < -1 || box.right > width + 1 || box.bottom > height + 1
      || node.scrollWidth > node.clientWidth + 1) out.push((node.id || node.className || node.tagName) + ' ' +
      JSON.stringify([Math.round(box.left), Math.round(box.top), Math.round(box.right), Math.round(box.bottom)]));
}
if (document.documentElement.scrollWidth > width + 1) out.push('page scrolls sideways');
return out;
"""


def clipped(driver) -> list[str]:
    """The visible buttons, headings and texts that do not fit on the screen (or in their box)."""
    return driver.execute_script(OVERFLOW_SCRIPT)


@contextmanager
def login(url: str, counter_id: str, pin: str) -> Iterator[httpx.Client]:
    """An HTTP client logged in as ``counter_id`` (the session cookie kept by the client)."""
    with httpx.Client(base_url=url, timeout=10) as client:
        response = client.post("/api/login", json={"counter_id": counter_id, "pin": pin})
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf"]  # as the console's script sends it
        yield client
