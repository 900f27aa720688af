"""Fixtures of the publishing tests: the district app over SQLite and PostgreSQL with the demo
catalogue imported and staff accounts of two roles, each logged in through the console API."""

from __future__ import annotations

import json
import sys
import os
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from district_process import migrated_database, postgres_url
from sync.server.app import create_app
from sync.server.db import make_engine, transaction
from sync.server.settings import ServerSettings

PROJECT = Path(__file__).resolve().parents[2]
CATALOGUE = PROJECT / "assets" / "catalogue" / "yanta.json"
PASSWORD = "correct horse battery"
ORIGIN = "http://testserver"


def seed(db_url: str) -> None:
    from sync.server.catalogue import import_catalogue, parse_catalogue
    from sync.server.console.accounts import add_user
    from sync.server.migrations import upgrade
    from sync.server.models import StaffUser

    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with transaction(sessionmaker(engine)) as session:
            document = json.loads(CATALOGUE.read_text(encoding="utf-8"))
            import_catalogue(session, parse_catalogue(document), time.time())
            admin = add_user(session, "admin", "district_admin", PASSWORD, time.time())
            session.add(StaffUser(name="head", role="station_head", station_id="yt-xiaozhai", unit=None,
                                  password_hash=admin.password_hash, created_at=time.time()))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def publishing_pg_url() -> Any:
    with postgres_url() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'district.db'}"
        seed(url)
        yield url
        return
    pg = request.getfixturevalue("publishing_pg_url")
    with migrated_database(pg, f"kiosk_pub_{os.getpid()}_{time.monotonic_ns() % 10**9}") as url:
        seed(url)
        yield url


@pytest.fixture
def app_client(db_url: str) -> Any:
    app = create_app(db_url, settings=ServerSettings())
    with TestClient(app) as client:
        yield client
    app.state.server.engine.dispose()


class Console:
    """One account logged in through the console API, sending Origin and CSRF as the pages do."""

    def __init__(self, client: TestClient, name: str):
        answer = client.post("/console/api/login", json={"name": name, "password": PASSWORD},
                             headers={"Origin": ORIGIN})
        assert answer.status_code == 200, answer.text
        self.client, self.token, self.csrf = client, answer.cookies.get("district-console"), answer.json()["csrf"]
        client.cookies.clear()

    def get(self, path: str) -> Any:
        return self.client.get(path, headers={"Cookie": f"district-console={self.token}"})

    def post(self, path: str, body: Any, *, csrf: bool = True) -> Any:
        headers = {"Cookie": f"district-console={self.token}", "Origin": ORIGIN}
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        return self.client.post(path, json=body, headers=headers)


@pytest.fixture
def admin(app_client: TestClient) -> Console:
    return Console(app_client, "admin")


@pytest.fixture
def head(app_client: TestClient) -> Console:
    return Console(app_client, "head")


# The console's browser helpers live beside the console's own page tests (tests/district).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "district"))
