"""Service items (事项 with their 办事指南), bundles (一件事一次办) and stations, as plain data.

Each text the resident reads may have an English twin (``name_en``, ``materials_en``...). They are
all optional: ``in_english()`` gives the item with its English texts, Chinese where none is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


def _english(chinese: str, english) -> str:
    return english if isinstance(english, str) and english.strip() else chinese


def english_list(chinese, english) -> tuple[str, ...]:
    """Item by item: the English text where one is given, else the Chinese one (never an empty line)."""
    english = list(english) if isinstance(english, (list, tuple)) else []
    return tuple(_english(zh, english[i] if i < len(english) else "") for i, zh in enumerate(chinese))


def bundle_text(bundle: dict, key: str, english: bool) -> str:
    """A bundle's ``name``, ``description`` or ``window``, in English when asked and given."""
    chinese = bundle.get(key) or ""
    return _english(chinese, bundle.get(f"{key}_en")) if english else chinese


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    category: str
    prefix: str
    name_en: str = ""
    category_en: str = ""
    initials: str = ""
    materials: tuple[str, ...] = ()
    fee: str = ""
    time_limit: str = ""
    scope: str = "station"
    department: str = ""
    window: str = ""
    online_url: str | None = None
    id_optional: bool = False
    materials_en: tuple[str, ...] = ()
    fee_en: str = ""
    time_limit_en: str = ""
    department_en: str = ""
    window_en: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> "Service":
        known = {name for name in cls.__dataclass_fields__}
        values = {key: value for key, value in data.items() if key in known}
        values["materials"] = tuple(data.get("materials") or ())
        values["materials_en"] = tuple(data.get("materials_en") or ())
        return cls(**values)

    def in_english(self) -> "Service":
        """This service with its English texts in the Chinese fields (Chinese where none is given)."""
        return replace(self, name=_english(self.name, self.name_en),
                       category=_english(self.category, self.category_en),
                       materials=english_list(self.materials, self.materials_en),
                       fee=_english(self.fee, self.fee_en), time_limit=_english(self.time_limit, self.time_limit_en),
                       department=_english(self.department, self.department_en),
                       window=_english(self.window, self.window_en))

    def in_language(self, english: bool) -> "Service":
        return self.in_english() if english else self


@dataclass(frozen=True)
class Station:
    id: str
    name: str
    address: str = ""
    lat: float = 0.0
    lon: float = 0.0
    kind: str = "center"
    hours: tuple[dict, ...] = ()
    services: tuple[str, ...] = ()
    noon_open: bool = False
    extended_hours: bool = False
    self_service_24h: bool = False
    phone: str = ""
    name_en: str = ""
    address_en: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> "Station":
        known = {name for name in cls.__dataclass_fields__}
        values = {key: value for key, value in data.items() if key in known}
        values["hours"] = tuple(data.get("hours") or ())
        values["services"] = tuple(data.get("services") or ())
        return cls(**values)

    def in_english(self) -> "Station":
        """This station with its English name and address (Chinese where none is given)."""
        return replace(self, name=_english(self.name, self.name_en), address=_english(self.address, self.address_en))

    def in_language(self, english: bool) -> "Station":
        return self.in_english() if english else self

    def hours_text(self) -> str:
        names = {"1-5": "周一至周五", "6": "周六", "7": "周日", "6-7": "周六日", "1-7": "每天"}
        return "；".join(f"{names.get(str(h['days']), h['days'])} {h['open']}-{h['close']}" for h in self.hours)


BUNDLE_CATEGORY = "一件事一次办"


@dataclass(frozen=True)
class Catalogue:
    services: tuple[Service, ...] = ()
    stations: tuple[Station, ...] = ()
    district_name: str = ""
    district_name_en: str = ""
    categories: tuple[str, ...] = field(default=())
    bundles: tuple[dict, ...] = ()
    rating_reasons: tuple[str, ...] | None = None

    def service(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)

    def bundle(self, code: str) -> dict | None:
        return next((b for b in self.bundles if b.get("code") == code), None)

    def queue_item(self, code: str) -> Service | None:
        """What a number can be taken for: a service, or a bundle's own window (一件事一次办)."""
        service = self.service(code)
        if service is not None:
            return service
        bundle = self.bundle(code)
        if bundle is None:
            return None
        materials = self.bundle_materials(bundle)
        return Service(code=bundle["code"], name=bundle["name"], category=BUNDLE_CATEGORY,
                       prefix=bundle.get("prefix", "Y"), name_en=bundle.get("name_en", ""),
                       materials=tuple(materials), materials_en=tuple(materials.values()),
                       window=bundle.get("window", ""), window_en=bundle.get("window_en", ""))

    def bundle_materials(self, bundle: dict) -> dict[str, str]:
        """Every material of the bundle's services once, in first-seen order: {Chinese: English}
        (the English is the Chinese text when the service gives none)."""
        merged: dict[str, str] = {}
        for member in bundle.get("services", []):
            item = self.service(member)
            if item is None:
                continue
            for chinese, english in zip(item.materials, english_list(item.materials, item.materials_en)):
                merged.setdefault(chinese.strip(), english.strip())
        return merged

    def station(self, station_id: str) -> Station | None:
        return next((s for s in self.stations if s.id == station_id), None)
