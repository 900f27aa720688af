"""Applying an upload batch: per-op dedup by (kiosk_id, seq, op_id), validation, entity upserts.

A batch costs the same few statements whatever its size: one lookup of what the kiosk already
stored under the batch's seqs and op_ids (plus one of ratings, when the batch holds ratings), one
upsert per entity table, one insert of the ops, and one high-water query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sync.protocol import REJECTED, op_day
from sync.protocol.ratings import refusal, token_sha256
from sync.server.bulk import in_values, insert_rows, upsert_kiosk_rows
from sync.server.figures.record import record_fields
from sync.server.hooks import ServerHooks
from sync.server.models import Event, Op, Rating, Ticket
from sync.server.station_writes import station_ticket_row, write_station_tickets
from sync.server.payloads import (CHECKS, ENTITY_ID_FIELD, PayloadError, contains_nul, is_canonical_uuid,
                                  parse_timestamp)

OWNED_ENTITIES = {"ticket": Ticket, "event": Event}  # written only by the kiosk that created them
OP_COLUMNS = ("kiosk_id", "seq", "op_id", "status", "code", "detail", "entity", "entity_id", "kind", "created_at",
              "op_day", "payload", "received_at")  # the order of BatchApplier._op_row's values
assert set(OP_COLUMNS) == set(Op.__table__.columns.keys())


def _token_key(payload: dict[str, Any]) -> str | None:
    token = payload.get("public_token")
    return token_sha256(token) if isinstance(token, str) else None


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


def contiguous_high_water(high_water: int, settled_seqs: Iterable[int]) -> int:
    """Advance high_water through ascending settled seqs while they follow on without a gap."""
    for seq in settled_seqs:
        if seq > high_water + 1:
            break
        high_water = max(high_water, seq)
    return high_water


@dataclass(slots=True)
class Outcome:
    """What becomes of one op; `op` is None when an earlier request settled it (nothing to store)."""

    seq: int
    status: str
    code: str | None = None
    detail: str | None = None
    op: dict[str, Any] | None = None

    def reject(self, code: str | None, detail: str | None) -> None:
        self.status, self.code, self.detail = REJECTED, code, detail

    def applies_to(self, entity: str, entity_ids: set[str]) -> bool:
        """A new, not rejected op that writes one of these entities."""
        return (self.op is not None and self.status != REJECTED and self.op["entity"] == entity
                and self.op["entity_id"] in entity_ids)

    def result(self) -> dict[str, Any]:
        if self.status == REJECTED:
            return {"seq": self.seq, "status": REJECTED, "code": self.code, "detail": self.detail}
        return {"seq": self.seq, "status": self.status}


class BatchApplier:
    """Settles the ops of one batch of one kiosk; the caller holds the kiosk lock.

    Ops are judged in seq order against what is stored and what came earlier in the batch. Whether
    a ticket or event belongs to another kiosk is learnt from the entity upsert itself (it never
    overwrites another kiosk's row), after which those ops are rejected, before any op is stored."""

    def __init__(self, session: Session, kiosk_id: str, high_water: int, reasons: Callable[[], frozenset[str]],
                 now: float, may_hold_nul: bool = True, *, station_id: str = "", role: str = "kiosk",
                 hooks: ServerHooks | None = None):
        self.may_hold_nul = may_hold_nul
        self.session = session
        self.kiosk_id = kiosk_id
        self.station_id = station_id
        self.is_station = role == "station"
        self.hooks = hooks or ServerHooks()
        self.high_water = high_water
        self.load_reasons = reasons
        self.now = now
        self.entity_rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.station_rows: dict[str, dict[str, Any]] = {}

    def apply(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        stored, op_id_seqs = self._load_stored_ops(ops)
        self._load_ratings(ops)
        reasons = self.load_reasons() if any(op.get("entity") == "rating" for op in ops) else frozenset()
        outcomes = []
        for op in ops:
            seq, op_id = op["seq"], op["op_id"]
            previous = stored.get(seq)
            if previous is not None:
                outcomes.append(self._settled_before(seq, op_id, previous))
                continue
            outcome = Outcome(seq, "applied", op=op)
            seqs = op_id_seqs.get(op_id)
            try:
                if seqs and (len(seqs) > 1 or seq not in seqs):  # stored under another seq
                    raise OpRejected("op_id_conflict", f"op_id is already stored under seq {min(seqs)}")
                check_op(op, reasons, self.may_hold_nul)
                if op["entity"] != "rating":  # ratings are judged once the batch's tickets are written
                    self._claim_entity(op)
            except OpRejected as exc:
                outcome.reject(exc.code, exc.detail)
            if seqs is None:
                op_id_seqs[op_id] = {seq}
            else:
                seqs.add(seq)
            outcomes.append(outcome)
        self._write_entities(outcomes)
        self._judge_ratings(outcomes)
        insert_rows(self.session, Op.__table__, [self._op_row(o) for o in outcomes if o.op is not None],
                    columns=OP_COLUMNS)
        self.hooks.ratings_stored(self.session, list(self.entity_rows["rating"].values()), self.now)  # 差评 work orders
        return {"results": [o.result() for o in outcomes],
                "high_water": self._advance_high_water([op["seq"] for op in ops])}

    @staticmethod
    def _settled_before(seq: int, op_id: str, previous: Any) -> Outcome:
        if previous.op_id != op_id:
            return Outcome(seq, REJECTED, "seq_conflict", f"seq {seq} is stored with another op_id")
        if previous.status == REJECTED:
            return Outcome(seq, REJECTED, previous.code, previous.detail)
        return Outcome(seq, "duplicate")

    def _load_stored_ops(self, ops: list[dict[str, Any]]) -> tuple[dict[int, Any], dict[str, set[int]]]:
        """The kiosk's stored ops under this batch's seqs or op_ids, in one query."""
        stored: dict[int, Any] = {}
        op_id_seqs: dict[str, set[int]] = defaultdict(set)
        if not ops:
            return stored, op_id_seqs
        session = self.session
        for row in session.execute(
            select(Op.seq, Op.op_id, Op.status, Op.code, Op.detail).where(
                Op.kiosk_id == self.kiosk_id,
                or_(in_values(session, Op.seq, [op["seq"] for op in ops]),
                    in_values(session, Op.op_id, [op["op_id"] for op in ops])),
            )
        ):
            stored[row.seq] = row
            op_id_seqs[row.op_id].add(row.seq)
        return stored, op_id_seqs

    def _ids(self, ops: list[dict[str, Any]], entity: str, field: str) -> list[str]:
        return [
            op["payload"][field] for op in ops
            if op.get("entity") == entity and isinstance(op.get("payload"), dict)
            and isinstance(op["payload"].get(field), str)
        ]

    def _load_ratings(self, ops: list[dict[str, Any]]) -> None:
        session = self.session
        rating_ids = self._ids(ops, "rating", "rating_id")
        rated_tickets = self._ids(ops, "rating", "ticket_id")
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

    def _judge_ratings(self, outcomes: list[Outcome]) -> None:
        """The rating rule, in seq order, on the tickets as this batch has left them (a ticket op the
        batch refused, or that did not change the stored status, vouches for nothing); then the
        accepted ratings are stored."""
        ratings = [o for o in outcomes if o.op is not None and o.status != REJECTED and o.op["entity"] == "rating"]
        if ratings:
            self.facts = self.hooks.ticket_facts(self.session, self._ids([o.op for o in ratings], "rating", "ticket_id"))
        for outcome in ratings:
            try:
                self._claim_rating(outcome.op)
            except OpRejected as exc:
                outcome.reject(exc.code, exc.detail)
        insert_rows(self.session, Rating.__table__, list(self.entity_rows["rating"].values()))

    def _claim_rating(self, op: dict[str, Any]) -> None:
        """Queue the row of a rating the rule accepts; one rating per ticket."""
        payload, seq, kiosk_id = op["payload"], op["seq"], self.kiosk_id
        ticket_id = payload["ticket_id"]
        facts = self.facts.get(ticket_id)
        refused = refusal(facts, payload, station_id=self.station_id,
                          window_days=self.hooks.rating_window_days, may_speak_for_counter=self.is_station)
        if refused:  # another station's kiosk learns nothing more of the ticket than that
            raise OpRejected(*refused)
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
            "channel": payload["channel"], "counter_id": payload.get("counter_id"),
            **record_fields(self.session, payload),  # region, indicator version, rated_ts (好差评 figures)
        }

    def _claim_entity(self, op: dict[str, Any]) -> None:
        """Queue the row of a valid ticket or event op (the highest seq per entity wins)."""
        entity, payload, seq = op["entity"], op["payload"], op["seq"]
        kiosk_id = self.kiosk_id
        entity_id = op["entity_id"]
        if entity == "ticket":
            refused = None if self.is_station else self.hooks.check_ticket(kiosk_id, payload)
            if refused:
                raise OpRejected(*refused)
            if self.is_station:
                self.station_rows[entity_id] = station_ticket_row(payload, kiosk_id, seq)
                return
            self.entity_rows["ticket"][entity_id] = {
                "ticket_id": entity_id, "kiosk_id": kiosk_id, "seq": seq,
                "station_id": payload["station_id"], "service_code": payload["service_code"],
                "number": payload["number"], "business_date": payload["business_date"],
                "status": payload["status"], "holder_code": payload.get("holder_code"),
                "id_digest": payload.get("id_digest"), "updated_at": payload["updated_at"],
                "state_by": None, "state_seq": None, "public_token_sha256": _token_key(payload),
            }
        else:
            self.entity_rows["event"][entity_id] = {
                "event_id": entity_id, "kiosk_id": kiosk_id, "seq": seq,
                "type": payload["type"], "at": payload["at"],
            }

    def _write_entities(self, outcomes: list[Outcome]) -> None:
        """Upsert the queued entity rows; ops on a ticket or event of another kiosk become rejections."""
        self._refuse_taken_tokens(outcomes)
        foreign_station = write_station_tickets(self.session, self.kiosk_id, self.station_id,
                                                list(self.station_rows.values()))
        for outcome in outcomes:
            if outcome.applies_to("ticket", foreign_station):
                outcome.reject("invalid_payload", "a station writes only the tickets of its own station")
        for entity, model in OWNED_ENTITIES.items():
            rows = list(self.entity_rows[entity].values())
            written = upsert_kiosk_rows(self.session, model.__table__, rows,
                                        unless="state_by" if entity == "ticket" else None)
            if written == len(rows):
                continue
            foreign = self._owned_by_other_kiosks(model, [row[f"{entity}_id"] for row in rows])
            for outcome in outcomes:
                if outcome.applies_to(entity, foreign):
                    outcome.reject("invalid_payload", f"this {entity} was written by another kiosk")

    def _refuse_taken_tokens(self, outcomes: list[Outcome]) -> None:
        """A ticket whose public_token another ticket holds is refused (the page's key is unique)."""
        rows = {**self.entity_rows["ticket"], **self.station_rows}
        keys = {row["public_token_sha256"]: ticket_id for ticket_id, row in rows.items() if row.get("public_token_sha256")}
        if not keys:
            return
        taken = {key: owner for key, owner in self.session.execute(select(Ticket.public_token_sha256, Ticket.ticket_id)
                 .where(in_values(self.session, Ticket.public_token_sha256, sorted(keys))))}
        seen: dict[str, str] = {}
        clashing = set()
        for ticket_id, row in rows.items():
            key = row.get("public_token_sha256")
            if key and (taken.get(key, ticket_id) != ticket_id or seen.setdefault(key, ticket_id) != ticket_id):
                clashing.add(ticket_id)
        for ticket_id in clashing:
            self.entity_rows["ticket"].pop(ticket_id, None)
            self.station_rows.pop(ticket_id, None)
        for outcome in outcomes:
            if outcome.applies_to("ticket", clashing):
                outcome.reject("invalid_payload", "public_token is another ticket's")

    def _owned_by_other_kiosks(self, model: type, entity_ids: list[str]) -> set[str]:
        key = model.__table__.primary_key.columns[0]
        return set(self.session.scalars(select(key).where(
            in_values(self.session, key, entity_ids), model.kiosk_id != self.kiosk_id)))

    def _op_row(self, outcome: Outcome) -> tuple[Any, ...]:
        """The ops row, its values in OP_COLUMNS order."""
        op = outcome.op
        assert op is not None
        if outcome.status != REJECTED and not self.may_hold_nul:
            # valid, and no NUL anywhere in the body: entity, entity_id, kind, created_at are strings as they are
            created_at = op["created_at"]
            return (self.kiosk_id, outcome.seq, op["op_id"], outcome.status, None, None, op["entity"],
                    op["entity_id"], op["kind"], created_at, op_day(created_at), op["payload"], self.now)
        created_at = _text_or_none(op.get("created_at"))
        rejected = outcome.status == REJECTED
        return (self.kiosk_id, outcome.seq, op["op_id"], outcome.status, outcome.code, outcome.detail,
                _text_or_none(op.get("entity")), _text_or_none(op.get("entity_id")), _text_or_none(op.get("kind")),
                created_at, op_day(created_at) if not rejected and created_at else None,
                None if self.may_hold_nul and contains_nul(op.get("payload")) else op.get("payload"), self.now)

    def _advance_high_water(self, batch_seqs: list[int]) -> int:
        """Every op of the batch is settled now; only seqs beyond the batch need the database."""
        high_water = contiguous_high_water(self.high_water, batch_seqs)
        high_water = contiguous_high_water(high_water, self.session.scalars(
            select(Op.seq).where(Op.kiosk_id == self.kiosk_id, Op.seq > high_water).order_by(Op.seq)
        ))
        return high_water
