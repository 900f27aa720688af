"""Enrolling a kiosk with its sync server (`kiosk setup --server URL --token TOKEN`): the secret
is kept in a 0600 file in the data directory.

Exit codes shared with `kiosk sync`: 0 done · 2 bad argument or not enrolled · 4 cannot write ·
5 server unreachable · 6 refused by the server.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from kiosk.config.paths import secret_path
from kiosk.version import app_version

EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_STORE = 4
EXIT_UNREACHABLE = 5
EXIT_REFUSED = 6


def _fail(stream: TextIO, message: str, code: int) -> int:
    print(f"kiosk: {message}", file=stream)
    return code


class SetupFailed(Exception):
    """Enrolment did not happen: a one-line message and the exit code; `about` names the answer
    to give again ("token", "numbering") and `proposal` a free numbering block or letter."""

    def __init__(self, message: str, code: int, about: str = "", proposal: dict | None = None):
        super().__init__(message)
        self.code = code
        self.about = about
        self.proposal = proposal


def numbering_of(config) -> dict:
    """The configuration's numbering as the enrolment request states it."""
    numbering = config.numbering
    if numbering.mode == "letter":
        return {"mode": "letter", "letter": numbering.letter}
    return {"mode": "block", "first": numbering.first, "last": numbering.last}


def describe_numbering(numbering: dict) -> str:
    """As a technician types it: 501-999, or K for letter mode."""
    return numbering["letter"] if numbering["mode"] == "letter" else f"{numbering['first']}-{numbering['last']}"


def enrol_kiosk(config, server_url: str, token: str, kiosk_id: str | None = None, *,
                err: TextIO | None = None) -> dict:
    """Enrol this kiosk with the district server; the secret is kept in a 0600 file in the data directory.

    Returns what `kiosk setup` prints; raises SetupFailed. As root, the secret file is given to the
    data directory's owner (the kiosk user reads it, root runs the setup).
    """
    from sync.client.enrol import NumberingOverlap, enrol
    from sync.client.transport import TransportError, Unauthorized, Unreachable

    from kiosk.store.engine import StoreUnavailable
    from kiosk.store.private_files import write_private_file

    kiosk_id = kiosk_id or config.kiosk.id
    if not server_url.startswith(("http://", "https://")):
        raise SetupFailed(f"--server {server_url!r} must be an http(s):// URL", EXIT_CONFIG)
    try:
        enrolment = enrol(server_url, token, kiosk_id, app_version(), numbering=numbering_of(config),
                          ca_file=config.sync.ca_file)
    except Unreachable as exc:
        raise SetupFailed(f"district server unreachable: {exc.detail}", EXIT_UNREACHABLE) from None
    except NumberingOverlap as exc:
        free = f"; a free one: {describe_numbering(exc.proposal)}" if exc.proposal else ""
        raise SetupFailed(f"numbering refused: {exc.detail.split('; free:')[0]}{free}", EXIT_REFUSED,
                          about="numbering", proposal=exc.proposal) from None
    except Unauthorized as exc:
        raise SetupFailed(exc.detail, EXIT_REFUSED, about="token") from None
    except TransportError as exc:
        raise SetupFailed(exc.detail, EXIT_REFUSED) from None
    path = secret_path(config)
    try:
        write_private_file(path, json.dumps(enrolment.__dict__).encode("utf-8"))
        _give_to_folder_owner(path)
    except OSError as exc:
        raise SetupFailed(str(StoreUnavailable(f"cannot write {path}: {exc.strerror}")), EXIT_STORE) from None
    if enrolment.station_id != config.kiosk.station_id:
        print(f"kiosk: warning: the server enrolled this kiosk at station {enrolment.station_id!r}, the "
              f"configuration says kiosk.station_id = {config.kiosk.station_id!r}", file=err or sys.stderr)
    return {"kiosk_id": enrolment.kiosk_id, "station_id": enrolment.station_id,
            "server": enrolment.server_url, "secret_file": str(path)}


def _give_to_folder_owner(path: Path) -> None:
    if os.geteuid() == 0:
        folder = path.parent.stat()
        os.chown(path, folder.st_uid, folder.st_gid)


def run_setup(config, server_url: str, token: str, kiosk_id: str | None = None, *,
              out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`kiosk setup --server URL --token TOKEN`: enrol, print the enrolment as one JSON line."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        summary = enrol_kiosk(config, server_url, token, kiosk_id, err=err)
    except SetupFailed as exc:
        return _fail(err, str(exc), exc.code)
    out.write(json.dumps(summary) + "\n")
    out.flush()
    return EXIT_OK
