"""The upload envelope: the only faults that refuse a whole batch (422, 426, 413)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sync.server.errors import ApiError, invalid_envelope
from sync.server.settings import ServerSettings


@dataclass(frozen=True)
class Envelope:
    batch_id: str
    schema_version: int
    app_version: str | None
    ops: list[dict[str, Any]]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_envelope(value: Any, settings: ServerSettings) -> Envelope:
    if not isinstance(value, dict):
        raise invalid_envelope("body must be a JSON object")
    ops = value.get("ops")
    if not isinstance(ops, list):
        raise invalid_envelope("ops must be a list")
    if len(ops) > settings.max_ops:
        raise ApiError(413, "too_large", f"a batch holds at most {settings.max_ops} ops, got {len(ops)}")
    batch_id = value.get("batch_id")
    if not isinstance(batch_id, str) or not 1 <= len(batch_id) <= 128 or "\x00" in batch_id:
        raise invalid_envelope("batch_id must be a string of 1 to 128 characters")
    version = value.get("schema_version")
    if not _is_int(version):
        raise invalid_envelope("schema_version must be an integer")
    app_version = value.get("app_version")
    if app_version is not None and (not isinstance(app_version, str) or "\x00" in app_version):
        raise invalid_envelope("app_version must be a string")
    previous = 0
    for index, op in enumerate(ops):
        if not isinstance(op, dict):
            raise invalid_envelope(f"ops[{index}] must be an object")
        seq = op.get("seq")
        if not _is_int(seq) or not 1 <= seq <= 2**62:
            raise invalid_envelope(f"ops[{index}].seq must be a positive integer")
        op_id = op.get("op_id")
        if not isinstance(op_id, str) or not 1 <= len(op_id) <= 64 or "\x00" in op_id:
            raise invalid_envelope(f"ops[{index}].op_id must be a string of 1 to 64 characters")
        if seq <= previous:
            raise invalid_envelope(f"ops[{index}].seq {seq} is not above the previous seq {previous}")
        previous = seq
    if version > settings.max_schema_version:
        raise ApiError(
            422, "unsupported_schema_version",
            f"schema_version {version} is newer than this server knows ({settings.max_schema_version})",
        )
    if version < settings.min_schema_version:
        raise ApiError(
            426, "schema_version_too_old",
            f"schema_version {version} is older than the oldest accepted ({settings.min_schema_version})",
        )
    return Envelope(batch_id, version, app_version, ops)
