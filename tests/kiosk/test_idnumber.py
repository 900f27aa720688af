"""Resident ID number rules (kiosk.domain.idnumber), and the card driver agreeing with them."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.idcard import idnumber as card_side

from kiosk.domain.idnumber import (
    birth_date_from_id,
    check_digit,
    is_valid_id_number,
    mask_id,
)

TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),  # the GB 11643 standard's worked example
        ("44052418800101001", "4"),
        ("61011319500312123", "2"),
        ("11010520010715246", "9"),
    ],
)
def test_check_digit(first17, expected):
    assert check_digit(first17) == expected


def test_check_digit_cycles_through_all_characters():
    seen = {check_digit(f"1101051949123100{d}") for d in range(10)}
    assert len(seen) == 10 and seen <= set("10X98765432")


@pytest.mark.parametrize("bad", ["1101051949123100", "1101051949123100A", "１１０１０５１９４９１２３１００２"])
def test_check_digit_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        check_digit(bad)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("11010519491231002X", True),
        ("11010519491231002x", False),  # the check character is upper-case X
        ("110105194912310021", False),  # wrong check digit
        ("110105194902300027", False),  # 30 February
        ("11010518991231002" + check_digit("11010518991231002"), False),  # before 1900
        ("11010520270101002" + check_digit("11010520270101002"), False),  # born after today
        ("11010519491231002", False),
        ("", False),
        ("11010519491231002X ", False),
    ],
)
def test_is_valid_id_number(number, valid):
    assert is_valid_id_number(number, today=TODAY) is valid


def test_non_string_is_not_valid():
    assert is_valid_id_number(None) is False  # type: ignore[arg-type]


def test_birth_date_from_id():
    assert birth_date_from_id("11010519491231002X") == dt.date(1949, 12, 31)
    assert birth_date_from_id("110105194913310021") is None
    assert birth_date_from_id("123") is None


def test_mask_id_keeps_first_six_and_last_four():
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("USA110085031001") == "USA110*****1001"
    assert mask_id("12345") == "*****"


# The card driver keeps its own check and mask for its reports (it may not import the kiosk):
# it must agree with the kiosk's rules on every number, valid or not.
_id_like = st.one_of(
    st.text(alphabet="0123456789X", min_size=17, max_size=18),
    st.builds(lambda d17, year: f"{d17[:6]}{year:04d}{d17[10:]}", st.text(alphabet="0123456789", min_size=17, max_size=17),
              st.integers(1890, 2030)).map(lambda d17: d17 + check_digit(d17)),
    st.text(max_size=20),
)


@given(_id_like)
def test_the_card_driver_agrees_with_the_kiosk_rules(number):
    assert card_side.is_valid_id_number(number, today=TODAY) is is_valid_id_number(number, today=TODAY)
    assert card_side.mask_id(number) == mask_id(number)
    if len(number) == 17 and number.isdigit():
        assert card_side.check_digit(number) == check_digit(number)
