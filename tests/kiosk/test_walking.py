import math

import pytest

from kiosk.domain.walking import (RING_MINUTES, haversine_m, minutes_between, offset_m, ring_radius_m,
                                  walking_minutes)

XIAOZHAI = (34.2247, 108.9512)
DAYANTA = (34.2183, 108.965)


def test_haversine_of_one_degree_of_latitude_is_about_111_km():
    assert haversine_m(34.0, 108.0, 35.0, 108.0) == pytest.approx(111_195, rel=1e-3)


def test_haversine_is_symmetric_and_zero_at_the_same_point():
    assert haversine_m(*XIAOZHAI, *XIAOZHAI) == 0
    assert haversine_m(*XIAOZHAI, *DAYANTA) == pytest.approx(haversine_m(*DAYANTA, *XIAOZHAI))


def test_xiaozhai_to_dayanta_is_about_1_4_km():
    assert haversine_m(*XIAOZHAI, *DAYANTA) == pytest.approx(1440, rel=0.03)


@pytest.mark.parametrize("metres, minutes", [(0, 0), (1, 1), (80, 1), (81, 2), (400, 5), (800, 10), (1200, 15)])
def test_walking_minutes_round_up_at_80_metres_a_minute(metres, minutes):
    assert walking_minutes(metres) == minutes


def test_walking_speed_can_be_changed():
    assert walking_minutes(600, speed_m_per_min=60) == 10


@pytest.mark.parametrize("metres, speed", [(-1, 80), (100, 0)])
def test_walking_minutes_refuses_nonsense(metres, speed):
    with pytest.raises(ValueError):
        walking_minutes(metres, speed)


def test_minutes_between_stations():
    assert minutes_between(XIAOZHAI, DAYANTA) == math.ceil(haversine_m(*XIAOZHAI, *DAYANTA) / 80)


def test_rings_are_5_10_15_minutes():
    assert RING_MINUTES == (5, 10, 15)
    assert [ring_radius_m(m) for m in RING_MINUTES] == [400, 800, 1200]


def test_offset_points_east_and_south_for_dayanta():
    east, north = offset_m(XIAOZHAI, DAYANTA)
    assert east > 0 and north < 0
    assert math.hypot(east, north) == pytest.approx(haversine_m(*XIAOZHAI, *DAYANTA), rel=0.01)
