"""Fictional sample cards for the simulator, tests and demos (valid check digits, made-up people)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .frames import PHOTO_LEN
from .idnumber import check_digit
from .textblock import FOREIGN, FOREIGN_2023, HK_MO_TW, RESIDENT, build_text_block


def _with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def filler_photo(seed: int = 0) -> bytes:
    """Deterministic stand-in for the 1024-byte WLT photo."""
    return bytes((i * 37 + seed * 11 + 7) & 0xFF for i in range(PHOTO_LEN))


@dataclass(frozen=True)
class SampleCard:
    key: str
    text: bytes = field(repr=False)
    photo: bytes = field(default_factory=filler_photo, repr=False)
    fingerprint: bytes | None = field(default=None, repr=False)


ELDERLY_RESIDENT = SampleCard(
    "resident",
    build_text_block(
        RESIDENT,
        name="王建国",
        gender="1",
        nation="01",
        birth="19500312",
        address="陕西省西安市雁塔区长安南路88号",
        id_number=_with_check("61011319500312123"),
        issuer="西安市公安局雁塔分局",
        valid_from="20150601",
        valid_to="长期",
    ),
)

YOUNG_RESIDENT = SampleCard(
    "resident_young",
    build_text_block(
        RESIDENT,
        name="李晓雨",
        gender="2",
        nation="03",
        birth="20010715",
        address="北京市朝阳区建国路1号院2号楼301室",
        id_number=_with_check("11010520010715246"),
        issuer="北京市公安局朝阳分局",
        valid_from="20190801",
        valid_to="20290801",
    ),
    photo=filler_photo(1),
)

HK_PERMIT = SampleCard(
    "hk_mo_tw",
    build_text_block(
        HK_MO_TW,
        name="陈家明",
        gender="1",
        birth="19880220",
        address="广东省深圳市福田区福华路3号",
        id_number=_with_check("81000019880220135"),
        issuer="深圳市公安局",
        valid_from="20230310",
        valid_to="20280310",
        permit_number="H12345678",
        issue_count="01",
    ),
    photo=filler_photo(2),
)

FOREIGN_2017 = SampleCard(
    "foreign",
    build_text_block(
        FOREIGN,
        english_name="SMITH, JOHN ALEXANDER",
        gender="1",
        id_number="USA110085031001",
        nationality="USA",
        name="史密斯",
        valid_from="20180101",
        valid_to="20280101",
        birth="19850310",
        card_version="17",
        issuer="1500",
    ),
    photo=filler_photo(3),
)

FOREIGN_NEW = SampleCard(
    "foreign_2023",
    build_text_block(
        FOREIGN_2023,
        name="安娜",
        gender="2",
        issue_count="00",
        birth="19920808",
        english_name="MUELLER, ANNA KATHARINA ELISABETH VON HOHEN",
        id_number=_with_check("93110019920808002"),
        issuer="国家移民管理局",
        valid_from="20240101",
        valid_to="20340101",
        nationality="DEU",
    ),
    photo=filler_photo(4),
)

SAMPLE_CARDS: dict[str, SampleCard] = {
    card.key: card
    for card in (ELDERLY_RESIDENT, YOUNG_RESIDENT, HK_PERMIT, FOREIGN_2017, FOREIGN_NEW)
}
