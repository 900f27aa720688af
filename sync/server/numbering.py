"""Numbering blocks and letters, checked where all of a station's kiosks are known.

Numbers are unique per station, service and business day because each kiosk of a station numbers
in its own block (kiosk 1 A001-A499, kiosk 2 A501-A999) or with its own letter after the service
prefix (AK001). An enrolment that names a block or letter another kiosk of the same station holds
is refused (409 `numbering_overlap`) before its token is used, with the next free one proposed.
"""

from __future__ import annotations

import string
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol.numbering import numbering_overlaps as overlaps
from sync.server.errors import ApiError, invalid_envelope
from sync.server.models import Kiosk

MAX_NUMBER = 9999
LETTERS = [c for c in string.ascii_uppercase if c not in "IO"]  # I and O read as 1 and 0 on a ticket


def parse(value: Any) -> dict[str, Any] | None:
    """The `numbering` of an enrolment request, checked; None when the kiosk did not say."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("mode") not in ("block", "letter"):
        raise invalid_envelope('numbering must be {"mode": "block", "first": N, "last": M} or '
                               '{"mode": "letter", "letter": "K"}')
    if value["mode"] == "letter":
        letter = value.get("letter")
        if not isinstance(letter, str) or len(letter) != 1 or letter not in string.ascii_uppercase:
            raise invalid_envelope("numbering.letter must be one upper-case letter A-Z")
        return {"mode": "letter", "letter": letter}
    first, last = value.get("first"), value.get("last")
    if any(isinstance(v, bool) or not isinstance(v, int) for v in (first, last)) or not 1 <= first <= last <= MAX_NUMBER:
        raise invalid_envelope(f"numbering.first and numbering.last must be whole numbers, 1 <= first <= last <= "
                               f"{MAX_NUMBER}")
    return {"mode": "block", "first": first, "last": last}


def describe(numbering: dict[str, Any]) -> str:
    if numbering["mode"] == "letter":
        return f"letter {numbering['letter']}"
    return f"block {numbering['first']:03d}-{numbering['last']:03d}"


def taken(session: Session, station_id: str, except_kiosk: str) -> list[tuple[str, dict[str, Any]]]:
    """(kiosk id, numbering) of the station's other kiosks that declared one."""
    rows = session.execute(select(Kiosk.kiosk_id, Kiosk.numbering)
                           .where(Kiosk.station_id == station_id, Kiosk.kiosk_id != except_kiosk)).all()
    return [(kiosk_id, numbering) for kiosk_id, numbering in rows if numbering]


MIN_BLOCK = 50  # a smaller free gap is not worth proposing: a letter is


def free_gaps(others: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """The gaps of 1-999 between the blocks in use, one number left between neighbours (A499 | A501)."""
    gaps, start = [], 1
    for first, last in sorted((o["first"], o["last"]) for o in others if o["mode"] == "block"):
        if first - 2 >= start:
            gaps.append((start, first - 2))
        start = max(start, last + 2)
    if start <= 999:
        gaps.append((start, 999))
    return gaps


def proposal(others: list[dict[str, Any]], wanted: dict[str, Any] | None) -> dict[str, Any]:
    """A free block of the wanted size (499 by default, as A001-A499 / A501-A999) in the first gap
    that holds it, else the largest gap, else the first free letter."""
    size = wanted["last"] - wanted["first"] + 1 if wanted and wanted["mode"] == "block" else 499
    gaps = free_gaps(others)
    for start, end in gaps:
        if end - start + 1 >= size:
            return {"mode": "block", "first": start, "last": start + size - 1}
    if gaps:
        start, end = max(gaps, key=lambda gap: gap[1] - gap[0])
        if end - start + 1 >= MIN_BLOCK:
            return {"mode": "block", "first": start, "last": end}
    used = {o["letter"] for o in others if o["mode"] == "letter"}
    return {"mode": "letter", "letter": next(c for c in LETTERS if c not in used)}


def check(session: Session, station_id: str, kiosk_id: str, numbering: dict[str, Any] | None) -> None:
    """409 `numbering_overlap` naming the kiosk in the way and proposing a free block or letter."""
    if numbering is None:
        return
    others = taken(session, station_id, kiosk_id)
    for other_id, other in others:
        if overlaps(numbering, other):
            free = proposal([o for _k, o in others], numbering)
            raise ApiError(409, "numbering_overlap",
                           f"{describe(numbering)} overlaps kiosk {other_id}'s {describe(other)} at station "
                           f"{station_id}; free: {describe(free)}", extra={"proposal": free})
