"""Fixtures of the fleet tests: the district app over SQLite and PostgreSQL ($KIOSK_TEST_PG_URL or
a throwaway cluster), with a fake clock, the demo catalogue and staff accounts."""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "sync" / "server")]
from district_process import migrated_database, postgres_url  # noqa: E402

PROJECT = Path(__file__).resolve().parents[2]
_names = itertools.count()


class FakeClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def fleet_pg_url() -> Any:
    with postgres_url() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def fleet_db(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    from district_console import STAFF, add_staff, catalogue
    from sync.server.db import make_engine
    from sync.server.migrations import upgrade

    def seeded(url: str) -> str:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        document = json.loads((PROJECT / "assets" / "catalogue" / "yanta.json").read_text(encoding="utf-8"))
        catalogue(url, document)
        add_staff(url, *STAFF)
        return url

    if request.param == "sqlite":
        yield seeded(f"sqlite:///{tmp_path / 'district.db'}")
        return
    with migrated_database(request.getfixturevalue("fleet_pg_url"), f"kiosk_fleet_{os.getpid()}_{next(_names)}") as url:
        yield seeded(url)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def district(fleet_db: str, clock: FakeClock) -> Any:
    from sync.server.app import create_app
    from sync.server.settings import ServerSettings

    app = create_app(fleet_db, settings=ServerSettings(clock=clock))
    with TestClient(app) as client:
        client.db_url = fleet_db
        yield client
    app.state.server.engine.dispose()
