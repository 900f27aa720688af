"""What a stored rating carries for a provincial 好差评 system, stamped when the district stores it:
the moment as Unix seconds (``rated_ts``, for month ranges whatever offset the kiosk wrote), the
station's region code, the indicator version, and whether a phone was given (``with_contact``, kept
after the retention purge clears the number). Never an ID number: ratings carry none."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from sync.protocol import DISTRICT_CONFIG_KEY
from sync.server.catalogue import config_value
from sync.server.models import CatalogueItem

INDICATOR_KEY = "rating_indicator_version"
# The national standard the 好差评 indicators follow (政务服务评价工作指南); a district config item
# overrides it when the province publishes its own version.
INDICATOR_DEFAULT = "GB/T 39735-2020"
MAX_INDICATOR = 32
MAX_REGION = 12

CHANNEL_LABELS = {"kiosk": "自助终端", "window_pad": "窗口评价器", "phone": "二维码（手机）"}
LEVEL_LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

_CACHE_KEY = "rating_record_settings"


def rated_ts(rated_at: str) -> float | None:
    """Unix seconds of an RFC 3339 time with offset (None when it has none or cannot be read)."""
    try:
        moment = datetime.fromisoformat(rated_at)
    except (TypeError, ValueError):
        return None
    return moment.timestamp() if moment.tzinfo is not None else None


def indicator_version(session: Session) -> str:
    value = config_value(session, INDICATOR_KEY, INDICATOR_DEFAULT)
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_INDICATOR:
        return INDICATOR_DEFAULT
    return value.strip()


def district_region(session: Session) -> str | None:
    district = config_value(session, DISTRICT_CONFIG_KEY, None)
    code = district.get("code") if isinstance(district, dict) else None
    return region_code(code)


def region_code(code: Any) -> str | None:
    """A region code of digits (GB/T 2260 and its street extension), else None."""
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)
    if not isinstance(code, str) or not code.strip().isdigit() or len(code.strip()) > MAX_REGION:
        return None
    return code.strip()


def station_region(session: Session, station_id: str, default: str | None) -> str | None:
    """The station's own ``region_code`` in the catalogue (a street's 12-digit code), else the district's."""
    item = session.get(CatalogueItem, ("station", station_id))
    own = region_code(item.data.get("region_code")) if item is not None and isinstance(item.data, dict) else None
    return own or default


def record_fields(session: Session, payload: dict[str, Any]) -> dict[str, Any]:
    """The columns stamped on a rating row at store time (the config is read once per session)."""
    settings = session.info.get(_CACHE_KEY)
    if settings is None:
        settings = session.info[_CACHE_KEY] = {"version": indicator_version(session),
                                                "district": district_region(session), "regions": {}}
    station = payload["station_id"]
    regions = settings["regions"]
    if station not in regions:
        regions[station] = station_region(session, station, settings["district"])
    return {"rated_ts": rated_ts(payload["rated_at"]), "region_code": regions[station],
            "indicator_version": settings["version"], "with_contact": payload.get("contact_phone") is not None}
