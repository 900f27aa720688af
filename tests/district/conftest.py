"""Fixtures of the district tests: the small generated district (tests/district_year.py) in a
migrated database, on SQLite and on PostgreSQL ($KIOSK_TEST_PG_URL or a throwaway cluster)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from district_process import migrated_database, postgres_url
from district_year import DistrictData


@pytest.fixture(scope="session")
def small_district() -> DistrictData:
    return DistrictData.small()


@pytest.fixture(scope="session")
def small_rows(small_district: DistrictData) -> dict[str, list[dict[str, Any]]]:
    return small_district.collect()


@pytest.fixture(scope="session")
def figures_pg_url() -> Any:
    with postgres_url() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def figures_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               small_district: DistrictData) -> Any:
    """A database holding the small district, shared by the tests of a module (they only read)."""
    if request.param == "sqlite":
        from sync.server.db import make_engine
        from sync.server.migrations import upgrade

        url = f"sqlite:///{Path(tmp_path_factory.mktemp('figures')) / 'district.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        small_district.write(url)
        yield url
        return
    pg_url = request.getfixturevalue("figures_pg_url")
    with migrated_database(pg_url, f"kiosk_fig_{os.getpid()}_{request.module.__name__[-8:]}") as url:
        small_district.write(url)
        yield url
