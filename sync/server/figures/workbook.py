"""The monthly export (好差评月报) as an XLSX workbook (openpyxl): sheets 汇总, 按站点, 按事项, 按窗口,
按渠道 and 差评工单, Chinese headers, the header row frozen, rates as percentage-formatted numbers
(a rate without a denominator is "—"). The work-order sheet has no phone numbers and no comments."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime
from typing import Any, Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sync.server.figures.month import DISTRICT_TZ
from sync.server.figures.report import MonthFigures, order_record
from sync.server.figures.tally import FigureRow

PERCENT = "0.00%"
MOMENT = "yyyy-mm-dd hh:mm"
EMPTY = "—"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REASON_LABELS = {"attitude": "服务态度差", "wait_too_long": "等候时间长", "unclear_guidance": "告知不清、材料要求不明",
                 "slow_handling": "办理效率低", "repeat_visits": "多次跑腿", "facilities": "环境设施差", "other": "其他"}

# (header, value of a FigureRow, number format)
FIGURE_COLUMNS: list[tuple[str, Callable[[FigureRow], Any], str | None]] = [
    ("非常满意(5)", lambda r: r.levels[5], None), ("满意(4)", lambda r: r.levels[4], None),
    ("基本满意(3)", lambda r: r.levels[3], None), ("不满意(2)", lambda r: r.levels[2], None),
    ("非常不满意(1)", lambda r: r.levels[1], None), ("评价总数", lambda r: r.ratings, None),
    ("满意率", lambda r: r.satisfaction_rate, PERCENT), ("差评数", lambda r: r.poor, None),
    ("实名差评", lambda r: r.real_name_poor, None), ("实名差评已回访", lambda r: r.real_name_called_back, None),
    ("回访率", lambda r: r.callback_rate, PERCENT), ("已整改", lambda r: r.rectified, None),
    ("整改率", lambda r: r.rectify_rate, PERCENT), ("超期工单", lambda r: r.overdue, None),
    ("申诉", lambda r: r.appeals, None), ("申诉成立", lambda r: r.appeals_upheld, None),
    ("申诉驳回", lambda r: r.appeals_rejected, None),
]

ORDER_COLUMNS: list[tuple[str, str, str | None]] = [
    ("工单编号", "order_id", None), ("评价时间", "rated_at", MOMENT), ("站点", "station", None),
    ("区划代码", "region_code", None), ("事项", "service", None), ("事项编码", "service_code", None),
    ("窗口", "counter", None), ("评价渠道", "channel", None), ("评价等级", "level", None), ("差评原因", "reasons", None),
    ("状态", "state", None), ("回访时限", "call_back_due", MOMENT), ("整改时限", "rectify_due", MOMENT),
    ("是否超期", "overdue", None), ("承办单位", "unit", None), ("实名", "real_name", None),
    ("已回访", "called_back", None), ("申诉", "appeal", None), ("指标版本", "indicator_version", None),
]


def _width(value: Any) -> int:
    text = f"{value:.2%}" if isinstance(value, float) else str(value if value is not None else "")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _print_setup(sheet: Worksheet) -> None:
    """Frozen header row; printed landscape, as wide as one page, the header on every page."""
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _finish(sheet: Worksheet, widths: list[int]) -> None:
    _print_setup(sheet)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)


def _write(sheet: Worksheet, headers: list[str], rows: list[list[Any]], formats: list[str | None]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    widths = [_width(h) for h in headers]
    for row_number, values in enumerate(rows, start=2):  # (sheet.max_row scans every cell: not per row)
        cells = [EMPTY if value is None else float(value) if fmt == PERCENT else value
                 for value, fmt in zip(values, formats)]
        sheet.append(cells)
        for index, (value, fmt) in enumerate(zip(cells, formats)):
            if row_number < 200:  # the widths from the first rows: enough, and cheap
                widths[index] = max(widths[index], _width(value))
            if fmt is not None and value != EMPTY:
                sheet.cell(row=row_number, column=index + 1).number_format = fmt
    _finish(sheet, widths)


def _figure_sheet(book: Workbook, title: str, first: list[tuple[str, Callable[[FigureRow], Any]]],
                  rows: list[FigureRow]) -> None:
    headers = [h for h, _ in first] + [h for h, _, _ in FIGURE_COLUMNS]
    formats = [None] * len(first) + [f for _, _, f in FIGURE_COLUMNS]
    values = [[get(row) for _, get in first] + [get(row) for _, get, _ in FIGURE_COLUMNS] for row in rows]
    _write(book.create_sheet(title), headers, values, formats)


def _local(text: str) -> datetime | str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.astimezone(DISTRICT_TZ).replace(tzinfo=None) if moment.tzinfo else moment


def _summary(book: Workbook, figures: MonthFigures) -> None:
    sheet = book.active
    sheet.title = "汇总"
    total = figures.totals
    rows: list[list[Any]] = [["月份", str(figures.month), None], ["范围", total.label, None]]
    rows += [[header, get(total), fmt] for header, get, fmt in FIGURE_COLUMNS]
    rows += [["回访时限（工作日）", figures.periods.call_back_days, None],
             ["整改时限（工作日）", figures.periods.rectify_days, None],
             ["口径", "满意率＝基本满意及以上（3–5级）÷评价总数；差评＝1–2级；回访率＝实名差评已回访÷实名差评；"
                    "整改率＝已整改÷（差评工单－申诉成立）；无分母时记为“—”", None]]
    sheet.append(["指标", "数值"])
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for name, value, fmt in rows:
        sheet.append([name, EMPTY if value is None else float(value) if fmt == PERCENT else value])
        if fmt is not None and value is not None:
            sheet.cell(row=sheet.max_row, column=2).number_format = fmt
    _print_setup(sheet)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 48
    sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(vertical="top")
    sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[sheet.max_row].height = 64  # the definitions, wrapped (no program sizes it on opening)


def _orders_sheet(book: Workbook, figures: MonthFigures, reason_labels: dict[str, str]) -> None:
    rows = []
    for order, status in figures.orders:
        record = order_record(order, status, figures.names)
        record["reasons"] = "、".join(reason_labels.get(code, code) for code in record["reasons"])
        for key in ("rated_at", "call_back_due", "rectify_due"):
            record[key] = _local(record[key])
        for key in ("overdue", "real_name", "called_back"):
            record[key] = "是" if record[key] else "否"
        rows.append([record[key] for _, key, _ in ORDER_COLUMNS])
    _write(book.create_sheet("差评工单"), [h for h, _, _ in ORDER_COLUMNS], rows, [f for _, _, f in ORDER_COLUMNS])


def build_workbook(figures: MonthFigures, reason_labels: dict[str, str] | None = None) -> bytes:
    book = Workbook()
    _summary(book, figures)
    _figure_sheet(book, "按站点", [("站点编号", lambda r: r.key), ("站点", lambda r: r.label),
                                 ("区划代码", lambda r: r.extra["region_code"])], figures.lists["by_station"])
    _figure_sheet(book, "按事项", [("事项编码", lambda r: r.key), ("事项", lambda r: r.label)],
                  figures.lists["by_service"])
    _figure_sheet(book, "按窗口", [("站点", lambda r: figures.names.station(r.extra["station_id"])),
                                 ("窗口", lambda r: r.extra["counter_id"] or "未知窗口")], figures.lists["by_counter"])
    _figure_sheet(book, "按渠道", [("渠道编码", lambda r: r.key), ("评价渠道", lambda r: r.label)],
                  figures.lists["by_channel"])
    _orders_sheet(book, figures, {**REASON_LABELS, **(reason_labels or {})})
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
