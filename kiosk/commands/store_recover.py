"""`kiosk store recover`: a kiosk whose store was lost gets a usable one back from the district.

The technician's step after the out-of-service screen says the store is lost (docs/technician.md,
"Store lost"). It needs the kiosk's enrolment (the secret in the data directory) and the district
server. The broken store is moved aside into `lost-<time>/`; the new one holds every op the
district has of this kiosk and its tickets, so numbering resumes after the last number and sync
goes on without a seq conflict (kiosk/store/recovery.py).

Exit codes: 0 rebuilt · 2 not enrolled · 4 the store cannot be written · 5 server unreachable ·
6 refused by the server.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TextIO

from kiosk.fieldsetup.enrolment import EXIT_CONFIG, EXIT_OK, EXIT_REFUSED, EXIT_STORE, EXIT_UNREACHABLE, _fail


def recover_store(config, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from sync.client.pull import own_history
    from sync.client.transport import TRANSIENT, Transport, TransportError

    from kiosk.config.paths import secret_path
    from kiosk.store import continuity, recovery
    from kiosk.store.engine import StoreUnavailable

    out, err = out or sys.stdout, err or sys.stderr
    database = config.database_path
    try:
        enrolment = json.loads(secret_path(config).read_text(encoding="utf-8"))
        kiosk_id, secret = enrolment["kiosk_id"], enrolment["secret"]
    except FileNotFoundError:
        return _fail(err, f"this kiosk is not enrolled ({secret_path(config)} is missing): the district cannot "
                          "say what it issued; enrol it with `kiosk setup` first", EXIT_CONFIG)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return _fail(err, f"the enrolment file {secret_path(config)} cannot be read: {exc}", EXIT_CONFIG)
    if not config.sync.server:
        return _fail(err, "sync.server is not set in the configuration: recovery needs the district server",
                     EXIT_CONFIG)
    transport = Transport(config.sync.server, kiosk_id, secret, ca_file=config.sync.ca_file)
    try:
        history = own_history(transport)
    except TRANSIENT as exc:
        return _fail(err, f"district server {config.sync.server} unreachable: {exc.detail}; nothing was changed",
                     EXIT_UNREACHABLE)
    except TransportError as exc:
        return _fail(err, f"the district server refused: {exc.detail}; nothing was changed", EXIT_REFUSED)
    finally:
        transport.close()
    try:
        log = continuity.read_log(continuity.log_path(database))
        moved = recovery.move_aside(database)
        summary = recovery.rebuild(database, history, log, config.kiosk.station_id, datetime.now(config.tz))
    except (StoreUnavailable, OSError) as exc:
        return _fail(err, f"the store cannot be rebuilt: {exc}", EXIT_STORE)
    summary.update(kiosk_id=kiosk_id, store=str(database), moved_aside=str(moved) if moved else None)
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    out.flush()
    return EXIT_OK
