"""Fixtures for the kiosk package: a configuration on a fresh data directory, and a store on it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kiosk import config as kiosk_config


@pytest.fixture
def config(tmp_path, monkeypatch) -> kiosk_config.Config:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    return kiosk_config.load(str(kiosk_config.DEMO_CONFIG))


@pytest.fixture
def store(config):
    from kiosk.app import open_store

    store = open_store(config)
    yield store
    store.close()


def with_numbering(config, **values):
    return dataclasses.replace(config, numbering=dataclasses.replace(config.numbering, **values))


def data_dir(config) -> Path:
    return config.kiosk.data_dir
