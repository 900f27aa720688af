"""Applying an upload batch: per-op dedup by (kiosk_id, seq, op_id), validation, entity upserts."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import ARRAY, any_, bindparam, or_, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from sync.server.models import Event, Kiosk, Op, Rating, Ticket
from sync.server.payloads import (CHECKS, ENTITY_ID_FIELD, PayloadError, contains_nul, is_canonical_uuid,
                                  parse_timestamp)

REJECTED = "rejected"


class OpRejected(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def _text_or_none(value: Any) -> str | None:
    return value.replace("\x00", "") if isinstance(value, str) else None


def check_op(op: dict[str, Any], reasons: frozenset[str], may_hold_nul: bool = True) -> None:
    if may_hold_nul and contains_nul(op):
        raise OpRejected("invalid_payload", "strings must not contain NUL (\\u0000)")
    entity = op.get("entity")
    if not isinstance(entity, str):
        raise OpRejected("invalid_payload", "entity is required")
    if entity not in CHECKS:
        raise OpRejected("unknown_entity", f"unknown entity {entity[:40]!r}")
    try:
        if not is_canonical_uuid(op["op_id"]):
            raise PayloadError("op_id must be a canonical lower-case UUID")
        if op.get("kind") != "upsert":
            raise PayloadError("kind must be 'upsert'")
        parse_timestamp(op.get("created_at"), "created_at")
        payload = op.get("payload")
        if not isinstance(payload, dict):
            raise PayloadError("payload must be an object")
        entity_id = op.get("entity_id")
        if not is_canonical_uuid(entity_id):
            raise PayloadError("entity_id must be a canonical lower-case UUID")
        id_field = ENTITY_ID_FIELD[entity]
        if payload.get(id_field) != entity_id:
            raise PayloadError(f"entity_id must equal payload.{id_field}")
        CHECKS[entity](payload, reasons)
    except PayloadError as exc:
        raise OpRejected("invalid_payload", str(exc)) from None


def in_values(session: Session, column: Any, values: list[Any]) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def bulk_insert(session: Session, model: type, rows: list[dict[str, Any]], upsert_key: str | None = None) -> None:
    """Insert rows; with upsert_key, update an existing row only when the incoming op has a higher seq.

    On PostgreSQL the rows travel as one JSON document (json_populate_recordset): one statement and
    one parameter per table and batch, instead of one statement per row."""
    if not rows:
        return
    table = model.__table__
    columns = [c.name for c in table.columns]
    if session.get_bind().dialect.name == "postgresql":
        sql = (f'INSERT INTO "{table.name}" ({_quoted(columns)}) SELECT {_quoted(columns)} '
               f'FROM json_populate_recordset(NULL::"{table.name}", CAST(:rows AS json))')
        if upsert_key:
            updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != upsert_key)
            sql += f' ON CONFLICT ("{upsert_key}") DO UPDATE SET {updates} WHERE "{table.name}".seq < excluded.seq'
        session.execute(text(sql), {"rows": json.dumps(rows, ensure_ascii=False)})
        return
    stmt = sqlite.insert(model)
    if upsert_key:
        stmt = stmt.on_conflict_do_update(
            index_elements=[upsert_key], set_={c: stmt.excluded[c] for c in columns if c != upsert_key},
            where=table.c.seq < stmt.excluded.seq,
        )
    session.execute(stmt, rows)


class BatchApplier:
    """Settles the ops of one batch of one kiosk; the caller holds the kiosk lock."""

    def __init__(self, session: Session, kiosk: Kiosk, reasons: frozenset[str], now: float,
                 may_hold_nul: bool = True):
        self.may_hold_nul = may_hold_nul
        self.session = session
        self.kiosk = kiosk
        self.reasons = reasons
        self.now = now
        self.op_rows: list[dict[str, Any]] = []
        self.entity_rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)

    def apply(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        kiosk_id = self.kiosk.kiosk_id
        seqs = [op["seq"] for op in ops]
        stored = {
            row.seq: row
            for row in self.session.execute(
                select(Op.seq, Op.op_id, Op.status, Op.code, Op.detail).where(
                    Op.kiosk_id == kiosk_id, in_values(self.session, Op.seq, seqs)
                )
            )
        } if ops else {}
        op_id_seqs: dict[str, set[int]] = defaultdict(set)
        if ops:
            for seq, op_id in self.session.execute(
                select(Op.seq, Op.op_id).where(
                    Op.kiosk_id == kiosk_id, in_values(self.session, Op.op_id, [op["op_id"] for op in ops])
                )
            ):
                op_id_seqs[op_id].add(seq)
        self._load_owners(ops)
        results = []
        for op in ops:
            seq, op_id = op["seq"], op["op_id"]
            previous = stored.get(seq)
            if previous is not None:
                if previous.op_id != op_id:
                    results.append(self._rejection(seq, "seq_conflict", f"seq {seq} is stored with another op_id"))
                elif previous.status == REJECTED:
                    results.append(self._rejection(seq, previous.code, previous.detail))
                else:
                    results.append({"seq": seq, "status": "duplicate"})
                continue
            try:
                if op_id_seqs[op_id] - {seq}:
                    raise OpRejected("op_id_conflict", f"op_id is already stored under seq {min(op_id_seqs[op_id])}")
                check_op(op, self.reasons, self.may_hold_nul)
                self._claim_entity(op)
                status, code, detail = "applied", None, None
            except OpRejected as exc:
                status, code, detail = REJECTED, exc.code, exc.detail
            op_id_seqs[op_id].add(seq)
            self._record_op(op, status, code, detail)
            results.append({"seq": seq, "status": status} if code is None else self._rejection(seq, code, detail))
        self._flush()
        return {"results": results, "high_water": self._advance_high_water()}

    @staticmethod
    def _rejection(seq: int, code: str | None, detail: str | None) -> dict[str, Any]:
        return {"seq": seq, "status": REJECTED, "code": code, "detail": detail}

    def _ids(self, ops: list[dict[str, Any]], entity: str, field: str) -> list[str]:
        return [
            op["payload"][field] for op in ops
            if op.get("entity") == entity and isinstance(op.get("payload"), dict)
            and isinstance(op["payload"].get(field), str)
        ]

    def _load_owners(self, ops: list[dict[str, Any]]) -> None:
        session = self.session
        ticket_ids = self._ids(ops, "ticket", "ticket_id")
        event_ids = self._ids(ops, "event", "event_id")
        rating_ids = self._ids(ops, "rating", "rating_id")
        rated_tickets = self._ids(ops, "rating", "ticket_id")
        self.ticket_owner: dict[str, str] = {}
        self.event_owner: dict[str, str] = {}
        if ticket_ids:
            self.ticket_owner = dict(session.execute(select(Ticket.ticket_id, Ticket.kiosk_id).where(
                in_values(session, Ticket.ticket_id, ticket_ids))).all())
        if event_ids:
            self.event_owner = dict(session.execute(select(Event.event_id, Event.kiosk_id).where(
                in_values(session, Event.event_id, event_ids))).all())
        self.rated_ids: set[str] = set()
        self.rated_tickets: set[str] = set()
        if rating_ids or rated_tickets:
            for rating_id, ticket_id in session.execute(
                select(Rating.rating_id, Rating.ticket_id).where(
                    or_(in_values(session, Rating.rating_id, rating_ids),
                        in_values(session, Rating.ticket_id, rated_tickets))
                )
            ):
                self.rated_ids.add(rating_id)
                if ticket_id is not None:
                    self.rated_tickets.add(ticket_id)

    def _claim_entity(self, op: dict[str, Any]) -> None:
        entity, payload, seq = op["entity"], op["payload"], op["seq"]
        kiosk_id = self.kiosk.kiosk_id
        if entity == "rating":
            ticket_id = payload["ticket_id"]
            if payload["rating_id"] in self.rated_ids or (ticket_id is not None and ticket_id in self.rated_tickets):
                raise OpRejected("already_rated", "this ticket or rating has already been rated")
            self.rated_ids.add(payload["rating_id"])
            if ticket_id is not None:
                self.rated_tickets.add(ticket_id)
            self.entity_rows["rating"][payload["rating_id"]] = {
                "rating_id": payload["rating_id"], "ticket_id": ticket_id, "kiosk_id": kiosk_id, "seq": seq,
                "station_id": payload["station_id"], "service_code": payload["service_code"],
                "level": payload["level"], "contact_phone": payload["contact_phone"],
                "rated_at": payload["rated_at"], "data": payload,
            }
            return
        owners = self.ticket_owner if entity == "ticket" else self.event_owner
        entity_id = op["entity_id"]
        owner = owners.setdefault(entity_id, kiosk_id)
        if owner != kiosk_id:
            raise OpRejected("invalid_payload", f"this {entity} was written by another kiosk")
        rows = self.entity_rows[entity]
        if entity_id in rows and rows[entity_id]["seq"] > seq:
            return
        if entity == "ticket":
            rows[entity_id] = {
                "ticket_id": entity_id, "kiosk_id": kiosk_id, "seq": seq,
                "station_id": payload["station_id"], "service_code": payload["service_code"],
                "number": payload["number"], "business_date": payload["business_date"],
                "status": payload["status"],
            }
        else:
            rows[entity_id] = {
                "event_id": entity_id, "kiosk_id": kiosk_id, "seq": seq,
                "type": payload["type"], "at": payload["at"],
            }

    def _record_op(self, op: dict[str, Any], status: str, code: str | None, detail: str | None) -> None:
        created_at = _text_or_none(op.get("created_at"))
        self.op_rows.append({
            "kiosk_id": self.kiosk.kiosk_id, "seq": op["seq"], "op_id": op["op_id"],
            "status": status, "code": code, "detail": detail,
            "entity": _text_or_none(op.get("entity")), "entity_id": _text_or_none(op.get("entity_id")),
            "kind": _text_or_none(op.get("kind")), "created_at": created_at,
            "op_day": created_at[:10] if status != REJECTED and created_at else None,
            "payload": None if self.may_hold_nul and contains_nul(op.get("payload")) else op.get("payload"),
            "received_at": self.now,
        })

    def _flush(self) -> None:
        bulk_insert(self.session, Op, self.op_rows)
        bulk_insert(self.session, Ticket, list(self.entity_rows["ticket"].values()), "ticket_id")
        bulk_insert(self.session, Event, list(self.entity_rows["event"].values()), "event_id")
        bulk_insert(self.session, Rating, list(self.entity_rows["rating"].values()))

    def _advance_high_water(self) -> int:
        high_water = self.kiosk.high_water
        for seq in self.session.scalars(
            select(Op.seq).where(Op.kiosk_id == self.kiosk.kiosk_id, Op.seq > high_water).order_by(Op.seq)
        ):
            if seq != high_water + 1:
                break
            high_water = seq
        self.kiosk.high_water = high_water
        return high_water
