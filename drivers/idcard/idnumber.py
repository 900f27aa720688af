"""The card's own check of the ID number it carries (GB 11643) and the masked form of its reports.

What the driver needs to describe a card without showing it (``CardInfo.to_json``, the doctor,
``repr``) and to make sample cards. The kiosk decides about residents with kiosk.domain.idnumber;
drivers may not import the kiosk, so the check digit and the mask exist on both sides, and
tests/kiosk/test_idnumber.py proves the two agree on every number.
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
    born = parse_yyyymmdd(s[6:14])
    if born is None:
        return False
    return EARLIEST_BIRTH <= born <= (today or dt.date.today())


def mask_id(s: str) -> str:
    """First 6 and last 4 characters kept, the rest replaced by '*'."""
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]
