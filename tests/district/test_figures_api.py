"""GET /console/api/figures and /figures/export.xlsx: who sees which figures, bad and empty months,
and the workbook itself, opened with openpyxl and converted by LibreOffice (headless)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from sync.server.app import create_app
from sync.server.console.accounts import add_user
from sync.server.db import make_engine, transaction
from sync.server.models import StaffUser
from sync.server.settings import ServerSettings

ORIGIN = "http://testserver"
PASSWORD = "correct horse battery"
ROUTES = ("/console/api/figures", "/console/api/figures/export.xlsx")
SHEETS = ["汇总", "按站点", "按事项", "按窗口", "按渠道", "差评工单"]
PHONE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture(scope="module")
def api(figures_db: str, small_district: Any) -> Any:
    stations = [s["id"] for s in small_district.stations]
    engine = make_engine(figures_db)
    with transaction(sessionmaker(engine)) as session:
        hashed = add_user(session, "admin", "district_admin", PASSWORD, time.time()).password_hash
        for name, role, station, unit in (("head", "station_head", stations[0], None),
                                          ("head2", "station_head", stations[1], None),
                                          ("renshe", "unit", None, "区人社局"), ("caller", "caller", None, None)):
            session.add(StaffUser(name=name, role=role, station_id=station, unit=unit, password_hash=hashed,
                                  created_at=time.time()))
    engine.dispose()
    app = create_app(figures_db, settings=ServerSettings(clock=lambda: small_district.as_of))
    with TestClient(app) as client:
        cookies = {}
        for name in ("admin", "head", "head2", "renshe", "caller"):
            response = client.post("/console/api/login", json={"name": name, "password": PASSWORD},
                                   headers={"Origin": ORIGIN})
            assert response.status_code == 200, response.text
            cookies[name] = response.cookies.get("district-console")
            client.cookies.clear()
        yield client, cookies, stations
    app.state.server.engine.dispose()


def get(api: Any, who: str | None, path: str, **params: str) -> Any:
    client, cookies, _stations = api
    headers = {"Cookie": f"district-console={cookies[who]}"} if who else {}
    return client.get(path, params=params, headers=headers)


@pytest.mark.parametrize("path", ROUTES)
def test_who_sees_which_figures(api, path):
    _client, _cookies, (first, second) = api
    assert get(api, None, path, month="2026-11").status_code == 401
    for who in ("renshe", "caller"):
        response = get(api, who, path, month="2026-11")
        assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert get(api, "head", path, month="2026-11", station=second).status_code == 403
    assert get(api, "head2", path, month="2026-11", station=first).status_code == 403
    for who, params, station in (("admin", {}, None), ("admin", {"station": second}, second),
                                 ("head", {}, first), ("head", {"station": first}, first), ("head2", {}, second)):
        response = get(api, who, path, month="2026-11", **params)
        assert response.status_code == 200, (who, params, response.text)
        if not path.endswith(".xlsx"):
            assert response.json()["station_id"] == station
            assert {row["key"] for row in response.json()["by_station"]} == ({station} if station else {first, second})


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("month", ["2026-13", "2026-1", "nov", "2026-11-01", ""])
def test_a_bad_month_is_422_after_the_session(api, path, month):
    assert get(api, None, path, month=month).status_code == 401
    assert get(api, "renshe", path, month=month).status_code == 403
    response = get(api, "admin", path, month=month)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request" and "YYYY-MM" in response.json()["detail"]
    assert get(api, "admin", path).status_code == 422  # no month at all


@pytest.mark.parametrize("path", ROUTES)
def test_an_unknown_station_is_404(api, path):
    response = get(api, "admin", path, month="2026-11", station="yt-nowhere")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_the_json_keeps_its_contract(api):
    body = get(api, "admin", "/console/api/figures", month="2026-11").json()
    assert set(body) == {"month", "station_id", "totals", "by_station", "by_service", "by_counter", "by_channel"}
    row = body["by_station"][0]
    assert {"key", "label", "levels", "ratings", "satisfaction_rate", "poor", "real_name_poor",
            "real_name_called_back", "callback_rate", "rectified", "rectify_rate", "overdue", "appeals",
            "appeals_upheld"} <= set(row)
    assert set(row["levels"]) == {"1", "2", "3", "4", "5"} and row["region_code"].startswith("610113")
    assert isinstance(row["satisfaction_rate"], float) and 0 < row["satisfaction_rate"] < 1
    assert {r["label"] for r in body["by_channel"]} == {"自助终端", "窗口评价器", "二维码（手机）"}
    assert not PHONE.search(str(body))


def test_an_empty_month_answers_zeros(api):
    body = get(api, "admin", "/console/api/figures", month="2024-02").json()
    assert body["totals"]["ratings"] == 0 and body["totals"]["satisfaction_rate"] is None
    book = openpyxl.load_workbook(io.BytesIO(get(api, "admin", "/console/api/figures/export.xlsx",
                                                 month="2024-02").content))
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["评价总数"] == 0 and summary["满意率"] == "—" and book["差评工单"].max_row == 1


def test_the_export_is_an_attachment_named_in_chinese(api):
    _client, _cookies, (first, _second) = api
    response = get(api, "admin", "/console/api/figures/export.xlsx", month="2026-11")
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"haochaping-2026-11.xlsx\"; filename*=UTF-8''" + quote("好差评-2026-11.xlsx"))
    own = get(api, "head", "/console/api/figures/export.xlsx", month="2026-11")
    assert f"filename=\"haochaping-2026-11-{first}.xlsx\"" in own.headers["content-disposition"]


def test_the_workbook_has_its_sheets_headers_and_formats(api):
    figures = get(api, "admin", "/console/api/figures", month="2026-11").json()
    book = openpyxl.load_workbook(io.BytesIO(get(api, "admin", "/console/api/figures/export.xlsx",
                                                 month="2026-11").content))
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(sheet.column_dimensions[letter].width >= 8 for letter in "AB")
    stations = book["按站点"]
    headers = [c.value for c in stations[1]]
    assert headers[:3] == ["站点编号", "站点", "区划代码"] and "满意率" in headers and "整改率" in headers
    rate = stations.cell(row=2, column=headers.index("满意率") + 1)
    assert isinstance(rate.value, float) and rate.number_format == "0.00%"
    by_key = {row[0]: row for row in stations.iter_rows(min_row=2, values_only=True)}
    for row in figures["by_station"]:
        assert by_key[row["key"]][headers.index("评价总数")] == row["ratings"]
        assert by_key[row["key"]][headers.index("满意率")] == row["satisfaction_rate"]
    orders = book["差评工单"]
    order_headers = [c.value for c in orders[1]]
    assert order_headers[:3] == ["工单编号", "评价时间", "站点"] and "承办单位" in order_headers
    assert orders.max_row - 1 == figures["totals"]["poor"]
    texts = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert not any(PHONE.search(t) or "等候太久" in t for t in texts)  # no phone numbers, no comments


def test_libreoffice_opens_the_workbook(api, tmp_path: Path):
    """soffice (libreoffice-calc-nogui, packaging/install-deps --test) turns every sheet into CSV as shown:
    Chinese headers intact and the rates shown as percentages."""
    path = tmp_path / "好差评-2026-11.xlsx"
    path.write_bytes(get(api, "admin", "/console/api/figures/export.xlsx", month="2026-11").content)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                           "--outdir", str(tmp_path), str(path)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    sheets = {}
    for name in SHEETS:
        with open(tmp_path / f"好差评-2026-11-{name}.csv", encoding="utf-8", newline="") as handle:
            sheets[name] = list(csv.reader(handle))
    assert sheets["汇总"][0] == ["指标", "数值"]
    assert sheets["按站点"][0][:3] == ["站点编号", "站点", "区划代码"]
    rate = sheets["按站点"][1][sheets["按站点"][0].index("满意率")]
    assert re.fullmatch(r"\d{1,3}\.\d{2}%", rate), rate
    assert sheets["差评工单"][0][0] == "工单编号" and len(sheets["差评工单"]) > 10
