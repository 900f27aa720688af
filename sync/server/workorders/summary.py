"""The daily summary of the 差评 work orders (每日汇总): what opened in the past day, what is open by
state, what is overdue and with which unit, and which appeals wait for a decision. No phone
numbers or comments: the summary goes to the journal, which more people read than the console's
caller role. `district-server summary` prints it; district-summary.timer runs it every morning."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from sync.server.workorders.access import Actor
from sync.server.workorders.states import APPEALED, STATE_LABELS, STATES
from sync.server.workorders.views import CHINA, list_orders

DAY_S = 86_400
NO_UNIT = "(无承办单位)"


def daily_summary(session: Session, now: float, *, limit: int = 1_000_000) -> dict[str, Any]:
    """The summary as of ``now`` for the whole district."""
    orders = list_orders(session, Actor("summary", "district_admin"), now, open_only=True, limit=limit)
    opened = sum(1 for o in orders if _opened_s(o) >= now - DAY_S)
    overdue = [o for o in orders if o["overdue"]]
    by_state = Counter(o["state"] for o in orders)
    return {
        "at": datetime.fromtimestamp(now, CHINA).isoformat(timespec="minutes"),
        "opened_past_day": opened,
        "open": len(orders),
        "open_by_state": {state: by_state[state] for state in STATES if by_state[state]},
        "overdue": len(overdue),
        "overdue_call_back": sum(1 for o in overdue if o["deadlines"]["call_back"]["overdue"]),
        "overdue_rectify": sum(1 for o in overdue if o["deadlines"]["rectify"]["overdue"]),
        "overdue_by_unit": dict(Counter(o["unit"] or NO_UNIT for o in overdue).most_common()),
        "appeals_waiting": by_state[APPEALED],
        "weekends_only_calendar": any(o["calendar"] != "official" for o in orders),
        "overdue_orders": [_overdue_item(o) for o in overdue],
    }


def _opened_s(order: dict[str, Any]) -> float:
    return datetime.fromisoformat(order["opened_at"]).timestamp()


def _overdue_item(order: dict[str, Any]) -> dict[str, Any]:
    late = [name for name in ("call_back", "rectify") if order["deadlines"][name]["overdue"]]
    return {"order_id": order["order_id"], "station_id": order["station_id"], "service_code": order["service_code"],
            "counter_id": order["counter_id"], "unit": order["unit"], "state": order["state"],
            "level": order["level"], "rated_at": order["rated_at"], "overdue": late,
            "due": {name: order["deadlines"][name]["due"] for name in late}}


LATE_LABELS = {"call_back": "回访超期", "rectify": "整改超期"}


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary as text for the journal, Chinese first and English second."""
    states = "，".join(f"{STATE_LABELS.get(s, s)} {n}" for s, n in summary["open_by_state"].items()) or "无"
    lines = [
        f"好差评工单每日汇总 Daily work-order summary {summary['at']}",
        f"过去一天新增差评工单 opened in the past day: {summary['opened_past_day']}",
        f"未办结 open: {summary['open']}（{states}）",
        f"超期 overdue: {summary['overdue']}（回访超期 call-back {summary['overdue_call_back']}，"
        f"整改超期 rectification {summary['overdue_rectify']}）",
        f"待裁定申诉 appeals awaiting a decision: {summary['appeals_waiting']}",
    ]
    if summary["overdue_by_unit"]:
        lines.append("超期按承办单位 overdue by unit: "
                     + "，".join(f"{unit} {n}" for unit, n in summary["overdue_by_unit"].items()))
    for item in summary["overdue_orders"]:
        late = "、".join(f"{LATE_LABELS[name]}（期限 {item['due'][name][:16].replace('T', ' ')}）"
                        for name in item["overdue"])
        lines.append(f"  OVERDUE {item['order_id']}  {item['station_id']}  {item['service_code'] or '-'}  "
                     f"{item['unit'] or NO_UNIT}  {STATE_LABELS.get(item['state'], item['state'])}  {late}")
    if summary["weekends_only_calendar"]:
        lines.append("注意 note: some deadlines fall in a year the installed working-day calendar does not cover; "
                     "they are counted Monday to Friday (upgrade chinesecalendar)")
    return lines
