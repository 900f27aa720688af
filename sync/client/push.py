"""Upload (docs/sync-protocol.md, "Upload"): pending outbox ops in batches of at most 500 ops /
1 MiB, settled per op.

Each op's payload goes into the body as the text the outbox stores (canonical JSON, written once
by kiosk.store.outbox), spliced in without being parsed or written again. Should the server find
the body is not JSON (a stored payload damaged on disk), the run goes on checking each payload:
one that is not JSON is sent as a JSON string, which the server rejects as invalid_payload, so it
becomes a dead letter instead of holding up the queue.

Applied and duplicate ops are acknowledged; rejected ones become dead letters (kept, never
re-sent). Within one Pusher the batch_id is derived from the ops it carries, so a retry of the
same ops is the same batch and gets the server's stored answer; a new Pusher (a new run, the
re-send after reconciliation) salts it afresh, so a stale stored answer is never taken for a
new delivery.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from sync.client.port import OutboxOp, Rejection, SyncPort
from sync.client.transport import Refused, Transport
from sync.protocol import MAX_BATCH_OPS, MAX_BODY_BYTES, SCHEMA_VERSION, NotJSON, compact_json, parse_json

__all__ = ["MAX_BODY_BYTES", "MAX_OPS", "SCHEMA_VERSION", "Progress", "PushResult", "Pusher", "batch_id_for",
           "encode_op", "envelope_body", "fit_batch"]

MAX_OPS = MAX_BATCH_OPS
ENVELOPE_SLACK = 256
Progress = Callable[[int, int], None]


@dataclass
class PushResult:
    batches: int = 0
    acked: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    high_water: int = 0


def encode_op(op: OutboxOp, *, checked: bool = False) -> str:
    """The op's JSON text in the body: its fields, then the stored payload text as it is.

    With `checked`, the payload is first read as the server reads it; a text that is not JSON goes
    as a JSON string (the server rejects the op as invalid_payload, and it is dead-lettered)."""
    payload = op.payload
    if checked:
        try:
            parse_json(payload)
        except NotJSON:
            payload = compact_json(op.payload)
    head = compact_json({"seq": op.seq, "op_id": op.op_id, "entity": op.entity, "entity_id": op.entity_id,
                         "kind": op.kind, "created_at": op.created_at})
    return head[:-1] + ',"payload":' + payload + "}"


def batch_id_for(ops: list[OutboxOp], app_version: str, salt: str = "") -> str:
    digest = hashlib.sha256(f"{salt}\n{app_version}".encode("utf-8"))
    for op in ops:
        digest.update(f"\n{op.seq}:{op.op_id}".encode("utf-8"))
    return str(uuid.UUID(bytes=digest.digest()[:16], version=4))


def envelope_body(batch_id: str, app_version: str, encoded_ops: list[str]) -> bytes:
    head = compact_json({"batch_id": batch_id, "schema_version": SCHEMA_VERSION, "app_version": app_version})
    return (head[:-1] + ',"ops":[' + ",".join(encoded_ops) + "]}").encode("utf-8")


def fit_batch(ops: list[OutboxOp], max_ops: int, max_bytes: int, *,
              checked: bool = False) -> tuple[list[OutboxOp], list[str], list[OutboxOp]]:
    """The longest prefix within the limits, its encoded ops, and ops too large to ever be sent."""
    chosen: list[OutboxOp] = []
    encoded: list[str] = []
    oversized: list[OutboxOp] = []
    size = ENVELOPE_SLACK
    for op in ops[:max_ops]:
        text = encode_op(op, checked=checked)
        length = len(text.encode("utf-8")) + 1
        if length + ENVELOPE_SLACK > max_bytes:
            if not chosen:
                oversized.append(op)
                continue
            break
        if size + length > max_bytes:
            break
        chosen.append(op)
        encoded.append(text)
        size += length
    return chosen, encoded, oversized


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Pusher:
    def __init__(self, port: SyncPort, transport: Transport, *, app_version: str,
                 retry: Callable, max_ops: int = MAX_OPS, max_bytes: int = MAX_BODY_BYTES,
                 now: Callable[[], str] = utc_now, salt: str | None = None, for_kiosk: str | None = None):
        """``for_kiosk``: a station service sending the ops of one of its kiosks (docs/sync-protocol.md,
        "Stations"); the path is that kiosk's, the signature the station's."""
        self.port = port
        self.transport = transport
        self.app_version = app_version
        self.retry = retry
        self.max_ops = min(max_ops, MAX_OPS)
        self.max_bytes = min(max_bytes, MAX_BODY_BYTES)
        self.now = now
        self.salt = uuid.uuid4().hex if salt is None else salt
        self.check_payloads = False  # set for the rest of the run once the server finds a body not JSON
        self.path = f"/v1/kiosks/{for_kiosk or transport.kiosk_id}/ops"

    def push_all(self, progress: Progress | None = None, should_stop: Callable[[], bool] = lambda: False) -> PushResult:
        result = PushResult()
        total = self.port.pending_count()
        done = 0
        limit = self.max_ops
        if progress:
            progress(0, total)
        while not should_stop():
            candidates = self.port.pending_ops(limit)
            if not candidates:
                break
            ops, encoded, oversized = fit_batch(candidates, limit, self.max_bytes, checked=self.check_payloads)
            if oversized:
                too_large = [Rejection(op.seq, "too_large", f"op larger than {self.max_bytes} bytes") for op in oversized]
                self.port.settle([], too_large, self.now())
                result.rejected.extend(too_large)
                done += len(oversized)
                continue
            try:
                answer = self.retry(lambda: self._send(ops, encoded))
            except Refused as exc:
                if exc.status == 400 and exc.code == "bad_json" and not self.check_payloads:
                    self.check_payloads = True  # a stored payload is damaged: send this batch again, checked
                    continue
                if exc.status not in (413, 422) or exc.code == "unsupported_schema_version":
                    raise
                if len(ops) > 1:
                    limit = max(1, len(ops) // 2)  # narrow down the op the server refuses the batch for
                    continue
                refused = [Rejection(ops[0].seq, exc.code or f"http_{exc.status}", exc.detail[:500])]
                self.port.settle([], refused, self.now())
                result.rejected.extend(refused)
                done += 1
                continue
            self._settle(ops, answer, result)
            done += len(ops)
            limit = self.max_ops
            if progress:
                progress(min(done, max(total, done)), max(total, done))
        return result

    def _send(self, ops: list[OutboxOp], encoded: list[str]) -> dict:
        body = envelope_body(batch_id_for(ops, self.app_version, self.salt), self.app_version, encoded)
        try:
            return self.transport.post(self.path, body=body)
        except Refused as exc:
            if exc.code != "batch_id_reused":
                raise
            body = envelope_body(str(uuid.uuid4()), self.app_version, encoded)
            return self.transport.post(self.path, body=body)

    def _settle(self, ops: list[OutboxOp], answer: dict, result: PushResult) -> None:
        sent = {op.seq for op in ops}
        acked: list[int] = []
        rejected: list[Rejection] = []
        for item in answer.get("results", []):
            seq = item.get("seq")
            if seq not in sent:
                continue
            status = item.get("status")
            if status in ("applied", "duplicate"):
                acked.append(seq)
                result.duplicates += status == "duplicate"
            elif status == "rejected":
                rejected.append(Rejection(seq, str(item.get("code") or "rejected"), str(item.get("detail") or "")))
        if not acked and not rejected:
            raise Refused(f"{self.path}: the answer settles none of the {len(ops)} ops sent: {str(answer)[:200]}")
        self.port.settle(acked, rejected, self.now())
        result.batches += 1
        result.acked += len(acked)
        result.rejected.extend(rejected)
        result.high_water = max(result.high_water, int(answer.get("high_water") or 0))
