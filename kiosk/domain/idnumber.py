"""Resident ID numbers (GB 11643, ISO 7064 MOD 11-2): check digit, validity, birth date, masking.

The kiosk's rules for a number read from a card or typed on the keypad. What is stored and synced
is the masked form (first 6, last 4) and a keyed digest, never the number.
"""

from __future__ import annotations

import datetime as dt

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_digit needs exactly 17 ASCII digits")
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def parse_yyyymmdd(text: str) -> dt.date | None:
    """A date from 8 ASCII digits, or None if it is not a real calendar date."""
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def birth_date_from_id(s: str) -> dt.date | None:
    """Birth date encoded in digits 7..14 of an 18-character ID number, or None."""
    if len(s) != 18:
        return None
    return parse_yyyymmdd(s[6:14])


def is_valid_id_number(s: str, today: dt.date | None = None) -> bool:
    """18 characters, 17 digits then a digit or upper-case X, right check digit, real birth date
    between 1900-01-01 and ``today``."""
    if not isinstance(s, str) or len(s) != 18 or not s.isascii():
        return False
    first17, last = s[:17], s[17]
    if not first17.isdigit() or not (last.isdigit() or last == "X"):
        return False
    if check_digit(first17) != last:
        return False
    born = birth_date_from_id(s)
    if born is None:
        return False
    return EARLIEST_BIRTH <= born <= (today or dt.date.today())


def mask_id(s: str) -> str:
    """First 6 and last 4 characters kept, the rest replaced by '*'."""
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


RESIDENT_CARD = "resident"
HK_MO_TW_PERMIT = "hk_mo_tw"
FOREIGN_PERMANENT = "foreign"


def document_kind(number: str) -> str:
    """Which identity document a number (whole or masked, first 6 and last 4 kept) belongs to:
    "foreign" for a foreign permanent resident ID card (2017: three letters and 12 digits; 2023:
    18 characters starting with 9), "hk_mo_tw" for a residence permit of Hong Kong, Macao and
    Taiwan residents (starting with 81, 82 or 83), else "resident" (the resident ID card)."""
    number = (number or "").strip().upper()
    if len(number) == 15 and number[:3].isascii() and number[:3].isalpha():
        return FOREIGN_PERMANENT
    if len(number) == 18 and number.startswith("9"):
        return FOREIGN_PERMANENT
    if len(number) == 18 and number[:2] in ("81", "82", "83"):
        return HK_MO_TW_PERMIT
    return RESIDENT_CARD
