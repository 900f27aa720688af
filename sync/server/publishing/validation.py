"""What the console may publish: each item checked field by field against what the kiosk can show
(the kiosk's Service, Station and bundle fields), with the catalogue file's own text checks
(sync.server.catalogue.check_texts), and the config items the district sets, by type."""

from __future__ import annotations

import re
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.catalogue import CatalogueError, check_texts
from sync.server.models import CatalogueItem
from sync.server.publishing.versions import VERSION_KEY

ENTITIES = {"service": ("services", "code"), "bundle": ("bundles", "code"), "station": ("stations", "id"),
            "notice": ("notices", "id"), "config": ("config", "key")}
TEXT_MAX, ITEM_MAX = 500, 60
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
DAYS = re.compile(r"([1-7])(?:-([1-7]))?")
SCOPES = ("station", "district", "online")
STATION_KINDS = ("center", "community", "post")


class Invalid(ValueError):
    """A field the kiosk could not show: the message names it."""


def _text(item: dict, field: str, *, required: bool = False, limit: int = TEXT_MAX) -> None:
    value = item.get(field)
    if value is None and not required:
        return
    if not isinstance(value, str):
        raise Invalid(f"{field} must be a string")
    if required and not value.strip():
        raise Invalid(f"{field} must not be empty")
    if len(value) > limit:
        raise Invalid(f"{field} is {len(value)} characters; at most {limit}")


def _pattern(item: dict, field: str, pattern: str, what: str) -> None:
    if field in item and not (isinstance(item[field], str) and re.fullmatch(pattern, item[field])):
        raise Invalid(f"{field} must be {what}")


def _bool(item: dict, field: str) -> None:
    if field in item and not isinstance(item[field], bool):
        raise Invalid(f"{field} must be true or false")


def _lines(item: dict, field: str) -> None:
    value = item.get(field)
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"{field} must be a list of strings")
    if len(value) > ITEM_MAX:
        raise Invalid(f"{field} has {len(value)} lines; at most {ITEM_MAX}")
    for index, line in enumerate(value):
        if not line.strip():
            raise Invalid(f"{field}[{index}] is empty")
        if len(line) > TEXT_MAX:
            raise Invalid(f"{field}[{index}] is {len(line)} characters; at most {TEXT_MAX}")


def _number(item: dict, field: str, low: float, high: float) -> None:
    value = item.get(field)
    if field in item and (isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high):
        raise Invalid(f"{field} must be a number from {low:g} to {high:g}")


def _known(item: dict, fields: set[str], entity: str) -> None:
    unknown = sorted(set(item) - fields)
    if unknown:
        raise Invalid(f"unknown field(s) for a {entity}: {', '.join(unknown)}; known: {', '.join(sorted(fields))}")


def _twins(*names: str) -> set[str]:
    return {name for base in names for name in (base, f"{base}_en")}


SERVICE_FIELDS = _twins("name", "category", "materials", "fee", "time_limit", "department", "window") | {
    "code", "prefix", "initials", "scope", "online_url", "id_optional"}
BUNDLE_FIELDS = _twins("name", "description", "window") | {"code", "prefix", "initials", "services"}
STATION_FIELDS = _twins("name", "address") | {"id", "lat", "lon", "kind", "hours", "services", "noon_open",
                                              "extended_hours", "self_service_24h", "phone"}
NOTICE_FIELDS = _twins("title", "text") | {"id", "stations"}


def _english_lines(item: dict, field: str) -> None:
    chinese, english = item.get(field) or [], item.get(f"{field}_en") or []
    if len(english) > len(chinese):
        raise Invalid(f"{field}_en has {len(english)} lines for {len(chinese)} in {field}: one English line per "
                      "Chinese line (a missing one shows the Chinese)")


def _service(item: dict, known: Callable[[str], set[str]]) -> None:
    _known(item, SERVICE_FIELDS, "service")
    _text(item, "name", required=True, limit=80)
    _text(item, "category", required=True, limit=40)
    for field in ("name_en", "category_en", "fee", "fee_en", "time_limit", "time_limit_en", "department",
                  "department_en", "window", "window_en"):
        _text(item, field)
    _pattern(item, "prefix", r"[A-Z]", "one capital letter A-Z (the queue's letter)")
    _pattern(item, "initials", r"[A-Z0-9]{0,20}", "capital letters and digits (the initials search)")
    if item.get("scope", "station") not in SCOPES:
        raise Invalid(f"scope must be one of {', '.join(SCOPES)}")
    if item.get("online_url") is not None:
        _pattern(item, "online_url", r"https?://[^\s]{1,300}", "an http(s) URL")
    _bool(item, "id_optional")
    _lines(item, "materials")
    _lines(item, "materials_en")
    _english_lines(item, "materials")


def _codes(item: dict, field: str, known: set[str], what: str) -> None:
    value = item.get(field)
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"{field} must be a list of {what} codes")
    unknown = [code for code in value if code not in known]
    if unknown:
        raise Invalid(f"{field}: no {what} {', '.join(unknown[:5])}")
    if len(set(value)) != len(value):
        raise Invalid(f"{field} lists a {what} twice")


def _bundle(item: dict, known: Callable[[str], set[str]]) -> None:
    _known(item, BUNDLE_FIELDS, "bundle")
    _text(item, "name", required=True, limit=80)
    for field in ("name_en", "description", "description_en", "window", "window_en"):
        _text(item, field)
    _pattern(item, "prefix", r"[A-Z]", "one capital letter A-Z (the queue's letter)")
    _pattern(item, "initials", r"[A-Z0-9]{0,20}", "capital letters and digits (the initials search)")
    if not item.get("services"):
        raise Invalid("services must list the bundle's services (at least one)")
    _codes(item, "services", known("service"), "service")


def _hours(value: Any) -> None:
    if not isinstance(value, list) or len(value) > 14:
        raise Invalid("hours must be a list of {\"days\": \"1-5\", \"open\": \"09:00\", \"close\": \"17:30\"}")
    for index, period in enumerate(value):
        where = f"hours[{index}]"
        if not isinstance(period, dict) or set(period) != {"days", "open", "close"}:
            raise Invalid(f"{where} must be an object of days, open and close")
        days = DAYS.fullmatch(str(period["days"])) if isinstance(period["days"], str) else None
        if days is None or (days[2] and int(days[2]) < int(days[1])):
            raise Invalid(f"{where}.days must be a weekday 1-7 or a range such as \"1-5\" (1 = Monday)")
        for field in ("open", "close"):
            if not isinstance(period[field], str) or not TIME.fullmatch(period[field]):
                raise Invalid(f"{where}.{field} must be a time HH:MM such as 09:00")
        if period["open"] >= period["close"]:
            raise Invalid(f"{where}: open {period['open']} must be before close {period['close']}")


def _station(item: dict, known: Callable[[str], set[str]]) -> None:
    _known(item, STATION_FIELDS, "station")
    _text(item, "name", required=True, limit=80)
    for field in ("name_en", "address", "address_en"):
        _text(item, field)
    _pattern(item, "phone", r"[0-9+\- ]{0,20}", "a telephone number (digits, + and -)")
    _number(item, "lat", -90, 90)
    _number(item, "lon", -180, 180)
    if item.get("kind", "center") not in STATION_KINDS:
        raise Invalid(f"kind must be one of {', '.join(STATION_KINDS)}")
    for field in ("noon_open", "extended_hours", "self_service_24h"):
        _bool(item, field)
    if "hours" in item:
        _hours(item["hours"])
    _codes(item, "services", known("service") | known("bundle"), "service")


def _notice(item: dict, known: Callable[[str], set[str]]) -> None:
    _known(item, NOTICE_FIELDS, "notice")
    _text(item, "title", required=True, limit=80)
    _text(item, "text", required=True)
    _text(item, "title_en", limit=120)
    _text(item, "text_en")
    _codes(item, "stations", known("station"), "station")


def _ratio(value: Any) -> None:
    match = re.fullmatch(r"(\d{1,2}):(\d{1,2})", value) if isinstance(value, str) else None
    if match is None or int(match[1]) < 1 or int(match[2]) < 1:
        raise Invalid("call_ratio must be 'P:N' such as '1:2' (priority calls per normal calls, 1 to 99 each)")


def _int_range(name: str, low: int, high: int) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"{name} must be a whole number from {low} to {high}")
    return check


def _ticket_url(value: Any) -> None:
    if not (isinstance(value, str) and re.fullmatch(r"https?://\S{1,300}", value) and "{token}" in value):
        raise Invalid("ticket_url must be an http(s) URL holding {token}")


# The config items the console edits: key -> (check, Chinese label, English label, example)
SETTINGS: dict[str, tuple[Callable[[Any], None], str, str, Any]] = {
    "call_ratio": (_ratio, "叫号比例（优先:普通）", "Call ratio (priority:normal)", "1:2"),
    "one_hour_rule_minutes": (_int_range("one_hour_rule_minutes", 10, 480), "一小时办结时限（分钟）",
                              "One-hour rule (minutes)", 60),
    "followup_working_days": (_int_range("followup_working_days", 1, 30), "回访时限（工作日）",
                              "Follow-up call within (working days)", 5),
    "rectify_working_days": (_int_range("rectify_working_days", 1, 90), "整改时限（工作日）",
                             "Rectification within (working days)", 15),
    "ticket_url": (_ticket_url, "手机页面地址模板", "Phone page URL template", "https://zwfw.example.gov.cn/t/{token}"),
}


def _config(key: str, item: dict) -> None:
    if key == VERSION_KEY:
        raise Invalid(f"{VERSION_KEY} is counted by the district itself; it cannot be edited")
    if key not in SETTINGS:
        raise Invalid(f"no setting {key[:40]!r}; the console edits {', '.join(SETTINGS)}")
    _known(item, {"key", "value"}, "setting")
    if "value" not in item:
        raise Invalid("value is missing")
    SETTINGS[key][0](item["value"])


CHECKS = {"service": _service, "bundle": _bundle, "station": _station, "notice": _notice}


def known_ids(session: Session) -> Callable[[str], set[str]]:
    cache: dict[str, set[str]] = {}

    def ids(entity: str) -> set[str]:
        if entity not in cache:
            cache[entity] = set(session.scalars(select(CatalogueItem.item_id).where(CatalogueItem.entity == entity)))
        return cache[entity]
    return ids


def check_item(session: Session, entity: str, item_id: str, data: Any) -> dict[str, Any]:
    """The item as it will be published (its id field set), or Invalid naming what is wrong."""
    if entity not in ENTITIES:
        raise Invalid(f"no entity {entity[:40]!r}; one of {', '.join(ENTITIES)}")
    section, key = ENTITIES[entity]
    if not ID_PATTERN.fullmatch(item_id) and entity != "config":
        raise Invalid(f"{key} must be 1 to 64 letters, digits, '-', '_' or '.'")
    if not isinstance(data, dict):
        raise Invalid("data must be an object")
    if key in data and data[key] != item_id:
        raise Invalid(f"data.{key} {str(data[key])[:40]!r} is not the item's {key} {item_id!r}")
    item = {key: item_id, **{k: v for k, v in data.items() if k != key}}
    if entity == "config":
        _config(item_id, item)
        return item
    try:
        check_texts(section, entity, item)
    except CatalogueError as exc:
        raise Invalid(str(exc)) from None
    CHECKS[entity](item, known_ids(session))
    return item
