"""Fixtures of the station tests: a district server on PostgreSQL, a station service enrolled with
it (its district link through a fault proxy), and kiosks enrolled through the station."""

from __future__ import annotations

import itertools
import os

import pytest

from district_process import DistrictServer, migrated_database, postgres_url
from link_cut import LinkCut
from station_harness import Site

_names = itertools.count()


@pytest.fixture(scope="session")
def station_pg_url():
    with postgres_url() as url:
        yield url


@pytest.fixture
def pg_district(station_pg_url):
    with migrated_database(station_pg_url, f"kiosk_station_{os.getpid()}_{next(_names)}") as url:
        server = DistrictServer(url).start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def site(tmp_path, pg_district):
    """The station enrolled and running, its district link through ``site.district_link`` (a
    LinkCut the test may cut); no kiosks yet."""
    with LinkCut(pg_district.port) as link:
        site = Site(tmp_path, pg_district, district_url=link.url)
        site.district_link = link
        site.enrol_station()
        site.station.start()
        try:
            yield site
        finally:
            site.close()


@pytest.fixture
def sqlite_site(tmp_path):
    """The station enrolled and running, the district on SQLite and reached directly: for tests
    about the station itself, not the district's database."""
    district = DistrictServer(tmp_path / "district.db").start()
    site = Site(tmp_path, district)
    site.enrol_station()
    site.station.start()
    try:
        yield site
    finally:
        site.close()
        district.stop()
