"""Helpers of the district console's page tests: a real `district-server serve` over a SQLite file
with the demo catalogue, staff accounts of every role and poor ratings pushed by a signed kiosk;
Debian's chromium driven headless; axe-core from the test cache (packaging/install-axe-core)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests

from district_process import DistrictServer

PROJECT = Path(__file__).resolve().parents[2]
CATALOGUE = PROJECT / "assets" / "catalogue" / "yanta.json"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--lang=zh-CN")
PASSWORD = "correct horse battery"
STATION, UNIT, KIOSK = "yt-xiaozhai", "区人社局", "YT-XZ-01"
CHINA = timezone(timedelta(hours=8))
# name -> (role, scope); every account has PASSWORD
STAFF = {"admin": ("district_admin", {}), "head": ("station_head", {"station_id": STATION}),
         "renshe": ("unit", {"unit": UNIT}), "caller": ("caller", {}),
         "minzheng": ("unit", {"unit": "区民政局"}), "other-head": ("station_head", {"station_id": "yt-dayanta"})}


def seed(db_url: str, config: dict[str, Any] | None = None) -> None:
    """The demo catalogue (its departments are the units), config items, and the staff accounts
    (one Argon2id hash, shared: each costs a third of a second)."""
    from sqlalchemy.orm import sessionmaker

    from sync.server.catalogue import import_catalogue, parse_catalogue
    from sync.server.console.accounts import add_user
    from sync.server.db import make_engine, transaction
    from sync.server.migrations import upgrade
    from sync.server.models import StaffUser

    document = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    document["config"] = {**document.get("config", {}), **(config or {})}
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with transaction(sessionmaker(engine)) as session:
            import_catalogue(session, parse_catalogue(document), time.time())
            first = None
            for name, (role, scope) in STAFF.items():
                if first is None:
                    first = add_user(session, name, role, PASSWORD, time.time(), **scope).password_hash
                    continue
                session.add(StaffUser(name=name, role=role, station_id=scope.get("station_id"), unit=scope.get("unit"),
                                      password_hash=first, created_at=time.time()))
    finally:
        engine.dispose()


class Kiosk:
    """A kiosk of the station speaking sync protocol v1 to the running server: signed pushes."""

    def __init__(self, server: DistrictServer):
        self.url = server.url
        enrolled = requests.post(self.url + "/v1/enrol", json={"token": server.token(KIOSK, STATION), "kiosk_id": KIOSK,
                                                               "app_version": "1.0.0"}, timeout=10)
        assert enrolled.status_code == 201, enrolled.text
        self.secret = base64.b64decode(enrolled.json()["secret"])
        self.seq = 0

    def push(self, payloads: list[tuple[str, dict[str, Any]]]) -> None:
        ops = []
        for entity, payload in payloads:
            self.seq += 1
            ops.append({"seq": self.seq, "op_id": str(uuid.uuid4()), "entity": entity,
                        "entity_id": payload[f"{entity}_id"], "kind": "upsert",
                        "created_at": payload.get("rated_at") or payload["issued_at"], "payload": payload})
        body = json.dumps({"batch_id": str(uuid.uuid4()), "schema_version": 1, "app_version": "1.0.0", "ops": ops}).encode()
        target, stamp, nonce = f"/v1/kiosks/{KIOSK}/ops", str(int(time.time())), secrets.token_hex(16)
        message = "\n".join(["POST", target, stamp, nonce, hashlib.sha256(body).hexdigest()])
        headers = {"Content-Type": "application/json", "X-Kiosk-Id": KIOSK, "X-Timestamp": stamp, "X-Nonce": nonce,
                   "X-Signature": hmac.new(self.secret, message.encode(), hashlib.sha256).hexdigest()}
        answer = requests.post(self.url + target, data=body, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
        assert all(r["status"] == "applied" for r in answer.json()["results"]), answer.text

    def rate(self, level: int, rated_at: datetime, *, service: str = "SB-KSL", reasons: tuple[str, ...] = ("attitude",),
             phone: str | None = "13800000001", comment: str | None = "等了很久没人管", counter: str = "3") -> str:
        """A served ticket and its rating by the holder's code; returns the rating id."""
        ticket_id, rating_id, at = str(uuid.uuid4()), str(uuid.uuid4()), rated_at.isoformat(timespec="seconds")
        ticket = {"ticket_id": ticket_id, "station_id": STATION, "service_code": service, "number": "A017",
                  "issued_at": (rated_at - timedelta(minutes=30)).isoformat(timespec="seconds"),
                  "business_date": at[:10], "priority": "normal", "assistance": False, "bundle_code": None,
                  "id_digest": None, "id_masked": None, "status": "done", "updated_at": at, "holder_code": "246810"}
        rating = {"rating_id": rating_id, "station_id": STATION, "ticket_id": ticket_id, "service_code": service,
                  "level": level, "reasons": list(reasons), "comment": comment, "contact_phone": phone, "channel": "kiosk",
                  "rated_at": at, "counter_id": counter, "holder": {"by": "code", "code": "246810"}}
        self.push([("ticket", ticket), ("rating", rating)])
        return rating_id


def order_of(server: DistrictServer, rating_id: str) -> str:
    return server._one_row("SELECT order_id FROM work_orders WHERE rating_id = :r", r=rating_id)[0]


def now_in_china(hours_ago: float = 1) -> datetime:
    return (datetime.now(CHINA) - timedelta(hours=hours_ago)).replace(microsecond=0)


class Staff:
    """One account logged in over plain HTTP (requests keeps the cookie), sending Origin and CSRF
    as the console's pages do."""

    def __init__(self, url: str, name: str, password: str = PASSWORD):
        self.url, self.http = url, requests.Session()
        self.http.headers["Origin"] = url
        answer = self.http.post(url + "/console/api/login", json={"name": name, "password": password}, timeout=30)
        assert answer.status_code == 200, answer.text
        self.http.headers["X-CSRF-Token"] = answer.json()["csrf"]

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.url + path, allow_redirects=False, timeout=30, **kwargs)

    def post(self, path: str, body: Any = None) -> requests.Response:
        return self.http.post(self.url + path, json={} if body is None else body, timeout=30)

    def close(self) -> None:
        self.http.close()


def chromium(tmp_path: Path, size: tuple[int, int] = (1366, 768)):
    """A headless Debian chromium under selenium with a viewport of exactly ``size`` CSS pixels;
    fails (never skips) when it is not installed."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run packaging/install-browser (Debian chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / f'chromium-{time.monotonic_ns()}'}")
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    viewport(driver, *size)
    return driver


def viewport(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def screenshot(driver, name: str) -> None:
    """Save the page as CONSOLE_SHOTS/<name>.png when CONSOLE_SHOTS names a folder (for looking at);
    the whole page, not only the viewport."""
    folder = os.environ.get("CONSOLE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        full = driver.execute_script("return document.documentElement.scrollHeight")
        viewport(driver, width, min(max(full, height), 4000))
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))
        viewport(driver, width, height)


CLIPPED_SCRIPT = """
const width = window.innerWidth, out = [];
for (const node of document.querySelectorAll('button, h1, h2, h3, label, legend, th, td, a, p, dt, dd, select, input, .badge, .table-wrap')) {
  const box = node.getBoundingClientRect();
  if (!box.width || !box.height || node.closest('.skip')) continue;  // the skip link waits off-screen
  if (box.left < -1 || box.right > width + 1 || node.scrollWidth > node.clientWidth + 1)
    out.push((node.id || node.className || node.tagName) + ' ' + JSON.stringify(node.textContent.slice(0, 40)) + ' ' +
             JSON.stringify([Math.round(box.left), Math.round(box.right), node.scrollWidth, node.clientWidth]));
}
if (document.documentElement.scrollWidth > width + 1) out.push('page scrolls sideways');
return out;
"""


def clipped(driver) -> list[str]:
    """The visible controls, headings and cells that do not fit across the screen (or in their box)."""
    return driver.execute_script(CLIPPED_SCRIPT)


def running_site(tmp_path: Path):
    """`district-server serve` over a seeded SQLite file, ``site.kiosk`` pushing ratings to it (a
    generator for a fixture). The 整改 period reaches into a year the holiday library does not
    know yet, so the orders carry the weekends-only flag."""
    db = tmp_path / "district.db"
    seed(f"sqlite:///{db}", {"rectify_working_days": 30})
    server = DistrictServer(db).start()
    try:
        server.kiosk = Kiosk(server)
        yield server
    finally:
        server.stop()


def browsers(tmp_path: Path):
    """Opens chromium drivers on demand; quits them all (a generator for a fixture)."""
    drivers = []

    def open_browser(size: tuple[int, int] = (1366, 768)):
        driver = chromium(tmp_path, size)
        drivers.append(driver)
        return driver

    try:
        yield open_browser
    finally:
        for driver in drivers:
            driver.quit()
