"""Catalogue rows: seeded from the catalogue file on first start, later replaced by sync."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kiosk.domain.catalogue import Catalogue, Service, Station
from kiosk.store.tables import BundleRow, ServiceRow, SettingRow, StationRow


class CatalogueFileError(Exception):
    """The catalogue file is missing or not of the expected shape."""


def read_catalogue_file(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueFileError(f"catalogue file {path} cannot be read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise CatalogueFileError(f"catalogue file {path} is not JSON: {exc}") from None
    for key in ("services", "stations"):
        if not isinstance(data.get(key), list):
            raise CatalogueFileError(f"catalogue file {path}: '{key}' must be a list")
    return data


def replace_catalogue(session: Session, data: dict) -> None:
    """Replace services, bundles, stations and district name with ``data`` (in the caller's transaction)."""
    for table in (ServiceRow, BundleRow, StationRow):
        session.execute(delete(table))
    for position, item in enumerate(data["services"]):
        session.add(ServiceRow(code=item["code"], name=item["name"], category=item.get("category", ""),
                               prefix=item.get("prefix", "A"), position=position,
                               data=json.dumps(item, ensure_ascii=False)))
    for item in data.get("bundles", []):
        session.add(BundleRow(code=item["code"], name=item["name"], data=json.dumps(item, ensure_ascii=False)))
    for item in data["stations"]:
        session.add(StationRow(id=item["id"], name=item["name"], data=json.dumps(item, ensure_ascii=False)))
    district = json.dumps(data.get("district", {}), ensure_ascii=False)
    session.merge(SettingRow(key="district", value=district))


def seed_if_empty(engine: Engine, path: Path) -> bool:
    """Load the catalogue file when the store has no services yet. Returns whether it loaded."""
    with Session(engine) as session, session.begin():
        if session.scalar(select(func.count()).select_from(ServiceRow)):
            return False
        replace_catalogue(session, read_catalogue_file(path))
    return True


def load_catalogue(engine: Engine) -> Catalogue:
    with Session(engine) as session:
        services = tuple(Service.from_dict(json.loads(row.data)) for row in
                         session.scalars(select(ServiceRow).order_by(ServiceRow.position)))
        stations = tuple(Station.from_dict(json.loads(row.data)) for row in
                         session.scalars(select(StationRow).order_by(StationRow.id)))
        district = session.get(SettingRow, "district")
    categories = tuple(dict.fromkeys(s.category for s in services))
    name = json.loads(district.value).get("name", "") if district else ""
    return Catalogue(services=services, stations=stations, district_name=name, categories=categories)
