"""Helpers of the district console tests: staff accounts, logged-in sessions, poor ratings that
open work orders, and orders forced into a state (tests/sync/server/test_console_*.py)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from district_kiosk_client import make_op, served_rating
from sync.server.console.accounts import add_user
from sync.server.db import make_engine, transaction

ORIGIN = "http://testserver"
PASSWORD = "correct horse battery"
STATION = "yt-xiaozhai"
UNIT = "区人社局"


def sql(db_url: str, statement: str, **params: Any) -> list[tuple]:
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return [tuple(row) for row in result.all()] if result.returns_rows else []
    finally:
        engine.dispose()


_HASH: list[str] = []


def add_staff(db_url: str, *accounts: tuple[str, str, dict[str, str]]) -> None:
    """Accounts as (name, role, {"station_id": …} or {"unit": …}), all with PASSWORD (hashed once
    per test run: an Argon2id hash costs a third of a second here)."""
    from sync.server.models import StaffUser

    engine = make_engine(db_url)
    try:
        with transaction(sessionmaker(engine)) as session:
            for name, role, scope in accounts:
                if not _HASH:
                    _HASH.append(add_user(session, name, role, PASSWORD, time.time(), **scope).password_hash)
                    continue
                session.add(StaffUser(name=name, role=role, station_id=scope.get("station_id"),
                                      unit=scope.get("unit"), password_hash=_HASH[0], created_at=time.time()))
    finally:
        engine.dispose()


STAFF = (("admin", "district_admin", {}), ("head", "station_head", {"station_id": STATION}),
         ("other-head", "station_head", {"station_id": "yt-elsewhere"}), ("renshe", "unit", {"unit": UNIT}),
         ("other-unit", "unit", {"unit": "区民政局"}), ("caller", "caller", {}))


class Staff:
    """One logged-in account speaking to the console API through the app's TestClient."""

    def __init__(self, client: Any, token: str, csrf: str, cookie: str = "district-console"):
        self.client, self.token, self.csrf, self.cookie = client, token, csrf, cookie

    def headers(self, csrf: bool, origin: str | None, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Cookie": f"{self.cookie}={self.token}"}
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        if origin:
            headers["Origin"] = origin
        headers.update(extra or {})
        return headers

    def get(self, path: str, **extra: str) -> Any:
        return self.client.get(path, headers=self.headers(False, None, extra))

    def post(self, path: str, body: Any = None, *, csrf: bool = True, origin: str | None = ORIGIN,
             extra: dict[str, str] | None = None) -> Any:
        return self.client.post(path, json={} if body is None else body, headers=self.headers(csrf, origin, extra))


def login(client: Any, name: str, password: str = PASSWORD, **headers: str) -> Any:
    response = client.post("/console/api/login", json={"name": name, "password": password},
                           headers={"Origin": ORIGIN, **headers})
    client.cookies.clear()  # each Staff sends its own cookie
    return response


def staff(client: Any, name: str) -> Staff:
    response = login(client, name)
    assert response.status_code == 200, response.text
    token = response.cookies.get("district-console")
    return Staff(client, token, response.json()["csrf"])


def poor_ratings(kiosk: Any, count: int = 1, *, phone: str = "13800000001", comment: str = "等了很久没人管",
                 service_code: str = "SB-KSL", rated_at: str = "2026-11-20T10:00:00+08:00",
                 **changes: Any) -> list[dict[str, Any]]:
    """Push ``count`` served tickets and their level-1 ratings; returns the ratings."""
    served = [served_rating(level=1, reasons=["attitude"], contact_phone=phone, comment=comment,
                            service_code=service_code, rated_at=rated_at, **changes) for _ in range(count)]
    ops = [make_op(kiosk.take_seq(), "ticket", ticket) for ticket, _ in served]
    ops += [make_op(kiosk.take_seq(), "rating", rating) for _, rating in served]
    response = kiosk.push(ops)
    assert response.status_code == 200, response.text
    assert all(r["status"] == "applied" for r in response.json()["results"]), response.text
    return [rating for _, rating in served]


def order_of(db_url: str, rating_id: str) -> str:
    return sql(db_url, "SELECT order_id FROM work_orders WHERE rating_id = :r", r=rating_id)[0][0]


def force_state(db_url: str, order_id: str, state: str, appealed_from: str | None = None) -> None:
    sql(db_url, "UPDATE work_orders SET state = :s, appealed_from = :a, closed_at = NULL WHERE order_id = :o",
        s=state, a=appealed_from, o=order_id)


def catalogue(db_url: str, document: dict[str, Any]) -> None:
    from sync.server.catalogue import import_catalogue, parse_catalogue

    engine = make_engine(db_url)
    try:
        with transaction(sessionmaker(engine)) as session:
            import_catalogue(session, parse_catalogue(document), time.time())
    finally:
        engine.dispose()


SERVICES = {"services": [{"code": "SB-KSL", "name": "社会保障卡申领", "department": UNIT},
                         {"code": "MZ-DB", "name": "低保申请", "department": "区民政局"},
                         {"code": "NO-DEPT", "name": "无部门事项"}]}
