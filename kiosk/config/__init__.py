"""Typed configuration, declared once, loaded once at start and passed in.

Source: ``--config PATH``, else ``$KIOSK_CONFIG``, else ``/etc/kiosk/kiosk.toml``, else the demo
default in ``config/demo.toml``. ``$KIOSK_DATA_DIR`` overrides the data directory. Relative paths
in a file are relative to that file's folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEMO_CONFIG = PROJECT_DIR / "config" / "demo.toml"
SYSTEM_CONFIG = Path("/etc/kiosk/kiosk.toml")
DEVICE_SCHEMES = ("sim", "serial", "tcp", "usb", "file", "none")


class ConfigError(Exception):
    """A configuration value is wrong: names the key, the value and what is allowed."""

    def __init__(self, key: str, value: object, allowed: str, source: str = ""):
        where = f" in {source}" if source else ""
        super().__init__(f"configuration error{where}: {key} = {value!r}: {allowed}")
        self.key = key


@dataclass(frozen=True)
class KioskSection:
    id: str = "YT-XZ-01"
    station_id: str = "yt-xiaozhai"
    data_dir: Path = Path("/var/lib/kiosk")
    timezone: str = "Asia/Shanghai"
    day_rollover_hour: int = 4
    check_opening_hours: bool = True
    elderly_age: int = 60
    idle_seconds: int = 90
    language: str = "zh_CN"
    ticket_url: str = "https://zwfw.example.gov.cn/t/{token}"  # the district's config item ticket_url comes first
    id_digest_key: str = ""
    technician_pin_hash: str = ""


@dataclass(frozen=True)
class NumberingSection:
    mode: str = "block"
    first: int = 1
    last: int = 999
    letter: str = ""


@dataclass(frozen=True)
class DevicesSection:
    idcard: str = "sim://"
    printer: str = "sim://"
    idcard_poll_ms: int = 35


@dataclass(frozen=True)
class CatalogueSection:
    file: Path = PROJECT_DIR / "assets" / "catalogue" / "yanta.json"


@dataclass(frozen=True)
class SyncSection:
    server: str = ""
    interval_seconds: int = 60
    start_spread_seconds: int = 600
    retention_days: int = 30
    ca_file: str = ""  # the certificate (PEM) sync.server presents, when not in the system's trust store (a station)


@dataclass(frozen=True)
class Config:
    source: str = ""
    kiosk: KioskSection = field(default_factory=KioskSection)
    numbering: NumberingSection = field(default_factory=NumberingSection)
    devices: DevicesSection = field(default_factory=DevicesSection)
    catalogue: CatalogueSection = field(default_factory=CatalogueSection)
    sync: SyncSection = field(default_factory=SyncSection)
    station: "StationSection" = field(default_factory=lambda: StationSection())

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.kiosk.timezone)

    @property
    def database_path(self) -> Path:
        return self.kiosk.data_dir / "kiosk.sqlite3"


@dataclass(frozen=True)
class StationSection:
    """Read by `kiosk station-service` only."""

    tls_cert: str = ""  # PEM certificate and key: https on the station LAN (`kiosk station-cert` makes them)
    tls_key: str = ""
    rating_window_days: int = 0  # ratings close at the end of the ticket's business day, plus these days
    announce_english: bool = False  # the hall display speaks each call in English too, after Mandarin twice


SECTIONS = {"kiosk": KioskSection, "numbering": NumberingSection, "devices": DevicesSection,
            "catalogue": CatalogueSection, "sync": SyncSection, "station": StationSection}

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _only_fields(template: str, allowed: tuple[str, ...]) -> bool:
    import string

    try:
        return all(name in allowed for _t, name, _f, _c in string.Formatter().parse(template) if name is not None)
    except ValueError:
        return False


def _check(key: str, value, source: str) -> None:
    """Value rules beyond the type: one place, named by the dotted key."""
    def bad(allowed: str):
        raise ConfigError(key, value, allowed, source)

    if key in ("kiosk.id", "kiosk.station_id") and not _ID.match(value):
        bad("1-64 letters, digits, '-' or '_', starting with a letter or digit")
    if key == "kiosk.timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            bad("an IANA time zone such as 'Asia/Shanghai'")
    if key == "kiosk.day_rollover_hour" and not 0 <= value <= 23:
        bad("an hour from 0 to 23")
    if key == "kiosk.elderly_age" and not 50 <= value <= 100:
        bad("an age from 50 to 100")
    if key == "kiosk.idle_seconds" and not 10 <= value <= 3600:
        bad("seconds from 10 to 3600")
    if key == "kiosk.language" and value not in ("zh_CN", "en"):
        bad("'zh_CN' or 'en'")
    if key == "numbering.mode" and value not in ("block", "letter"):
        bad("'block' (a range of numbers per kiosk) or 'letter' (a letter per kiosk)")
    if key in ("numbering.first", "numbering.last") and not 1 <= value <= 999:
        bad("a number from 1 to 999")
    if key == "numbering.letter" and not re.fullmatch(r"[A-Z]?", value):
        bad("one capital letter A-Z, or empty")
    if key.startswith("devices.") and value.partition("://")[0] not in DEVICE_SCHEMES:
        bad("a device URL: sim://, serial:///dev/ttyUSB0?baudrate=115200, tcp://HOST:9100, "
            "usb://VID:PID, file:///dev/usb/lp0 or none://")
    if key == "sync.server" and value and not re.match(r"^https?://[^/\s]+", value):
        bad("empty (offline only) or an http(s):// URL")
    if key == "kiosk.ticket_url" and not (value.startswith(("http://", "https://")) and "{token}" in value
                                          and _only_fields(value, ("token", "station_id", "ticket_id", "number"))):
        bad("the phone pages' http(s) URL containing {token}, such as https://district.example.gov.cn/t/{token}")
    if key == "kiosk.id_digest_key" and value and not re.fullmatch(r"[0-9a-fA-F]{32,128}", value):
        bad("empty (no digest) or the district key as 32-128 hex digits")
    if key == "kiosk.technician_pin_hash" and value and not re.fullmatch(
            r"pbkdf2_sha256\$\d+\$[0-9a-f]{16,64}\$[0-9a-f]{64}", value):
        bad("empty (technician mode off) or a hash printed by `kiosk pin-hash`")
    if key == "devices.idcard_poll_ms" and not 10 <= value <= 2000:
        bad("milliseconds from 10 to 2000")
    if key == "sync.start_spread_seconds" and not 0 <= value <= 86400:
        bad("seconds from 0 to 86400")
    if key == "sync.interval_seconds" and not 5 <= value <= 86400:
        bad("seconds from 5 to 86400")
    if key == "sync.retention_days" and not 1 <= value <= 3650:
        bad("days from 1 to 3650")
    if key in ("sync.ca_file", "station.tls_cert", "station.tls_key") and value and not value.startswith("/"):
        bad("empty, or the absolute path of a PEM file")
    if key == "station.rating_window_days" and not 0 <= value <= 30:
        bad("days from 0 (the ticket's business day only) to 30")


def _convert(key: str, raw, kind, base: Path, source: str):
    if kind is bool:
        if not isinstance(raw, bool):
            raise ConfigError(key, raw, "true or false", source)
        return raw
    if kind is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ConfigError(key, raw, "a whole number", source)
        return raw
    if not isinstance(raw, str):
        raise ConfigError(key, raw, "a string", source)
    if kind is Path:
        path = Path(raw).expanduser()
        return path if path.is_absolute() else (base / path).resolve()
    return raw


def parse(data: dict, *, base: Path, source: str = "") -> Config:
    sections = {}
    for name, value in data.items():
        if name not in SECTIONS:
            raise ConfigError(name, "[section]", f"known sections are {', '.join(SECTIONS)}", source)
        if not isinstance(value, dict):
            raise ConfigError(name, value, "a [table]", source)
    for name, cls in SECTIONS.items():
        given = dict(data.get(name, {}))
        known = {f.name: f for f in fields(cls)}
        for key in given:
            if key not in known:
                raise ConfigError(f"{name}.{key}", given[key], f"known keys are {', '.join(known)}", source)
        values = {}
        for key, raw in given.items():
            kind = type(getattr(cls(), key))
            kind = Path if issubclass(kind, Path) else kind
            values[key] = _convert(f"{name}.{key}", raw, kind, base, source)
            _check(f"{name}.{key}", values[key], source)
        sections[name] = cls(**values)
    numbering = sections["numbering"]
    if numbering.first > numbering.last:
        raise ConfigError("numbering.first", numbering.first,
                          f"must not be above numbering.last ({numbering.last})", source)
    if numbering.mode == "letter" and not numbering.letter:
        raise ConfigError("numbering.letter", "", "a capital letter when numbering.mode = 'letter'", source)
    station = sections["station"]
    if bool(station.tls_cert) != bool(station.tls_key):
        raise ConfigError("station.tls_key" if station.tls_cert else "station.tls_cert", "",
                          "both station.tls_cert and station.tls_key, or neither", source)
    return Config(source=source, **sections)


def config_path(explicit: str | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get("KIOSK_CONFIG"):
        return Path(os.environ["KIOSK_CONFIG"])
    if SYSTEM_CONFIG.exists():
        return SYSTEM_CONFIG
    return DEMO_CONFIG


def load(explicit: str | None = None) -> Config:
    path = config_path(explicit)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError("--config", str(path), f"a readable TOML file ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("--config", str(path), f"valid TOML ({exc})") from None
    config = parse(data, base=path.resolve().parent, source=str(path))
    override = os.environ.get("KIOSK_DATA_DIR")
    if override:
        kiosk = KioskSection(**{**config.kiosk.__dict__, "data_dir": Path(override).resolve()})
        config = Config(**{**config.__dict__, "kiosk": kiosk})
    return config


DEMO_SECRETS = ("technician_pin_hash", "id_digest_key")


def demo_config() -> Config:
    """The demo configuration as its file says (no environment override): its secrets are public."""
    return parse(tomllib.loads(DEMO_CONFIG.read_text(encoding="utf-8")), base=DEMO_CONFIG.parent)


def demo_secrets_in(config: Config) -> list[str]:
    """The keys of ``config`` that hold the demo configuration's public secrets (the demo PIN 2468's
    hash, the demo digest key): a kiosk in the field must have its own."""
    demo = demo_config()
    return [f"kiosk.{key}" for key in DEMO_SECRETS
            if getattr(demo.kiosk, key) and getattr(config.kiosk, key) == getattr(demo.kiosk, key)]
