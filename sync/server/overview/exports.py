"""The day's and the month's figures per station as CSV and XLSX (docs/console-overview.md,
"Exports"): one row per station and business day."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, Callable
from urllib.parse import quote

from sqlalchemy.orm import Session

from sync.server.overview.days import day_bounds
from sync.server.overview.summary import one_hour_minutes, rate, rating_levels, stations
from sync.server.figures.queries import tune
from sync.server.overview.tickets import PastDays, days_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PERCENT = "0.00%"
# (header, key of a row, is a rate)
COLUMNS: list[tuple[str, str, bool]] = [
    ("日期", "date", False), ("站点编号", "station_id", False), ("站点", "name", False),
    ("取号数", "tickets", False), ("已叫号", "called", False), ("已办结", "served", False),
    ("1小时内接件", "one_hour_within", False), ("一小时率", "one_hour_share", True),
    ("评价数", "ratings", False), ("满意率", "satisfaction_rate", True), ("差评数", "poor", False),
]
DEFINITIONS = (
    ("一小时率", "当日已办结的号中，从抽号到首次叫号不超过规定分钟数（one_hour_rule_minutes）的比例"),
    ("满意率", "当日（04:00 起算）评价中 基本满意、满意、非常满意 所占比例"),
    ("差评数", "当日 非常不满意、不满意 的评价数"),
    ("—", "分母为 0，无比例"),
)


def figure_rows(session: Session, days: list[date], station_id: str | None, running: date,
                past: PastDays | None = None) -> list[dict[str, Any]]:
    """One row per station (of the catalogue, or the one asked for) and day, by day then station
    (``running``: the business day not finished yet, never taken from ``past``)."""
    tune(session)
    minutes = one_hour_minutes(session)
    figures = days_figures(session, days, station_id, minutes, running, past)
    named = stations(session, station_id)
    rows = []
    for day in days:
        levels = rating_levels(session, *day_bounds(day), station_id)
        for station, data in named.items():
            count = figures.count(station, day.isoformat())
            level = levels.get(station, [0] * 5)
            rows.append({"date": day.isoformat(), "station_id": station, "name": data.get("name") or station,
                         "tickets": count.tickets, "called": count.called, "served": count.served,
                         "one_hour_within": count.within, "one_hour_share": count.share, "ratings": sum(level),
                         "satisfaction_rate": rate(sum(level[2:]), sum(level)), "poor": sum(level[:2])})
    return rows


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese), rates as 0.9123."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for header, _key, _rate in COLUMNS])
    for row in rows:
        writer.writerow(["" if row[key] is None else row[key] for _header, key, _rate in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(rows: list[dict[str, Any]], title: str, minutes: int) -> bytes:
    from openpyxl import Workbook  # loaded by the first export only
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "按站点按日"
    sheet.append([header for header, _key, _rate in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([("—" if rate_ else "") if row[key] is None else row[key] for _h, key, rate_ in COLUMNS])
        for index, (_header, key, is_rate) in enumerate(COLUMNS, start=1):
            if is_rate and row[key] is not None:
                sheet.cell(sheet.max_row, index).number_format = PERCENT
    sheet.freeze_panes = "A2"
    for index, width in enumerate((12, 18, 36, 8, 8, 8, 12, 10, 8, 10, 8), start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    notes = book.create_sheet("说明")
    notes.append(["项目", "说明"])
    notes.append(["范围", title])
    notes.append(["一小时规则", f"{minutes} 分钟"])
    for name, text in DEFINITIONS:
        notes.append([name, text])
    notes.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def disposition(stem: str, ascii_stem: str, suffix: str) -> str:
    """attachment with an RFC 5987 UTF-8 name and an ASCII fallback."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in ascii_stem)
    return f"attachment; filename=\"{safe}.{suffix}\"; filename*=UTF-8''{quote(f'{stem}.{suffix}', safe='')}"


def export(session: Session, days: list[date], label: str, station_id: str | None, kind: str, running: date,
           past: PastDays | None = None) -> tuple[bytes, str, str]:
    """(content, media type, Content-Disposition) of the export of ``days`` (``label``: the day or month)."""
    rows = figure_rows(session, days, station_id, running, past)
    suffix = f"-{station_id}" if station_id else ""
    render: Callable[[], bytes] = (lambda: as_csv(rows)) if kind == "csv" else \
        (lambda: as_xlsx(rows, f"{label} {station_id or '全区'}", one_hour_minutes(session)))
    return render(), CSV if kind == "csv" else XLSX, disposition(f"服务概览-{label}{suffix}",
                                                                  f"overview-{label}{suffix}", kind)
