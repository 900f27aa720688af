"""The card router: of a card read, only a masked resident crosses to the UI thread."""

from __future__ import annotations

from datetime import date

from drivers.idcard.sample_cards import ELDERLY_RESIDENT, YOUNG_RESIDENT
from drivers.idcard.textblock import parse_text_block
from kiosk.qt.card_router import CardRouter

TODAY = date(2026, 12, 3)
KEY = b"k" * 32


def test_a_card_becomes_a_masked_resident_without_name_or_number():
    info = parse_text_block(ELDERLY_RESIDENT.text)
    laid = CardRouter(lambda: TODAY, 60, KEY)(info)
    resident = laid.resident
    assert resident.id_masked == info.id_number[:6] + "********" + info.id_number[-4:]
    assert resident.elderly and resident.age == 76 and resident.source == "card"
    assert resident.display_name == "王**"
    assert len(resident.id_digest) == 64
    everything = f"{laid!r} {laid.card_test} {resident!r} {resident.display_name} {resident.id_masked}"
    assert info.id_number not in everything and info.name not in everything


def test_the_elderly_age_and_the_digest_key_come_from_the_kiosks_policy():
    info = parse_text_block(YOUNG_RESIDENT.text)
    young = CardRouter(lambda: TODAY, 60, b"")(info).resident
    assert not young.elderly and young.id_digest is None
    assert CardRouter(lambda: TODAY, 20, KEY)(info).resident.elderly
