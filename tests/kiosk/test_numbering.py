from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from kiosk.domain.numbering import NumberBlockExhausted, NumberingScheme, business_date

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_block_numbers_are_prefix_and_three_digits():
    scheme = NumberingScheme(first=501, last=999)
    assert scheme.format("A", scheme.next_seq("A", None)) == "A501"
    assert scheme.format("A", scheme.next_seq("A", 516)) == "A517"


def test_letter_mode_puts_the_kiosk_letter_after_the_queue_prefix():
    scheme = NumberingScheme(mode="letter", letter="K")
    assert scheme.format("A", 17) == "AK017"


def test_exhausted_block_raises_with_the_range():
    scheme = NumberingScheme(first=1, last=3)
    with pytest.raises(NumberBlockExhausted, match="1-3"):
        scheme.next_seq("A", 3)


def test_business_day_rolls_over_at_the_configured_hour():
    assert business_date(datetime(2026, 11, 22, 3, 59, tzinfo=SHANGHAI), 4).isoformat() == "2026-11-21"
    assert business_date(datetime(2026, 11, 22, 4, 0, tzinfo=SHANGHAI), 4).isoformat() == "2026-11-22"
    assert business_date(datetime(2026, 11, 22, 0, 30, tzinfo=SHANGHAI), 0).isoformat() == "2026-11-22"


@given(first=st.integers(1, 999), span=st.integers(0, 998), last_issued=st.none() | st.integers(0, 999))
def test_next_seq_stays_inside_the_block(first, span, last_issued):
    last = min(999, first + span)
    scheme = NumberingScheme(first=first, last=last)
    try:
        seq = scheme.next_seq("A", last_issued)
    except NumberBlockExhausted:
        assert last_issued is not None and last_issued >= last
    else:
        assert first <= seq <= last
        assert last_issued is None or seq > last_issued
