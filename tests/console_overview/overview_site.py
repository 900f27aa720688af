"""What the overview's tests share: the day they read, the staff accounts, and how a database is
seeded with the demo catalogue, the accounts and a generated day (overview_day.py)."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

from overview_day import CHINA, OverviewDay

PROJECT = Path(__file__).resolve().parents[2]
CATALOGUE = PROJECT / "assets" / "catalogue" / "yanta.json"
DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 28, 2, 30, tzinfo=CHINA)  # still the business day of the 27th (it turns at 04:00)
STATIONS = ("yt-xiaozhai", "yt-dayanta", "yt-qujiang")
PASSWORD = "correct horse battery"
ORIGIN = "http://testserver"
# name -> (role, station, unit)
STAFF = {"admin": ("district_admin", None, None), "head": ("station_head", STATIONS[0], None),
         "head2": ("station_head", STATIONS[1], None), "renshe": ("unit", None, "区人社局"),
         "caller": ("caller", None, None)}


def seed(db_url: str, day: OverviewDay) -> None:
    """The demo catalogue, the staff accounts (one Argon2id hash shared) and the day's rows."""
    from sync.server.catalogue import import_catalogue, parse_catalogue
    from sync.server.console.accounts import add_user
    from sync.server.db import make_engine, transaction
    from sync.server.migrations import upgrade
    from sync.server.models import StaffUser

    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with transaction(sessionmaker(engine)) as session:
            import_catalogue(session, parse_catalogue(json.loads(CATALOGUE.read_text(encoding="utf-8"))), time.time())
            hashed = None
            for name, (role, station, unit) in STAFF.items():
                if hashed is None:
                    hashed = add_user(session, name, role, PASSWORD, time.time()).password_hash
                    continue
                session.add(StaffUser(name=name, role=role, station_id=station, unit=unit, password_hash=hashed,
                                      created_at=time.time()))
    finally:
        engine.dispose()
    day.write(db_url)


def get(api: Any, who: str | None, path: str, **params: str) -> Any:
    client, cookies = api
    headers = {"Cookie": f"district-console={cookies[who]}"} if who else {}
    return client.get(path, params=params, headers=headers)
