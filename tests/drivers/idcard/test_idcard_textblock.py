import datetime as dt

import pytest

from drivers.idcard.code_tables import NATIONS, gender_name, nation_name
from drivers.idcard.errors import TextBlockError
from drivers.idcard.sample_cards import SAMPLE_CARDS
from drivers.idcard.textblock import (
    LAYOUTS,
    NO_EXPIRY,
    build_text_block,
    parse_text_block,
)

BASE_KEYS = {
    "card_type", "name", "gender", "birth_date", "address", "id_number", "issuer",
    "valid_from", "valid_to", "id_number_valid",
}
EXTRA_KEYS = {
    "resident": {"nation"},
    "hk_mo_tw": {"permit_number", "issue_count"},
    "foreign": {"english_name", "nationality"},
    "foreign_2023": {"english_name", "nationality"},
}
EXPECTED = {
    "resident": dict(name="王建国", gender="男", nation="汉", birth_date=dt.date(1950, 3, 12),
                     address="陕西省西安市雁塔区长安南路88号", id_number="610113195003121232",
                     issuer="西安市公安局雁塔分局", valid_from=dt.date(2015, 6, 1), valid_to=NO_EXPIRY),
    "resident_young": dict(name="李晓雨", gender="女", nation="回", birth_date=dt.date(2001, 7, 15),
                           valid_to=dt.date(2029, 8, 1), id_number="110105200107152469"),
    "hk_mo_tw": dict(name="陈家明", permit_number="H12345678", issue_count=1, nation=None,
                     id_number="810000198802201355", birth_date=dt.date(1988, 2, 20)),
    "foreign": dict(name="史密斯", english_name="SMITH, JOHN ALEXANDER", nationality="USA",
                    id_number="USA110085031001", birth_date=dt.date(1985, 3, 10), issuer="1500",
                    valid_to=dt.date(2028, 1, 1)),
    "foreign_2023": dict(name="安娜", gender="女", issue_count=0, nationality="DEU",
                         english_name="MUELLER, ANNA KATHARINA ELISABETH VON HOHEN",
                         id_number="931100199208080026", birth_date=dt.date(1992, 8, 8)),
}


@pytest.mark.parametrize("key", sorted(SAMPLE_CARDS))
def test_sample_cards_parse_to_their_fields(key):
    info = parse_text_block(SAMPLE_CARDS[key].text)
    for field, value in EXPECTED[key].items():
        assert getattr(info, field) == value, field
    assert info.id_number_valid


@pytest.mark.parametrize("key", sorted(SAMPLE_CARDS))
def test_json_keys_per_card_type(key):
    info = parse_text_block(SAMPLE_CARDS[key].text)
    for reveal in (False, True):
        assert set(info.to_json(reveal)) == BASE_KEYS | EXTRA_KEYS[info.card_type]


def test_json_masks_personal_fields_unless_revealed():
    info = parse_text_block(SAMPLE_CARDS["resident"].text)
    masked = info.to_json(reveal=False)
    assert masked["name"] == "王**"
    assert masked["id_number"] == "610113********1232"
    assert masked["address"] == "陕西省西安市" + "*" * (len(info.address) - 6)
    assert masked["birth_date"] == "1950-03-12" and masked["valid_to"] == "长期"
    revealed = info.to_json(reveal=True)
    assert revealed["name"] == "王建国" and revealed["id_number"] == "610113195003121232"
    assert revealed["valid_from"] == "2015-06-01" and revealed["id_number_valid"] is True


def test_repr_hides_name_and_number():
    info = parse_text_block(SAMPLE_CARDS["resident"].text)
    assert "王建国" not in repr(info) and "195003121232" not in repr(info)


def test_age_on():
    info = parse_text_block(SAMPLE_CARDS["resident"].text)
    assert info.age_on(dt.date(2026, 3, 11)) == 75
    assert info.age_on(dt.date(2026, 3, 12)) == 76
    assert info.age_on(dt.date(1949, 1, 1)) is None


@pytest.mark.parametrize("card_type", sorted(LAYOUTS))
def test_round_trip_every_field_of_every_card_type(card_type):
    layout = LAYOUTS[card_type]
    fields = {name: "" for name in layout}
    fields.update(name="测试", gender="9", birth="19991231", valid_from="20200101",
                  valid_to="20300101", issuer="X局"[: layout["issuer"][1] // 2])
    if "nation" in layout:
        fields["nation"] = "56"
    block = build_text_block(card_type, **fields)
    assert len(block) == 256
    info = parse_text_block(block)
    assert info.card_type == card_type
    assert (info.name, info.gender, info.birth_date) == ("测试", "未说明", dt.date(1999, 12, 31))
    assert info.valid_to == dt.date(2030, 1, 1)
    if "nation" in layout:
        assert info.nation == "基诺"


def test_foreign_2023_english_name_continues_in_second_field():
    name = "A" * 35 + " " + "B" * 10
    info = parse_text_block(build_text_block("foreign_2023", name="x", english_name=name))
    assert info.english_name == name


def test_build_rejects_overlong_and_unknown_fields():
    with pytest.raises(ValueError):
        build_text_block("resident", name="长" * 16)
    with pytest.raises(ValueError):
        build_text_block("resident", permit_number="H1")
    with pytest.raises(ValueError):
        build_text_block("martian")


@pytest.mark.parametrize("size", [0, 255, 257])
def test_wrong_block_size_is_a_text_block_error(size):
    with pytest.raises(TextBlockError):
        parse_text_block(b" \x00" * (size // 2) + b"\x00" * (size % 2))


def test_bad_utf16_is_a_text_block_error():
    block = bytearray(SAMPLE_CARDS["resident"].text)
    block[0:2] = b"\x00\xd8"  # lone high surrogate
    with pytest.raises(TextBlockError, match="name"):
        parse_text_block(bytes(block))


def test_malformed_dates_become_none_and_unknown_codes_are_marked():
    block = build_text_block("resident", name="某", gender="7", nation="77", birth="19500230",
                             valid_from="2015xx01", valid_to="永久", id_number="123")
    info = parse_text_block(block)
    assert info.birth_date is None and info.valid_from is None and info.valid_to is None
    assert info.gender == "未知" and info.nation == "未知(77)"
    assert info.id_number_valid is False and info.age_on(dt.date(2026, 1, 1)) is None
    assert info.to_json()["birth_date"] is None


def test_all_zero_block_parses_without_crashing():
    info = parse_text_block(bytes(256))
    assert info.card_type == "resident" and info.name == "" and info.nation is None


def test_gender_codes_are_not_guessed():
    assert [gender_name(c) for c in "0129"] == ["未知", "男", "女", "未说明"]
    assert gender_name("3") == "未知"


def test_nation_table_uses_current_names():
    assert len(NATIONS) == 58
    assert (NATIONS["20"], NATIONS["36"], NATIONS["46"], NATIONS["56"]) == ("傈僳", "毛南", "德昂", "基诺")
    assert nation_name(" ") is None
