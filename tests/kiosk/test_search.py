import pytest

from kiosk.config import DEMO_CONFIG, load
from kiosk.domain.catalogue import Service
from kiosk.domain.search import next_letters, normalize_query, search_services
from kiosk.store.catalogue import read_catalogue_file


@pytest.fixture(scope="module")
def services():
    data = read_catalogue_file(load(str(DEMO_CONFIG)).catalogue.file)
    return [Service.from_dict(s) for s in data["services"]]


def codes(found):
    return [s.code for s in found]


def test_empty_query_lists_every_service_in_order(services):
    assert codes(search_services(services, "")) == codes(services)
    assert codes(search_services(services, "  ")) == codes(services)


def test_s_then_b_narrows_to_the_social_security_card(services):
    assert "SB-KSL" in codes(search_services(services, "S"))
    assert codes(search_services(services, "SB")) == ["SB-KSL"]


def test_prefix_matches_come_before_anywhere_matches(services):
    found = codes(search_services(services, "SY"))
    assert found == ["SY-DJ", "SY-BXJ"]


def test_initials_found_anywhere_when_none_start_with_them(services):
    # no service's initials start with BX; 城乡居民养老保险 (CXJMYLBXCBDJ) and 失业保险金 (SYBXJ) contain it
    assert codes(search_services(services, "BX")) == ["SB-CBDJ", "SY-BXJ"]


def test_lower_case_and_spaces_are_accepted(services):
    assert codes(search_services(services, " s b ")) == ["SB-KSL"]
    assert normalize_query(" s b ") == "SB"


def test_chinese_text_matches_name_or_category(services):
    assert codes(search_services(services, "法律")) == ["FL-YZ", "FL-ZX"]
    assert set(codes(search_services(services, "退役军人"))) == {"TY-YDK", "TY-XX"}


def test_nothing_found_is_an_empty_list(services):
    assert search_services(services, "QQQ") == []
    assert search_services(services, "火星") == []


def test_next_letters_only_offer_letters_that_find_something(services):
    after_sb = next_letters(services, "SB")
    assert after_sb == {"K"}
    assert {"E", "O", "U", "V", "W"}.isdisjoint(next_letters(services, ""))
    assert "S" in next_letters(services, "")
