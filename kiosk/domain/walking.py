"""Walking distance on foot: great-circle metres between two points and the minutes they take."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8
WALKING_M_PER_MIN = 80.0
RING_MINUTES = (5, 10, 15)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Metres along the earth's surface between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def walking_minutes(distance_m: float, speed_m_per_min: float = WALKING_M_PER_MIN) -> int:
    """Whole minutes to walk ``distance_m``, rounded up; 0 only for no distance at all."""
    if distance_m < 0:
        raise ValueError(f"distance must not be negative, got {distance_m}")
    if speed_m_per_min <= 0:
        raise ValueError(f"walking speed must be positive, got {speed_m_per_min}")
    return math.ceil(round(distance_m / speed_m_per_min, 6))


def minutes_between(here: tuple[float, float], there: tuple[float, float],
                    speed_m_per_min: float = WALKING_M_PER_MIN) -> int:
    """Walking minutes between two (lat, lon) points, in a straight line."""
    return walking_minutes(haversine_m(*here, *there), speed_m_per_min)


def ring_radius_m(minutes: float, speed_m_per_min: float = WALKING_M_PER_MIN) -> float:
    """The radius in metres of the circle reached in ``minutes`` of walking."""
    return minutes * speed_m_per_min


def offset_m(here: tuple[float, float], there: tuple[float, float]) -> tuple[float, float]:
    """(east, north) metres from ``here`` to ``there``: an equirectangular projection around ``here``."""
    lat0 = math.radians(here[0])
    east = math.radians(there[1] - here[1]) * math.cos(lat0) * EARTH_RADIUS_M
    north = math.radians(there[0] - here[0]) * EARTH_RADIUS_M
    return east, north
