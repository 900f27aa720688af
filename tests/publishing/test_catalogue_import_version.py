"""`district-server import-catalogue` is a publish too: every changed item versioned (author
import-catalogue), the catalogue version up by one when anything changed and only then, the
counter never taken from a file nor deleted by one."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from sync.server.catalogue import CatalogueError, import_catalogue, parse_catalogue
from sync.server.db import make_engine, transaction
from sync.server.models import CatalogueItem, CatalogueVersion
from sync.server.publishing.versions import catalogue_version

CATALOGUE = Path(__file__).resolve().parents[2] / "assets" / "catalogue" / "yanta.json"


def imported(db_url: str, document: dict) -> dict:
    engine = make_engine(db_url)
    try:
        with transaction(sessionmaker(engine)) as session:
            return import_catalogue(session, parse_catalogue(document), time.time())
    finally:
        engine.dispose()


def read(db_url: str, work):
    engine = make_engine(db_url)
    try:
        with transaction(sessionmaker(engine)) as session:
            return work(session)
    finally:
        engine.dispose()


def test_import_bumps_the_version_only_when_something_changed(db_url):
    document = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    assert read(db_url, catalogue_version) == 1  # the seed's import
    assert imported(db_url, document)["catalogue_version"] == 1  # nothing changed: no new version
    document["services"][0]["fee"] = "10元"
    document["config"] = {k: v for k, v in document["config"].items() if k != "one_hour_rule_minutes"}
    counts = imported(db_url, document)
    assert counts == {"upserted": 1, "deleted": 1, "pruned": 0, "catalogue_version": 2}
    assert read(db_url, lambda s: s.get(CatalogueItem, ("config", "catalogue_version")).data["value"]) == 2
    versions = read(db_url, lambda s: [(v.entity, v.item_id, v.version, v.author, v.data is None) for v in
                                       s.scalars(select(CatalogueVersion).where(CatalogueVersion.version == 2))])
    assert sorted(versions) == [("config", "one_hour_rule_minutes", 2, "import-catalogue", True),
                                ("service", "SB-KSL", 2, "import-catalogue", False)]


def test_a_file_may_not_set_the_counter(db_url):
    document = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    document["config"]["catalogue_version"] = 99
    with pytest.raises(CatalogueError, match="must not hold 'catalogue_version'"):
        parse_catalogue(document)
