"""Numbering blocks and letters as an enrolment states them (docs/sync-protocol.md, "Enrolment"):
``{"mode": "block", "first": 1, "last": 499}`` or ``{"mode": "letter", "letter": "K"}``.

Two kiosks of one station may not share a number: their blocks may not overlap, nor their letters
be the same. A block and a letter never clash (A017 and AK017 are different numbers).
"""

from __future__ import annotations

from typing import Any


def numbering_overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["mode"] != b["mode"]:
        return False
    if a["mode"] == "letter":
        return a["letter"] == b["letter"]
    return a["first"] <= b["last"] and b["first"] <= a["last"]
