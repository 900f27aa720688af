"""Typed server settings, declared once and passed to create_app."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

DEFAULT_REASON_CODES = (
    "attitude",
    "wait_too_long",
    "unclear_guidance",
    "slow_handling",
    "repeat_visits",
    "facilities",
    "other",
)


@dataclass(frozen=True)
class ServerSettings:
    timestamp_window_s: int = 300
    nonce_ttl_s: int = 600
    max_body_bytes: int = 1024 * 1024
    max_ops: int = 500
    schema_versions: tuple[int, ...] = (1,)
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
