"""The 256-byte card text block (UTF-16LE, space padded): parsing into CardInfo and building.

Field layouts per card type are data (offset, size in bytes) taken from the protocol page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .code_tables import gender_name, nation_name
from .errors import TextBlockError
from .idnumber import is_valid_id_number, mask_id, parse_yyyymmdd

TEXT_BLOCK_LEN = 256
NO_EXPIRY = "长期"
TYPE_FLAG = (248, 2)

RESIDENT = "resident"
HK_MO_TW = "hk_mo_tw"
FOREIGN = "foreign"
FOREIGN_2023 = "foreign_2023"
CARD_TYPES = (RESIDENT, HK_MO_TW, FOREIGN, FOREIGN_2023)
FLAG_BY_TYPE = {RESIDENT: " ", HK_MO_TW: "J", FOREIGN: "I", FOREIGN_2023: "Y"}
TYPE_BY_FLAG = {"J": HK_MO_TW, "I": FOREIGN, "Y": FOREIGN_2023}

_RESIDENT_LAYOUT = {
    "name": (0, 30),
    "gender": (30, 2),
    "nation": (32, 4),
    "birth": (36, 16),
    "address": (52, 70),
    "id_number": (122, 36),
    "issuer": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
}
LAYOUTS: dict[str, dict[str, tuple[int, int]]] = {
    RESIDENT: _RESIDENT_LAYOUT,
    HK_MO_TW: {**_RESIDENT_LAYOUT, "permit_number": (220, 18), "issue_count": (238, 4)},
    FOREIGN: {
        "english_name": (0, 120),
        "gender": (120, 2),
        "id_number": (122, 30),
        "nationality": (152, 6),
        "name": (158, 30),
        "valid_from": (188, 16),
        "valid_to": (204, 16),
        "birth": (220, 16),
        "card_version": (236, 4),
        "issuer": (240, 8),
    },
    FOREIGN_2023: {
        "name": (0, 30),
        "gender": (30, 2),
        "issue_count": (32, 4),
        "birth": (36, 16),
        "english_name": (52, 70),
        "id_number": (122, 36),
        "issuer": (158, 30),
        "valid_from": (188, 16),
        "valid_to": (204, 16),
        "english_name_2": (220, 22),
        "nationality": (242, 6),
        "old_card": (250, 6),
    },
}

ValidTo = dt.date | str | None


def _mask_tail(text: str, keep: int) -> str:
    return text[:keep] + "*" * max(0, len(text) - keep)


def _iso(value: dt.date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class CardInfo:
    """What a card says about its holder (no photo). Keep it in memory only."""

    card_type: str
    name: str
    gender: str
    birth_date: dt.date | None
    id_number: str
    nation: str | None = None
    address: str = ""
    issuer: str = ""
    valid_from: dt.date | None = None
    valid_to: ValidTo = None
    permit_number: str | None = None
    issue_count: int | None = None
    english_name: str | None = None
    nationality: str | None = None

    def __repr__(self) -> str:
        return f"CardInfo(card_type={self.card_type!r}, id_number={mask_id(self.id_number)!r})"

    @property
    def id_number_valid(self) -> bool:
        number = self.id_number
        if self.card_type == FOREIGN:
            return len(number) == 15 and number[:3].isalpha() and number[:3].isupper() \
                and number[3:].isascii() and number[3:].isdigit()
        if self.card_type == HK_MO_TW and number[:2] not in ("81", "82", "83"):
            return False
        return is_valid_id_number(number)

    def age_on(self, day: dt.date) -> int | None:
        """Completed years on ``day``; None when the birth date is unknown."""
        born = self.birth_date
        if born is None or day < born:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def to_json(self, reveal: bool = False) -> dict:
        """JSON-able dict; without ``reveal`` the name, address and numbers are masked."""
        out = {
            "card_type": self.card_type,
            "name": self.name if reveal else _mask_tail(self.name, 1),
            "gender": self.gender,
            "birth_date": _iso(self.birth_date),
            "address": self.address if reveal else _mask_tail(self.address, 6),
            "id_number": self.id_number if reveal else mask_id(self.id_number),
            "issuer": self.issuer,
            "valid_from": _iso(self.valid_from),
            "valid_to": _iso(self.valid_to),
            "id_number_valid": self.id_number_valid,
        }
        if self.card_type == RESIDENT:
            out["nation"] = self.nation
        if self.card_type == HK_MO_TW:
            permit = self.permit_number or ""
            out["permit_number"] = permit if reveal else mask_id(permit)
            out["issue_count"] = self.issue_count
        if self.card_type in (FOREIGN, FOREIGN_2023):
            english = self.english_name or ""
            out["english_name"] = english if reveal else _mask_tail(english, 1)
            out["nationality"] = self.nationality
        return out


def _raw_field(block: bytes, name: str, offset: int, size: int) -> str:
    try:
        return block[offset : offset + size].decode("utf-16-le")
    except UnicodeDecodeError:
        raise TextBlockError(f"field {name} at offset {offset} is not valid UTF-16LE") from None


def card_type_of(block: bytes) -> str:
    flag = block[TYPE_FLAG[0] : TYPE_FLAG[0] + TYPE_FLAG[1]]
    return TYPE_BY_FLAG.get(flag.decode("utf-16-le", errors="replace"), RESIDENT)


def _valid_to(text: str) -> ValidTo:
    if text == NO_EXPIRY:
        return NO_EXPIRY
    return parse_yyyymmdd(text)


def parse_text_block(block: bytes) -> CardInfo:
    """Parse a 256-byte text block. Raises TextBlockError for a wrong size or bad UTF-16;
    malformed dates become None, unknown codes are marked unknown."""
    if len(block) != TEXT_BLOCK_LEN:
        raise TextBlockError(f"text block has {len(block)} bytes, expected {TEXT_BLOCK_LEN}")
    card_type = card_type_of(block)
    raw = {
        name: _raw_field(block, name, offset, size)
        for name, (offset, size) in LAYOUTS[card_type].items()
    }
    if card_type == FOREIGN_2023:
        raw["english_name"] += raw.pop("english_name_2")
    f = {name: value.strip(" \x00") for name, value in raw.items()}
    count = f.get("issue_count", "")
    return CardInfo(
        card_type=card_type,
        name=f["name"],
        gender=gender_name(f["gender"]),
        nation=nation_name(f["nation"]) if "nation" in f else None,
        birth_date=parse_yyyymmdd(f["birth"]),
        address=f.get("address", ""),
        id_number=f["id_number"],
        issuer=f["issuer"],
        valid_from=parse_yyyymmdd(f["valid_from"]),
        valid_to=_valid_to(f["valid_to"]),
        permit_number=f.get("permit_number"),
        issue_count=int(count) if count.isascii() and count.isdigit() else None,
        english_name=f.get("english_name"),
        nationality=f.get("nationality"),
    )


def _as_text(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    return "" if value is None else str(value)


def build_text_block(card_type: str = RESIDENT, **fields: object) -> bytes:
    """Build a text block from raw field values (codes as on the card, dates as YYYYMMDD
    strings or dates). Field names are those of LAYOUTS[card_type]; for foreign_2023 an
    english_name longer than its first field continues in english_name_2."""
    if card_type not in LAYOUTS:
        raise ValueError(f"unknown card type {card_type!r}")
    layout = LAYOUTS[card_type]
    values = {name: _as_text(value) for name, value in fields.items()}
    if card_type == FOREIGN_2023 and "english_name_2" not in values:
        first = layout["english_name"][1] // 2
        english = values.get("english_name", "")
        values["english_name"], values["english_name_2"] = english[:first], english[first:]
    block = bytearray(" ".encode("utf-16-le") * (TEXT_BLOCK_LEN // 2))
    for name, text in values.items():
        if name not in layout:
            raise ValueError(f"{card_type} card has no field {name!r}")
        offset, size = layout[name]
        encoded = text.encode("utf-16-le")
        if len(encoded) > size:
            raise ValueError(f"field {name} is {len(encoded)} bytes, at most {size}")
        block[offset : offset + len(encoded)] = encoded
    flag = FLAG_BY_TYPE[card_type].encode("utf-16-le")
    block[TYPE_FLAG[0] : TYPE_FLAG[0] + TYPE_FLAG[1]] = flag
    return bytes(block)
