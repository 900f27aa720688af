"""Staff passwords: Argon2id (argon2-cffi, memory-hard), with its own salt and parameters in the
stored text. An unknown account costs as much as a wrong password, so timing tells nothing."""

from __future__ import annotations

import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # Argon2id, RFC 9106's second recommended profile (64 MiB, 3 passes)
_DUMMY = _hasher.hash("no account has this password")
MIN_LENGTH = 10
MAX_LENGTH = 256
# At most this many hashes at once (64 MiB and a third of a second each): a flood of logins
# cannot take the memory or all the worker threads that the kiosks' uploads need.
_slots = threading.BoundedSemaphore(2)


def check_new_password(password: str) -> None:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValueError(f"a password has {MIN_LENGTH} to {MAX_LENGTH} characters")
    if "\x00" in password:
        raise ValueError("a password cannot hold NUL")


def hash_password(password: str) -> str:
    check_new_password(password)
    with _slots:
        return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; None (no such account) still costs one hash."""
    try:
        with _slots:
            return _hasher.verify(stored or _DUMMY, password[:MAX_LENGTH]) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
