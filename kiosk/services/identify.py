"""Use case: who is taking the number, from an ID card or a typed ID number.

The ID-number rules are those of kiosk.domain.idnumber.
The full number and name stay in this in-memory object for the current resident only; what is
stored and synced is the masked number and a keyed digest (sync-v1, Privacy).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from kiosk.domain.idnumber import birth_date_from_id, check_digit, is_valid_id_number, mask_id
from kiosk.domain.tickets import Priority


@dataclass(frozen=True)
class Resident:
    """The resident at the kiosk now. Never stored, never logged; wiped on idle reset."""

    id_masked: str
    id_digest: str | None
    display_name: str
    age: int | None
    elderly: bool
    source: str  # "card" or "typed"

    def __repr__(self) -> str:
        return f"Resident({self.id_masked}, {self.source})"

    @property
    def priority(self) -> Priority:
        return Priority.ELDERLY if self.elderly else Priority.NORMAL


def id_digest(id_number: str, key: bytes) -> str | None:
    """HMAC-SHA256 of the ID number under the district key; None when no key is configured."""
    if not key:
        return None
    return hmac.new(key, id_number.upper().encode("ascii"), hashlib.sha256).hexdigest()


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def resident_from_card(info, today: date, elderly_age: int, key: bytes) -> Resident:
    age = info.age_on(today)
    return Resident(id_masked=mask_id(info.id_number), id_digest=id_digest(info.id_number, key),
                    display_name=_mask_name(info.name), age=age,
                    elderly=age is not None and age >= elderly_age, source="card")


def resident_from_typed(id_number: str, today: date, elderly_age: int, key: bytes) -> Resident:
    number = id_number.strip().upper()
    if not is_valid_id_number(number, today):
        raise ValueError("not a valid resident ID number")
    age = _age(birth_date_from_id(number), today)
    return Resident(id_masked=mask_id(number), id_digest=id_digest(number, key), display_name="",
                    age=age, elderly=age is not None and age >= elderly_age, source="typed")


def typed_id_state(text: str, today: date) -> str:
    """What the keypad shows as the resident types: "empty", "typing", "bad_char", "bad_check",
    "bad_date" or "valid"."""
    text = text.upper()
    if not text:
        return "empty"
    if len(text) > 18 or not all(c.isdigit() for c in text[:17]) or (len(text) == 18 and not
                                                                       (text[17].isdigit() or text[17] == "X")):
        return "bad_char"
    if len(text) < 18:
        return "typing"
    if check_digit(text[:17]) != text[17]:
        return "bad_check"
    return "valid" if is_valid_id_number(text, today) else "bad_date"
