"""A district server (real process) whose catalogue carries the phone pages' URL, a station service
enrolled with it with one counter, and a kiosk enrolled through the station: the phone page's
whole path on loopback. Imported by name from tests/phone and tests/bench."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "station"), str(Path(__file__).resolve().parents[1] / "counter")]

from district_process import DistrictServer  # noqa: E402
from station_harness import PROJECT, Site, env, kiosk  # noqa: E402

COUNTER = ("w1", "一号窗口", "1111")
HERE = Path(__file__).resolve().parent


def import_catalogue_with_page_url(district: DistrictServer, root: Path) -> None:
    document = json.loads((PROJECT / "assets" / "catalogue" / "yanta.json").read_text(encoding="utf-8"))
    document["config"]["ticket_url"] = f"{district.url}/t/{{token}}"
    path = root / "catalogue-with-page-url.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    district.cli("import-catalogue", str(path))


def phone_site(root: Path, district: DistrictServer) -> tuple[Site, Path]:
    """The station running with counter w1 (一号窗口, PIN 1111) and kiosk YT-XZ-01 enrolled through it,
    which has pulled the district's page URL."""
    import_catalogue_with_page_url(district, root)
    site = Site(root, district)
    site.enrol_station()
    site.add_counters(COUNTER)
    site.station.start()
    k1 = site.add_kiosk("YT-XZ-01", 1, 499)
    deadline = time.monotonic() + 60
    while page_url_of(root / "YT-XZ-01") != f"{district.url}/t/{{token}}":
        assert time.monotonic() < deadline, "the kiosk never got the district's ticket_url through the station"
        kiosk(k1, "sync", "--now", check=False)
        time.sleep(0.5)
    return site, k1


def page_url_of(data_dir: Path) -> str | None:
    from kiosk.store.engine import connect
    from kiosk.store.tickets import district_page_url

    db = connect(data_dir / "kiosk.sqlite3")
    try:
        return district_page_url(db)
    finally:
        db.close()


def print_ticket(config: Path) -> dict:
    """A ticket issued and printed on the kiosk's simulated printer (print_ticket.py)."""
    done = subprocess.run([sys.executable, str(HERE / "print_ticket.py"), str(config)], env=env(), cwd=PROJECT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def wait_page(url: str, timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.get(url, timeout=5)
        if answer.status_code == 200:
            return answer
        assert time.monotonic() < deadline, f"{url} answered {answer.status_code} for {timeout} s"
        time.sleep(0.2)
