"""Pydantic shapes used only to document the API in /openapi.json (bodies are parsed by hand)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from sync.protocol import CHANGE_OPS, DOWNLOAD_ENTITIES, MAX_BATCH_OPS, OP_KINDS, OP_STATUSES, REJECTION_CODES


class ErrorBody(BaseModel):
    error: str
    detail: str


class Numbering(BaseModel):
    mode: Literal["block", "letter"]
    first: int | None = Field(None, ge=1, le=9999)
    last: int | None = Field(None, ge=1, le=9999)
    letter: str | None = Field(None, pattern=r"^[A-Z]$")


class EnrolRequest(BaseModel):
    token: str
    kiosk_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    app_version: str | None = None
    numbering: Numbering | None = None


class TakenNumbering(BaseModel):
    kiosk_id: str
    numbering: Numbering


class StationNumbering(BaseModel):
    station_id: str
    taken: list[TakenNumbering]
    proposal: Numbering


class EnrolResponse(BaseModel):
    kiosk_id: str
    station_id: str
    secret: str


class OpIn(BaseModel):
    seq: int = Field(ge=1)
    op_id: str
    entity: str
    entity_id: str
    kind: Literal[OP_KINDS]  # type: ignore[valid-type]
    created_at: str
    payload: dict[str, Any]


class OpsRequest(BaseModel):
    batch_id: str
    schema_version: int
    app_version: str | None = None
    ops: list[OpIn] = Field(max_length=MAX_BATCH_OPS)


class OpResult(BaseModel):
    seq: int
    status: Literal[OP_STATUSES]  # type: ignore[valid-type]
    code: Literal[REJECTION_CODES] | None = None  # type: ignore[valid-type]
    detail: str | None = None


class OpsResponse(BaseModel):
    results: list[OpResult]
    high_water: int


class ChangeOut(BaseModel):
    cursor: int
    entity: Literal[DOWNLOAD_ENTITIES]  # type: ignore[valid-type]
    id: str
    op: Literal[CHANGE_OPS]  # type: ignore[valid-type]
    data: dict[str, Any] | None


class ChangesPage(BaseModel):
    changes: list[ChangeOut]
    next: int
    has_more: bool


class Snapshot(BaseModel):
    changes: list[ChangeOut]
    next: int


class StoredOp(BaseModel):
    seq: int
    op_id: str
    entity: str | None
    entity_id: str | None
    kind: str | None
    created_at: str | None
    payload: Any
    status: Literal[OP_STATUSES]  # type: ignore[valid-type]
    code: str | None


class OpsHistory(BaseModel):
    ops: list[StoredOp]
    high_water: int
    last_seq: int
    has_more: bool
    next: int


class ReconcileDay(BaseModel):
    date: str
    count: int = Field(ge=0)
    digest: str


class ReconcileRequest(BaseModel):
    days: list[ReconcileDay]


class ReconcileResponse(BaseModel):
    mismatched: list[str]


class Health(BaseModel):
    status: str
    time: str
    schema_versions: list[int]


BODY_DEFS: dict[str, Any] = {}


def body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """An OpenAPI requestBody for a body read by hand; nested models go to BODY_DEFS."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    BODY_DEFS.update(schema.pop("$defs", {}))
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def merge_body_defs(openapi: dict[str, Any]) -> dict[str, Any]:
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in BODY_DEFS.items():
        schemas.setdefault(name, schema)
    return openapi


def error_docs(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}
