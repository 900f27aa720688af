"""/console/api/publish: catalogue items edited, previewed and published (docs/publishing.md).

Every route is the district administrator's (区管理员); a preview or a publish is a POST with the
console's Origin and CSRF checks. A publish names the version it was edited from: an older one is
refused with 409 ``stale_version`` and the current version, nothing written."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.console.http import authenticated, in_transaction, json_body
from sync.server.errors import ApiError
from sync.server.models import CatalogueItem, CatalogueVersion
from sync.server.publishing import versions
from sync.server.publishing.fleet_versions import kiosk_versions
from sync.server.publishing.validation import ENTITIES, SETTINGS, Invalid, check_item
from sync.server.schemas import error_docs
from sync.server.workorders.access import Actor
from sync.server.workorders.states import DISTRICT_ADMIN

PREFIX = "/console/api/publish"
NOTE_MAX = 500


def _admin(session: Session, request: Request, now: float, *, change: bool) -> Actor:
    actor, _token = authenticated(session, request, now, change=change)
    if actor.role != DISTRICT_ADMIN:
        raise ApiError(403, "forbidden", "publishing the catalogue is the district administrator's (区管理员)")
    return actor


def _entity(entity: str) -> str:
    if entity not in ENTITIES:
        raise ApiError(404, "not_found", f"no entity {entity[:40]!r}; one of {', '.join(ENTITIES)}")
    return entity


def _items(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every item of the catalogue with its latest version, by entity (the counter left out)."""
    latest = {}
    for row in session.execute(select(CatalogueVersion.entity, CatalogueVersion.item_id,
                                      CatalogueVersion.version, CatalogueVersion.at,
                                      CatalogueVersion.author)
                               .order_by(CatalogueVersion.version)):
        latest[(row.entity, row.item_id)] = row
    out: dict[str, list[dict[str, Any]]] = {entity: [] for entity in ENTITIES}
    for item in session.scalars(select(CatalogueItem).where(CatalogueItem.entity.in_(tuple(ENTITIES)))
                                .order_by(CatalogueItem.entity, CatalogueItem.item_id)):
        if item.entity == "config" and item.item_id == versions.VERSION_KEY:
            continue
        row = latest.get((item.entity, item.item_id))
        out[item.entity].append({"id": item.item_id, "name": versions.display_name(item.data),
                                 "version": row.version if row else 0, "at": row.at if row else None,
                                 "author": row.author if row else None,
                                 "value": item.data.get("value") if item.entity == "config" else None})
    return out


def _settings() -> list[dict[str, Any]]:
    return [{"key": key, "label": label, "label_en": label_en, "example": example}
            for key, (_check, label, label_en, example) in SETTINGS.items()]


def _item(session: Session, entity: str, item_id: str) -> dict[str, Any]:
    item = session.get(CatalogueItem, (entity, item_id))
    return {"entity": entity, "id": item_id, "exists": item is not None, "data": item.data if item else None,
            "version": versions.item_version(session, entity, item_id),
            "catalogue_version": versions.catalogue_version(session),
            "history": versions.history(session, entity, item_id)}


def _body(body: Any) -> tuple[Any, int | None, str | None]:
    """(data or None to withdraw, base_version, note) from {"data": ..., "base_version": N, "note": ...}."""
    if isinstance(body, ApiError):
        raise body
    if not isinstance(body, dict) or "data" not in body:
        raise ApiError(422, "invalid_request", 'body must be {"data": {...}, "base_version": N, "note": "..."}')
    base = body.get("base_version")
    if base is not None and (isinstance(base, bool) or not isinstance(base, int) or base < 0):
        raise ApiError(422, "invalid_request", "base_version must be the item's version the edit started from (0 for a new item)")
    note = body.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_MAX):
        raise ApiError(422, "invalid_request", f"note must be a string of at most {NOTE_MAX} characters")
    return body["data"], base, note


def _checked(session: Session, entity: str, item_id: str, data: Any) -> dict[str, Any]:
    try:
        return check_item(session, entity, item_id, data)
    except Invalid as exc:
        raise ApiError(422, "invalid_item", str(exc), extra={"entity": entity, "id": item_id[:128]}) from None


def add_publishing_routes(app: FastAPI, state: Any) -> None:
    """Register the publishing API."""
    router = APIRouter(prefix=PREFIX)
    clock = state.settings.clock

    async def body_of(request: Request) -> Any:
        try:
            return await json_body(request)
        except ApiError as exc:
            return exc  # said after the session is checked: 401 and 403 come first

    @router.get("", responses=error_docs(401, 403))
    async def overview(request: Request) -> JSONResponse:
        def work(session: Session) -> dict[str, Any]:
            _admin(session, request, clock(), change=False)
            latest = versions.catalogue_version(session)
            return {"catalogue_version": latest, "items": _items(session), "settings": _settings(),
                    "recent": versions.recent(session), "kiosks": kiosk_versions(session, latest)}

        return JSONResponse(await in_transaction(state, work))

    @router.get("/kiosks", responses=error_docs(401, 403))
    async def kiosks(request: Request) -> JSONResponse:
        def work(session: Session) -> dict[str, Any]:
            _admin(session, request, clock(), change=False)
            latest = versions.catalogue_version(session)
            return {"catalogue_version": latest, "kiosks": kiosk_versions(session, latest)}

        return JSONResponse(await in_transaction(state, work))

    @router.get("/items/{entity}/{item_id}", responses=error_docs(401, 403, 404))
    async def item(entity: str, item_id: str, request: Request) -> JSONResponse:
        def work(session: Session) -> dict[str, Any]:
            _admin(session, request, clock(), change=False)
            return _item(session, _entity(entity), item_id)

        return JSONResponse(await in_transaction(state, work))

    @router.get("/items/{entity}/{item_id}/versions/{version}", responses=error_docs(401, 403, 404))
    async def old_version(entity: str, item_id: str, version: str, request: Request) -> JSONResponse:
        def work(session: Session) -> dict[str, Any]:
            _admin(session, request, clock(), change=False)
            number = int(version) if version.isascii() and version.isdigit() and len(version) < 10 else -1
            row = versions.one_version(session, _entity(entity), item_id, number)
            if row is None:
                raise ApiError(404, "not_found", f"{entity} {item_id[:80]!r} has no version {version[:12]!r}")
            return versions.version_view(row, with_data=True)

        return JSONResponse(await in_transaction(state, work))

    @router.post("/items/{entity}/{item_id}/preview", responses=error_docs(400, 401, 403, 404, 413, 415, 422))
    async def preview(entity: str, item_id: str, request: Request) -> JSONResponse:
        """The item as the kiosk will get it, checked; nothing is written."""
        body = await body_of(request)

        def work(session: Session) -> dict[str, Any]:
            _admin(session, request, clock(), change=True)
            data, _base, _note = _body(body)
            if data is None:
                raise ApiError(422, "invalid_request", "a withdrawal has nothing to preview")
            return {"entity": _entity(entity), "id": item_id, "data": _checked(session, entity, item_id, data),
                    "version": versions.item_version(session, entity, item_id)}

        return JSONResponse(await in_transaction(state, work))

    @router.post("/items/{entity}/{item_id}", responses=error_docs(400, 401, 403, 404, 409, 413, 415, 422))
    async def publish(entity: str, item_id: str, request: Request) -> JSONResponse:
        """Publish the item (or withdraw it with "data": null) through the changes feed."""
        body = await body_of(request)

        def work(session: Session) -> dict[str, Any]:
            now = clock()
            actor = _admin(session, request, now, change=True)
            data, base, note = _body(body)
            _entity(entity)
            if base is None:
                raise ApiError(422, "invalid_request", "base_version is missing: the item's version the edit started from")
            if data is None and entity == "config" and item_id not in SETTINGS:
                raise ApiError(422, "invalid_item", f"only the console's settings can be withdrawn: {', '.join(SETTINGS)}",
                               extra={"entity": entity, "id": item_id[:128]})
            checked = None if data is None else _checked(session, entity, item_id, data)
            versions.lock_feed(session)
            current = versions.item_version(session, entity, item_id)
            existing = session.get(CatalogueItem, (entity, item_id))
            if base != current:
                raise ApiError(409, "stale_version",
                               f"{entity} {item_id!r} is at version {current}, this edit started from {base}; "
                               "someone published it meanwhile: reload it and edit again",
                               extra={"current_version": current})
            if data is None and existing is None:
                raise ApiError(404, "not_found", f"no {entity} {item_id[:80]!r} to withdraw")
            if existing is not None and existing.data == checked:
                raise ApiError(409, "unchanged", f"{entity} {item_id!r} is already published as it is",
                               extra={"current_version": current})
            published = versions.publish_changes(session, [(entity, item_id, checked)], author=actor.name,
                                                 now=now, note=note)
            return {"entity": entity, "id": item_id, "version": published["versions"][0]["version"],
                    "cursor": published["versions"][0]["cursor"], "catalogue_version": published["catalogue_version"],
                    "at": now, "author": actor.name}

        return JSONResponse(await in_transaction(state, work))

    app.include_router(router)
