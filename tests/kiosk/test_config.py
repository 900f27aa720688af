from pathlib import Path

import pytest

from kiosk import config as kiosk_config
from kiosk.config import ConfigError, parse


def test_demo_default_loads_and_resolves_paths_against_the_file(monkeypatch):
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    config = kiosk_config.load(str(kiosk_config.DEMO_CONFIG))
    assert config.kiosk.station_id == "yt-xiaozhai"
    assert config.catalogue.file.exists()
    assert config.kiosk.data_dir == (kiosk_config.PROJECT_DIR / "var" / "demo").resolve()


def test_data_dir_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    assert kiosk_config.load(str(kiosk_config.DEMO_CONFIG)).database_path == tmp_path / "kiosk.sqlite3"


def test_example_configs_are_valid():
    paths = sorted((kiosk_config.PROJECT_DIR / "config").glob("*.toml"))
    assert kiosk_config.DEMO_CONFIG in paths and len(paths) >= 2, f"example configs not found: {paths}"
    for path in paths:
        kiosk_config.load(str(path))


@pytest.mark.parametrize("data, key, allowed", [
    ({"kiosk": {"day_rollover_hour": 25}}, "kiosk.day_rollover_hour", "0 to 23"),
    ({"kiosk": {"timezone": "Mars/Olympus"}}, "kiosk.timezone", "IANA"),
    ({"kiosk": {"elderly_age": "sixty"}}, "kiosk.elderly_age", "whole number"),
    ({"kiosk": {"check_opening_hours": "yes"}}, "kiosk.check_opening_hours", "true or false"),
    ({"numbering": {"mode": "random"}}, "numbering.mode", "'block'"),
    ({"numbering": {"first": 600, "last": 500}}, "numbering.first", "not be above"),
    ({"numbering": {"mode": "letter"}}, "numbering.letter", "capital letter"),
    ({"devices": {"printer": "lpt1"}}, "devices.printer", "sim://"),
    ({"sync": {"server": "district"}}, "sync.server", "http"),
    ({"sync": {"retention_days": 0}}, "sync.retention_days", "days from 1 to 3650"),
    ({"sync": {"retention_days": 3651}}, "sync.retention_days", "days from 1 to 3650"),
    ({"sync": {"retention_days": "30"}}, "sync.retention_days", "whole number"),
    ({"kiosk": {"colour": "red"}}, "kiosk.colour", "known keys"),
    ({"printer": {}}, "printer", "known sections"),
])
def test_invalid_values_name_key_value_and_what_is_allowed(data, key, allowed):
    with pytest.raises(ConfigError) as error:
        parse(data, base=Path("/"), source="test.toml")
    message = str(error.value)
    assert error.value.key == key
    assert key in message and allowed in message and "test.toml" in message


def test_retention_days_defaults_to_30_and_takes_1_to_3650():
    assert parse({}, base=Path("/")).sync.retention_days == 30
    assert parse({"sync": {"retention_days": 1}}, base=Path("/")).sync.retention_days == 1
    assert parse({"sync": {"retention_days": 3650}}, base=Path("/")).sync.retention_days == 3650
