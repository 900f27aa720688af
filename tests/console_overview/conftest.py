"""Fixtures of the overview's tests: a business day of three catalogue stations (overview_day.py)
in a migrated database, on SQLite and on PostgreSQL ($KIOSK_TEST_PG_URL or a throwaway cluster),
with staff accounts of every role, and the district server's app over it with its clock set."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

# the console's browser helpers (tests/district/console_browser.py) are shared with its page tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "district"))

from district_process import migrated_database, postgres_url  # noqa: E402
from overview_day import OverviewDay  # noqa: E402
from overview_site import DAY, NOW, ORIGIN, PASSWORD, STAFF, STATIONS, seed  # noqa: E402


@pytest.fixture(scope="session")
def overview_day() -> OverviewDay:
    return OverviewDay(DAY, list(STATIONS)).build(NOW)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def overview_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                overview_day: OverviewDay) -> Any:
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('overview')) / 'district.db'}"
        seed(url, overview_day)
        yield url
        return
    with postgres_url() as pg_url, \
            migrated_database(pg_url, f"kiosk_ov_{os.getpid()}_{request.module.__name__[-8:]}") as url:
        seed(url, overview_day)
        yield url


@pytest.fixture(scope="module")
def api(overview_db: str) -> Any:
    """(client, {name: cookie}) of the app over the day, its clock at NOW."""
    from sync.server.app import create_app
    from sync.server.settings import ServerSettings

    app = create_app(overview_db, settings=ServerSettings(clock=lambda: NOW.timestamp()))
    with TestClient(app) as client:
        cookies = {}
        for name in STAFF:
            response = client.post("/console/api/login", json={"name": name, "password": PASSWORD},
                                   headers={"Origin": ORIGIN})
            assert response.status_code == 200, response.text
            cookies[name] = response.cookies.get("district-console")
            client.cookies.clear()
        yield client, cookies
    app.state.server.engine.dispose()
