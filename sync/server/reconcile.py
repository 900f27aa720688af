"""Nightly reconciliation: per-day count and digest of the op_ids the server stored
(docs/sync-protocol.md, "Reconciliation"; the digest is sync.protocol.day_digest)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol import day_digest
from sync.server.errors import invalid_envelope
from sync.server.models import Op
from sync.server.payloads import PayloadError, check_date

MAX_DAYS = 400


def parse_request(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, dict) or not isinstance(value.get("days"), list):
        raise invalid_envelope("body must be an object with a list 'days'")
    days = value["days"]
    if len(days) > MAX_DAYS:
        raise invalid_envelope(f"at most {MAX_DAYS} days per request")
    for index, day in enumerate(days):
        if not isinstance(day, dict):
            raise invalid_envelope(f"days[{index}] must be an object")
        try:
            check_date(day.get("date"), f"days[{index}].date")
        except PayloadError as exc:
            raise invalid_envelope(str(exc)) from None
        count = day.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise invalid_envelope(f"days[{index}].count must be a non-negative integer")
        if not isinstance(day.get("digest"), str):
            raise invalid_envelope(f"days[{index}].digest must be a hex string")
    return days


def mismatched_days(session: Session, kiosk_id: str, days: list[dict[str, Any]]) -> list[str]:
    dates = sorted({day["date"] for day in days})
    stored: dict[str, list[str]] = {date: [] for date in dates}
    for op_day, op_id in session.execute(
        select(Op.op_day, Op.op_id).where(Op.kiosk_id == kiosk_id, Op.op_day.in_(dates), Op.status != "rejected")
    ):
        stored[op_day].append(op_id)
    mismatched = []
    for day in days:
        ids = stored[day["date"]]
        if day["count"] != len(ids) or day["digest"].lower() != day_digest(ids):
            mismatched.append(day["date"])
    return sorted(set(mismatched))
