"""Benchmark (run explicitly): a district of 30 stations over a year on PostgreSQL, about 3 M
tickets, 1 M ratings and 30 k work orders (tests/district_year.py), and the console's figures read
through `district-server serve` over HTTP.

    KIOSK_TEST_PG_URL=... .venv/bin/python -m pytest tests/bench/test_bench_district_figures.py -s -p no:randomly

What is measured, in the same run on the same database:
- the overview (the whole district, one month) and one station's month: GET /console/api/figures,
  20 requests each after one warm-up, p50 and p95 of the wall time of each request (HTTP, session
  check, both queries, the tally, JSON);
- the floor: `SELECT count(*)` over the same month's ratings (the same WHERE on rated_ts, and the
  station), from one psycopg connection, 20 times; the figures are reported as a ratio to it;
- the monthly export of the whole district (GET /console/api/figures/export.xlsx), 3 times.
Targets: the two pages ≤ 1 s at p95, the export ≤ 10 s. The year is generated afresh in each run
(its time is printed); BENCH_FIGURES_DB=URL reuses a database that holds it, with an account
`admin` of the password below, to measure again without generating.
"""

from __future__ import annotations

import os
import statistics
import time

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from sync.server.console.accounts import add_user
from sync.server.db import make_engine, transaction
from sync.server.figures.month import Month

from district_process import DistrictServer, migrated_database, postgres_url
from district_year import DistrictData

MONTH = os.environ.get("BENCH_FIGURES_MONTH", "2026-11")
REQUESTS = 20
PASSWORD = "bench password 2026"
PAGE_P95_S, EXPORT_S = 1.0, 10.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@pytest.fixture(scope="module")
def year_db():
    kept = os.environ.get("BENCH_FIGURES_DB")  # a database a previous run generated (see keep_year_db)
    if kept:
        yield kept, DistrictData.year()
        return
    with postgres_url() as pg_url, migrated_database(pg_url, f"kiosk_bench_fig_{os.getpid()}") as url:
        data = DistrictData.year()
        started = time.perf_counter()
        counts = data.write(url)
        print(f"\ngenerated a district year: {counts} in {time.perf_counter() - started:.0f} s")
        assert counts["ticket"] > 2_700_000 and counts["rating"] > 900_000 and counts["order"] > 25_000
        engine = make_engine(url)
        with transaction(sessionmaker(engine)) as session:
            add_user(session, "admin", "district_admin", PASSWORD, time.time())
        engine.dispose()
        yield url, data


@pytest.fixture(scope="module")
def console(year_db):
    url, data = year_db
    server = DistrictServer(url).start(timeout=60)
    try:
        http = requests.Session()
        response = http.post(server.url + "/console/api/login", json={"name": "admin", "password": PASSWORD},
                             headers={"Origin": server.url})
        assert response.status_code == 200, response.text
        yield server.url, http, url, data
    finally:
        server.stop(timeout=20)


def timed_get(http: requests.Session, url: str, **params: str) -> tuple[float, requests.Response]:
    started = time.perf_counter()
    response = http.get(url, params=params, timeout=60)
    return time.perf_counter() - started, response


def floor_times(db_url: str, station: str | None) -> list[float]:
    start, end = Month.parse(MONTH).bounds()
    sql = "SELECT count(*) FROM ratings WHERE rated_ts >= %s AND rated_ts < %s"
    params: list = [start, end]
    if station:
        sql, params = sql + " AND station_id = %s", params + [station]
    conninfo = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    times = []
    with psycopg.connect(conninfo) as connection:
        connection.execute(sql, params).fetchone()  # warm
        for _ in range(REQUESTS):
            started = time.perf_counter()
            connection.execute(sql, params).fetchone()
            times.append(time.perf_counter() - started)
    return times


@pytest.mark.parametrize("scope", ["overview", "station"])
def test_a_month_of_figures_renders_within_a_second(console, scope):
    base, http, db_url, data = console
    station = data.stations[7]["id"] if scope == "station" else None
    params = {"month": MONTH, **({"station": station} if station else {})}
    timed_get(http, base + "/console/api/figures", **params)  # warm-up
    times = []
    for _ in range(REQUESTS):
        elapsed, response = timed_get(http, base + "/console/api/figures", **params)
        assert response.status_code == 200, response.text
        times.append(elapsed)
    body = response.json()
    floor = floor_times(db_url, station)
    p50, p95, f50, f95 = (statistics.median(times), percentile(times, 0.95), statistics.median(floor),
                          percentile(floor, 0.95))
    print(f"\nfigures {scope} {MONTH}: {body['totals']['ratings']} ratings, {body['totals']['poor']} poor; "
          f"p50 {p50 * 1000:.0f} ms p95 {p95 * 1000:.0f} ms | floor SELECT count(*) p50 {f50 * 1000:.1f} ms "
          f"p95 {f95 * 1000:.1f} ms | ratio p50 {p50 / f50:.1f}x p95 {p95 / f95:.1f}x")
    assert body["totals"]["ratings"] > (60_000 if station is None else 2_000)
    assert p95 <= PAGE_P95_S


def test_the_monthly_export_takes_under_ten_seconds(console):
    base, http, _db_url, _data = console
    times = []
    for _ in range(3):
        elapsed, response = timed_get(http, base + "/console/api/figures/export.xlsx", month=MONTH)
        assert response.status_code == 200 and response.content[:2] == b"PK"
        times.append(elapsed)
    print(f"\nmonthly export {MONTH} (whole district): {len(response.content) / 1024:.0f} KiB, "
          f"min {min(times):.2f} s max {max(times):.2f} s")
    assert max(times) <= EXPORT_S
