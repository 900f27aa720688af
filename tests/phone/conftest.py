"""Fixtures of the phone page tests: the district app on SQLite and PostgreSQL (in-process), and a
whole station on loopback (real processes) for the end-to-end tests."""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "sync" / "server"),
                str(Path(__file__).resolve().parents[1] / "station")]

from district_process import migrated_database, postgres_url  # noqa: E402
from sync.server.app import create_app  # noqa: E402
from sync.server.db import make_engine  # noqa: E402
from sync.server.migrations import upgrade  # noqa: E402
from sync.server.settings import ServerSettings  # noqa: E402

_names = itertools.count()


@pytest.fixture(scope="session")
def phone_pg_url():
    with postgres_url() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def phone_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'district.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    with migrated_database(request.getfixturevalue("phone_pg_url"), f"kiosk_phone_{os.getpid()}_{next(_names)}") as url:
        yield url


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def phone_clock() -> Clock:
    return Clock()


@pytest.fixture
def district_app(phone_db_url: str, phone_clock: Clock) -> Any:
    app = create_app(phone_db_url, settings=ServerSettings(clock=phone_clock))
    with TestClient(app, base_url="http://district.test") as client:
        yield client
    app.state.server.engine.dispose()
