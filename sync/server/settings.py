"""Typed server settings, declared once and passed to create_app."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from sync.protocol import (DEFAULT_REASON_CODES, MAX_BATCH_OPS, MAX_BODY_BYTES, NONCE_TTL_S, SCHEMA_VERSION,
                           TIMESTAMP_WINDOW_S)

__all__ = ["DEFAULT_REASON_CODES", "ServerSettings"]


@dataclass(frozen=True)
class ServerSettings:
    timestamp_window_s: int = TIMESTAMP_WINDOW_S
    nonce_ttl_s: int = NONCE_TTL_S
    max_body_bytes: int = MAX_BODY_BYTES
    max_ops: int = MAX_BATCH_OPS
    schema_versions: tuple[int, ...] = (SCHEMA_VERSION,)
    min_schema_version: int = 1
    change_retention_s: float = 90 * 24 * 3600
    changes_default_limit: int = 200
    changes_max_limit: int = 1000
    enrol_token_ttl_s: int = 24 * 3600
    # Threads per server process for database work (auth, uploads, reads). Uploads are CPU-bound
    # Python between short database calls; more threads than this only add GIL hand-offs and
    # context switches (measured with 200 kiosks pushing at once on 2 cores).
    worker_threads: int = 8
    clock: Callable[[], float] = field(default=time.time)

    @property
    def max_schema_version(self) -> int:
        return max(self.schema_versions)
