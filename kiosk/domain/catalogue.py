"""Service items (事项 with their 办事指南), bundles (一件事一次办) and stations, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field


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

    @classmethod
    def from_dict(cls, data: dict) -> "Service":
        known = {name for name in cls.__dataclass_fields__}
        values = {key: value for key, value in data.items() if key in known}
        values["materials"] = tuple(data.get("materials") or ())
        return cls(**values)


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

    @classmethod
    def from_dict(cls, data: dict) -> "Station":
        known = {name for name in cls.__dataclass_fields__}
        values = {key: value for key, value in data.items() if key in known}
        values["hours"] = tuple(data.get("hours") or ())
        values["services"] = tuple(data.get("services") or ())
        return cls(**values)

    def hours_text(self) -> str:
        names = {"1-5": "周一至周五", "6": "周六", "7": "周日", "6-7": "周六日", "1-7": "每天"}
        return "；".join(f"{names.get(str(h['days']), h['days'])} {h['open']}-{h['close']}" for h in self.hours)


BUNDLE_CATEGORY = "一件事一次办"


@dataclass(frozen=True)
class Catalogue:
    services: tuple[Service, ...] = ()
    stations: tuple[Station, ...] = ()
    district_name: str = ""
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
        materials: list[str] = []
        for member in bundle.get("services", []):
            item = self.service(member)
            materials += [m for m in (item.materials if item else ()) if m not in materials]
        return Service(code=bundle["code"], name=bundle["name"], category=BUNDLE_CATEGORY,
                       prefix=bundle.get("prefix", "Y"), name_en=bundle.get("name_en", ""),
                       materials=tuple(materials), window=bundle.get("window", ""))

    def station(self, station_id: str) -> Station | None:
        return next((s for s in self.stations if s.id == station_id), None)
