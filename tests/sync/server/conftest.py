"""Fixtures for the district server: every protocol test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sync.server.app import create_app
from sync.server.db import make_engine
from sync.server.migrations import upgrade
from sync.server.settings import ServerSettings

from district_kiosk_client import KioskClient, enrol
from district_process import migrated_database, postgres_url

_db_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_url() -> Any:
    with postgres_url() as url:
        yield url


@pytest.fixture(scope="session")
def pg_template(pg_url: str) -> str:
    """A migrated template database; each test gets a fresh copy of it."""
    with migrated_database(pg_url, f"kiosk_tpl_{os.getpid()}") as url:
        yield make_url(url).database


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'district.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    pg_url = request.getfixturevalue("pg_url")
    template = request.getfixturevalue("pg_template")
    name = f"kiosk_t_{os.getpid()}_{next(_db_counter)}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class FakeClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(clock: FakeClock) -> ServerSettings:
    return ServerSettings(clock=clock)


@pytest.fixture
def server(db_url: str, settings: ServerSettings) -> Any:
    app = create_app(db_url, settings=settings)
    with TestClient(app) as client:
        yield client
    app.state.server.engine.dispose()


@pytest.fixture
def kiosk(server: TestClient, db_url: str, clock: FakeClock) -> KioskClient:
    return enrol(server, db_url, clock=clock)
