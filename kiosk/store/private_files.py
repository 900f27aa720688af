"""Files that hold residents' data or secrets are private whatever the umask: 0600 files in 0750
directories, from the moment they exist (never world-readable, not even for an instant)."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o750


def private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) as 0750; an existing one loses its rights for others."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777
    if mode & ~DIR_MODE:
        os.chmod(path, mode & DIR_MODE)


def private_file(path: Path) -> None:
    """Create ``path`` empty as 0600 if it is missing; an existing one loses its rights for others
    (an installer's 0640 for the kiosk group is kept)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        mode = os.fstat(fd).st_mode & 0o777
        if mode & 0o027:
            os.fchmod(fd, mode & 0o740)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically, 0600 from creation, on disk when this returns."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def private_append(path: Path, content: bytes) -> None:
    """Append ``content`` to ``path`` (created 0600), on disk when this returns."""
    new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        os.write(fd, content)
        os.fdatasync(fd)
    finally:
        os.close(fd)
    if new:
        _fsync_dir(path.parent)
