"""The plain records the kiosk's store and the sync client exchange (see sync.client.port).

Standard library only, so the store can import them without importing the client.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutboxOp:
    """One outbox row; `payload` is the JSON text exactly as the store holds it (canonical JSON for
    rows written by kiosk.store.outbox; older rows may carry spaces) and is sent as it is."""

    seq: int
    op_id: str
    entity: str
    entity_id: str
    kind: str
    created_at: str
    payload: str


@dataclass(frozen=True)
class Rejection:
    seq: int
    code: str
    detail: str


@dataclass(frozen=True)
class DeadLetter:
    """A rejected op, kept for the technician screen."""

    seq: int
    op_id: str
    entity: str
    entity_id: str
    created_at: str
    code: str
    detail: str
    settled_at: str


@dataclass(frozen=True)
class DayCount:
    """Reconciliation figures of one kiosk-local day: the op_ids the server should hold."""

    date: str
    count: int
    digest: str


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    kiosk_id: str
    station_id: str
    secret: str  # base64 of the 32 secret bytes
