"""Rewrite the kiosk's TOML file safely: keep its other keys, its comments and its layout, and
validate before replacing it. The file is read and written by tomlkit, which keeps what a
technician or the installer wrote around the keys that change.

``read_existing(path)`` gives the document of the file there (empty when there is none);
``merged(data, updates)`` sets dotted keys in a copy; ``StagedConfig(path, data)`` writes a temporary file
beside ``path`` (mode 0640, fsynced) and loads it with ``kiosk.config``: an invalid result raises
ConfigError and never reaches ``path``. ``commit()`` renames it over ``path`` (and fsyncs the
folder); ``discard()`` removes it. The owner and group of a file replaced are kept.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError

from kiosk import config as kiosk_config

CONFIG_MODE = 0o640


class ConfigWriteError(Exception):
    """The file (or its folder) cannot be written: names the path and why."""


def read_existing(path: Path) -> tomlkit.TOMLDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return tomlkit.document()  # a new file; whether it can be written shows when it is staged
    except OSError as exc:
        raise kiosk_config.ConfigError("--write", str(path), f"a readable TOML file ({exc.strerror})") from None
    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        raise kiosk_config.ConfigError("--write", str(path), f"valid TOML to update ({exc})") from None


def merged(data: dict, updates: dict[str, object]) -> dict:
    """A copy of ``data`` with each dotted key of ``updates`` ("devices.idcard") set; in a document
    from `read_existing`, every other line (comments included) stays as it was."""
    result = copy.deepcopy(data)
    for dotted, value in updates.items():
        section, _, key = dotted.partition(".")
        if section not in result:
            result[section] = tomlkit.table() if isinstance(result, tomlkit.TOMLDocument) else {}
        result[section][key] = value
    return result


def check_value(dotted: str, value) -> str | None:
    """What kiosk.config says of one value ("kiosk.station_id" = "yt 1"): its message, or None if allowed."""
    try:
        kiosk_config.parse(merged({}, {dotted: value}), base=Path.cwd())
    except kiosk_config.ConfigError as exc:
        return str(exc)
    return None


class StagedConfig:
    """The new file, written beside the old one and loaded by kiosk.config, not yet in place."""

    def __init__(self, path: Path, data: dict):
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self._write(tomlkit.dumps(data).encode("utf-8"))
        try:
            self.config = self._load()
        except BaseException:
            self.discard()
            raise

    def _load(self) -> kiosk_config.Config:
        """The new file as the kiosk will load it; a ConfigError names ``path``, not the temporary file."""
        try:
            return kiosk_config.load(str(self.temporary))
        except kiosk_config.ConfigError as exc:
            exc.args = (str(exc).replace(str(self.temporary), str(self.path)),)
            raise

    def _write(self, content: bytes) -> None:
        try:
            fd = os.open(self.temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, CONFIG_MODE)
        except OSError as exc:
            raise ConfigWriteError(f"cannot write {self.path}: {exc.strerror}") from None
        try:
            os.fchmod(fd, CONFIG_MODE)
            _keep_owner(fd, self.path)
            os.write(fd, content)
            os.fsync(fd)
        except OSError as exc:
            self.discard()
            raise ConfigWriteError(f"cannot write {self.path}: {exc.strerror}") from None
        finally:
            os.close(fd)

    def commit(self) -> Path:
        try:
            os.replace(self.temporary, self.path)
            _fsync_folder(self.path.parent)
        except OSError as exc:
            self.discard()
            raise ConfigWriteError(f"cannot replace {self.path}: {exc.strerror}") from None
        return self.path

    def discard(self) -> None:
        try:
            os.unlink(self.temporary)
        except FileNotFoundError:
            pass


def _keep_owner(fd: int, path: Path) -> None:
    """As root, the new file gets the old one's owner and group (root:kiosk from the installer)."""
    if os.geteuid() != 0:
        return
    try:
        old = path.stat()
    except FileNotFoundError:
        return
    os.fchown(fd, old.st_uid, old.st_gid)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
