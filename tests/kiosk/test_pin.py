import pytest

from kiosk.domain.pin import LOCK_SECONDS, MAX_TRIES, PinGuard, hash_pin, pin_matches


def test_hash_is_salted_and_checks():
    first, second = hash_pin("2468", iterations=1000), hash_pin("2468", iterations=1000)
    assert first != second and pin_matches("2468", first) and not pin_matches("2469", first)
    assert not pin_matches("2468", "plain-text")


def test_pins_must_be_digits():
    with pytest.raises(ValueError, match="4 to 12 digits"):
        hash_pin("abc")


def test_five_wrong_tries_lock_for_five_minutes_then_the_right_pin_works():
    now = [1000.0]
    guard = PinGuard(hash_pin("2468", iterations=1000), lambda: now[0])
    for _ in range(MAX_TRIES - 1):
        assert guard.check("0000") == "wrong"
    assert guard.tries_left == 1
    assert guard.check("0000") == "locked"
    assert guard.check("2468") == "locked"  # even the right PIN while locked
    now[0] += LOCK_SECONDS - 1
    assert guard.check("2468") == "locked"
    now[0] += 2
    assert guard.check("2468") == "ok" and guard.tries_left == MAX_TRIES


def test_no_pin_configured_never_opens():
    assert PinGuard("", lambda: 0.0).check("0000") == "unset"
