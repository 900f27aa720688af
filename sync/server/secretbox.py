"""Kiosk secrets encrypted at rest: AES-256-GCM under a key file that only the server's user can
read (0600), bound to the kiosk id, so a copy of the database alone signs nothing.

Where the key lives, for a database:
- ``$DISTRICT_SERVER_KEY_FILE`` when it is set;
- beside a SQLite file: ``district.db`` has ``district.db.key``;
- for PostgreSQL: ``$STATE_DIRECTORY/secret.key`` (systemd's StateDirectory=), else
  ``~/.local/state/district-server/secret.key``.
The installer or the first start creates it (``ensure_key``); the first secret written creates it
too. A stored value that is not sealed (a database older than the encryption migration) is read as
it is."""

from __future__ import annotations

import base64
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from sync.server.private_files import write_private_file

PREFIX = "gcm1:"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_FILE_ENV = "DISTRICT_SERVER_KEY_FILE"

_lock = threading.Lock()
_keys: dict[str, bytes] = {}


class SecretKeyError(RuntimeError):
    """The key file is missing where sealed secrets exist, unreadable, or not a key."""


def key_path(url: Any) -> Path | None:
    """The key file of the database at ``url`` (a SQLAlchemy URL); None: an in-memory database."""
    override = os.environ.get(KEY_FILE_ENV)
    if override:
        return Path(override)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database).absolute().with_name(Path(database).name + ".key")
    state = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
    base = Path(state) if state else Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "district-server"
    return base / "secret.key"


def _read_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = base64.b64decode(text, validate=True)
    except (OSError, ValueError) as exc:
        raise SecretKeyError(f"key file {path} cannot be read: {exc}") from None
    if len(key) != KEY_BYTES:
        raise SecretKeyError(f"key file {path} does not hold a {KEY_BYTES}-byte key")
    return key


def ensure_key(path: Path | None, *, create: bool = True) -> bytes:
    """The key in ``path``, made (0600) when missing and ``create``; cached per process."""
    name = str(path) if path is not None else ":memory:"
    with _lock:
        if name in _keys:
            return _keys[name]
        if path is None:
            key = secrets.token_bytes(KEY_BYTES)
        elif path.exists():
            key = _read_key(path)
        elif not create:
            raise SecretKeyError(f"key file {path} is missing: kiosk secrets cannot be read without it")
        else:
            try:
                write_private_file(path, base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n", exclusive=True)
            except FileExistsError:
                pass  # another process made it first: use theirs
            key = _read_key(path)
        _keys[name] = key
        return key


def forget_keys() -> None:
    """Drop the cached keys (tests that replace a key file)."""
    with _lock:
        _keys.clear()


def _aesgcm(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def is_sealed(stored: str | None) -> bool:
    return isinstance(stored, str) and stored.startswith(PREFIX)


def seal(key: bytes, secret_b64: str, kiosk_id: str) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _aesgcm(key).encrypt(nonce, secret_b64.encode("ascii"), kiosk_id.encode("utf-8"))
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def unseal(key: bytes, stored: str, kiosk_id: str) -> str:
    if not is_sealed(stored):
        return stored
    from cryptography.exceptions import InvalidTag

    raw = base64.b64decode(stored[len(PREFIX):])
    try:
        return _aesgcm(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], kiosk_id.encode("utf-8")).decode("ascii")
    except InvalidTag:
        raise SecretKeyError(f"the secret of kiosk {kiosk_id!r} does not open with this key file "
                             "(replaced key, or a row copied from another kiosk)") from None


def _url_of(bind: Any) -> Any:
    """The URL of an Engine, Connection or Session."""
    if hasattr(bind, "get_bind"):
        bind = bind.get_bind()
    return getattr(bind, "engine", bind).url


def seal_for(bind: Any, secret_b64: str, kiosk_id: str) -> str:
    """The value to store for a kiosk's secret in the database of ``bind``."""
    return seal(ensure_key(key_path(_url_of(bind))), secret_b64, kiosk_id)


def unseal_for(bind: Any, stored: str, kiosk_id: str) -> str:
    """The kiosk's secret (base64) from its stored value in the database of ``bind``."""
    if not is_sealed(stored):
        return stored
    return unseal(ensure_key(key_path(_url_of(bind)), create=False), stored, kiosk_id)
