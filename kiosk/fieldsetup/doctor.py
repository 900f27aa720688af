"""`kiosk doctor all`: everything a technician checks on site, as one JSON-able report.

``doctor_all(config)`` returns ``(report, exit_code)``: exit 0 when nothing needs a technician,
1 otherwise, with one line per problem in ``report["problems"]``. It never raises, never prints a
test page, opens the local store read-only and reports no personal data (an ID card laid on the
reader during the check is reported as present, nothing more). A reader or printer another process
holds open (the running kiosk) is not touched: its faults reach ``last_errors`` through the kiosk.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

EXIT_OK = 0
EXIT_PROBLEMS = 1
MIN_FREE_MB = 500
MAX_CLOCK_OFFSET_S = 60.0
MAX_PENDING_AGE_S = 24 * 3600
IDCARD_TIMEOUT_S = 1.0
HTTP_TIMEOUT_S = 5.0
ERROR_EVENTS = ("device_fault", "sync_error")


def doctor_all(config, *, idcard_timeout: float = IDCARD_TIMEOUT_S, http_timeout: float = HTTP_TIMEOUT_S,
               now: datetime | None = None) -> tuple[dict, int]:
    now = now or datetime.now(timezone.utc)
    problems: list[str] = []
    store = store_report(config.database_path, now, problems, server=config.sync.server)
    report = {
        "kiosk": {"id": config.kiosk.id, "station_id": config.kiosk.station_id, "version": _version(),
                  "config": config.source},
        "devices": {"idcard": idcard_report(config.devices.idcard, idcard_timeout, problems),
                    "printer": printer_report(config, problems)},
        "disk": disk_report(config.kiosk.data_dir, problems),
        "clock": clock_report(config.sync.server, http_timeout, problems),
        **store,
    }
    report["problems"] = problems
    return report, EXIT_PROBLEMS if problems else EXIT_OK


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("service-circle-kiosk")
    except PackageNotFoundError:
        return "0+unknown"


def idcard_report(url: str, timeout: float, problems: list[str]) -> dict:
    """The reader is asked for its SAM status and a card only when it is a serial device."""
    scheme = url.partition("://")[0]
    if scheme != "serial":
        return {"url": url, "checked": False}
    from drivers.idcard.doctor import doctor_idcard

    parts = urlsplit(url)
    holders = device_holders(parts.path)
    if holders:
        return {"url": url, "checked": False, "in_use_by": holders}
    try:
        baudrate = int(parse_qs(parts.query).get("baudrate", ["115200"])[0])
    except ValueError:
        baudrate = 115200
    result, code = doctor_idcard(parts.path, baudrate=baudrate, timeout=timeout, reveal=False)
    if code == 0:
        return {"url": url, "checked": True, "ready": True, "card_present": True}
    if result.get("error") == "no_card":
        return {"url": url, "checked": True, "ready": True, "card_present": False}
    detail = result.get("detail") or ""
    problems.append(f"ID card reader {parts.path}: {result.get('error')}" + (f" ({detail})" if detail else ""))
    return {"url": url, "checked": True, "ready": False, "error": result.get("error"), "detail": detail}


def device_holders(device: str) -> list[int]:
    """Other processes that have ``device`` open (the running kiosk's device workers): the doctor
    leaves such a device alone rather than steal bytes from its owner. Needs root to see them all."""
    try:
        target = os.path.realpath(device)
        if not os.path.exists(target):
            return []
        target_stat = os.stat(target)
    except OSError:
        return []
    wanted = (target_stat.st_dev, target_stat.st_ino, target_stat.st_rdev)
    holders = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                st = os.stat(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if (st.st_dev, st.st_ino, st.st_rdev) == wanted:
                holders.append(int(pid))
                break
    return sorted(holders)


def printer_report(config, problems: list[str]) -> dict:
    """Printer status only: no test page."""
    url = config.devices.printer
    if url.startswith("none:"):
        return {"url": url, "checked": False}
    scheme = url.partition("://")[0]
    device = urlsplit(url).path if scheme in ("serial", "file") else ""
    if device and not Path(device).exists():
        problems.append(f"printer {url}: {device} is missing (cable, power, or the udev rules)")
        return {"url": url, "checked": True, "ready": False, "online": False, "paper": "unknown",
                "cover_open": None, "error": "device_missing"}
    holders = device_holders(device) if device else []
    if holders:
        return {"url": url, "checked": False, "in_use_by": holders}
    from drivers.printer.doctor import doctor_printer

    result, code = doctor_printer(url, test_print=False)
    report = {"url": url, "checked": True, "ready": code == 0, "online": result["online"],
              "paper": result["paper"], "cover_open": result["cover_open"], "error": result["error"]}
    if code != 0:
        why = result["error"] or "not ready"
        extra = [f"paper {result['paper']}"] if result["paper"] not in ("ok", "unknown") else []
        extra += ["cover open"] if result["cover_open"] else []
        problems.append(f"printer {url}: {why}" + (f" ({', '.join(extra)})" if extra else ""))
    return report


def disk_report(data_dir: Path, problems: list[str]) -> dict:
    probe = data_dir
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    usage = shutil.disk_usage(probe)
    free_mb = usage.free // (1024 * 1024)
    report = {"path": str(data_dir), "exists": data_dir.is_dir(), "free_mb": free_mb,
              "total_mb": usage.total // (1024 * 1024)}
    if not report["exists"]:
        problems.append(f"data directory {data_dir} is missing (the installer creates it, owned by kiosk)")
    if free_mb < MIN_FREE_MB:
        problems.append(f"disk: {free_mb} MB free for {data_dir}, under {MIN_FREE_MB} MB")
    return report


def clock_report(server: str, timeout: float, problems: list[str]) -> dict | None:
    """Offset of the local clock to the server's Date header (positive: the server is ahead)."""
    if not server:
        return None
    import requests

    url = server.rstrip("/") + "/v1/health"
    try:
        started = time.time()
        response = requests.head(url, timeout=timeout, allow_redirects=True)
        if response.status_code >= 400 or "Date" not in response.headers:
            started = time.time()
            response = requests.get(url, timeout=timeout)
        local = (started + time.time()) / 2
    except requests.RequestException as exc:
        problems.append(f"sync server {server} unreachable: {type(exc).__name__}")
        return {"server": server, "reachable": False, "offset_s": None, "error": type(exc).__name__}
    report = {"server": server, "reachable": True, "status": response.status_code, "offset_s": None}
    if response.status_code >= 400:
        problems.append(f"sync server {server}: /v1/health answered {response.status_code}")
    try:
        server_time = parsedate_to_datetime(response.headers["Date"]).timestamp()
    except (KeyError, TypeError, ValueError):
        problems.append(f"sync server {server}: no Date header to compare the clock with")
        return report
    report["offset_s"] = round(server_time - local, 1)
    if abs(report["offset_s"]) > MAX_CLOCK_OFFSET_S:
        problems.append(f"clock: {report['offset_s']:+.0f} s off the sync server (allowed ±{MAX_CLOCK_OFFSET_S:.0f} s)")
    return report


def store_report(path: Path, now: datetime, problems: list[str], *, server: str) -> dict:
    """Sync queue, dead letters and the last device and sync errors, read from the store read-only."""
    empty = {"sync": {"pending": 0, "oldest_pending_age_s": None, "dead_letters": 0}, "last_errors": []}
    if not path.exists():
        return {"store": {"path": str(path), "exists": False, "revision": None}, **empty}
    from kiosk.store.engine import HEAD_REVISION

    try:
        db = _open_read_only(path)
    except sqlite3.Error as exc:
        problems.append(f"local store {path}: {exc}")
        return {"store": {"path": str(path), "exists": True, "revision": None}, **empty}
    try:
        revision = _revision(db)
        store = {"path": str(path), "exists": True, "revision": revision, "head": HEAD_REVISION}
        if revision != HEAD_REVISION:
            problems.append(f"local store at schema {revision}, this version needs {HEAD_REVISION}: "
                            "run the upgrade (docs/technician.md)")
            return {"store": store, **empty}
        pending, oldest = db.execute(
            "SELECT count(*), min(created_at) FROM outbox WHERE state = 'pending'").fetchone()
        dead = db.execute("SELECT count(*) FROM outbox WHERE state = 'rejected'").fetchone()[0]
        marks = ",".join("?" * len(ERROR_EVENTS))
        rows = db.execute(f"SELECT type, at, detail FROM events WHERE type IN ({marks}) "
                          "ORDER BY at DESC, rowid DESC LIMIT 10", ERROR_EVENTS).fetchall()
    except sqlite3.Error as exc:
        problems.append(f"local store {path}: {exc}")
        return {"store": {"path": str(path), "exists": True, "revision": None}, **empty}
    finally:
        db.close()
    age = _age_s(oldest, now)
    if dead:
        problems.append(f"sync: {dead} dead letter(s), ops the district refused (technician screen lists them)")
    if server and age is not None and age > MAX_PENDING_AGE_S:
        problems.append(f"sync: {pending} op(s) waiting, the oldest for {age / 3600:.0f} h")
    return {"store": store, "sync": {"pending": pending, "oldest_pending_age_s": age, "dead_letters": dead},
            "last_errors": [{"type": t, "at": a, "detail": _detail(d)} for t, a, d in rows]}


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Without a -wal file nobody is writing and everything is in the main file: open it immutable,
    which creates no -wal or -shm file (root-owned ones would lock the kiosk user out). With one,
    a running kiosk owns them: read through them."""
    uri = path.resolve().as_uri()
    wal = path.with_name(path.name + "-wal")
    if not wal.exists():
        return sqlite3.connect(f"{uri}?immutable=1", uri=True)
    return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=5.0)


def _revision(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def _age_s(stamp: str | None, now: datetime) -> int | None:
    if not stamp:
        return None
    try:
        then = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    return max(0, int((now - then).total_seconds()))


def _detail(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return text
