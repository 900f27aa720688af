"""Files of the district server that hold residents' data or secrets are private whatever the
umask: 0600 from the moment they exist (never readable by others, not even for an instant)."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def private_file(path: Path) -> None:
    """Create ``path`` empty as 0600 if it is missing; an existing one loses every right of others
    and the group's write (an installer's 0640 for a service group is kept)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        mode = os.fstat(fd).st_mode & 0o777
        if mode & 0o027:
            os.fchmod(fd, mode & 0o740)
    finally:
        os.close(fd)


def private_sqlite_file(database: str | None) -> None:
    """Before SQLite opens ``database``: the file (and any WAL, shared-memory or journal file
    already beside it) private. SQLite gives the files it creates later the mode of the database
    file. A missing directory is left for SQLite to report."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return
    try:
        private_file(path)
        for suffix in SQLITE_SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                private_file(side)
    except OSError:
        return  # unwritable or not a file: SQLite says so in its own words when it opens it


def write_private_file(path: Path, content: bytes, *, exclusive: bool = False) -> None:
    """Write ``content`` to ``path`` atomically, 0600 from creation, on disk when this returns.
    With ``exclusive``, an existing file is kept (FileExistsError): two first starts cannot make
    two keys."""
    path.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        if exclusive:
            os.link(temporary, path)  # fails when the file exists; never replaces it
        else:
            os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
