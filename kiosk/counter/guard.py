"""What keeps the queue service whole on a station LAN anyone can join.

- **Body size**: a request body over `MAX_BODY_BYTES` is refused with 413 on its `Content-Length`
  before a byte of it is read, and a body without one (chunked) is cut off at the limit.
- **Cross-site requests**: a browser sends `Origin` with every POST; one that is not this service's
  own origin is refused (403 `cross_origin`), and so is a request the browser marks
  `Sec-Fetch-Site: cross-site` or `same-site` (another port of the same host is another origin).
- **The documented error body** for what FastAPI and Starlette would answer in their own shape:
  `{"error": "<code>", "detail": "<text>"}`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

MAX_BODY_BYTES = 16 * 1024  # a login or a call is well under 1 KiB
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FOREIGN_FETCH_SITES = {"cross-site", "same-site"}


def _error(code: str, detail: str) -> bytes:
    return json.dumps({"error": code, "detail": detail}, ensure_ascii=False).encode("utf-8")


class GuardMiddleware:
    """Pure ASGI, so that nothing reads a body the guard refuses."""

    def __init__(self, app: Any, max_body_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.too_large = (413, "too_large", f"request bodies are limited to {max_body_bytes} bytes")

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await self._send(send, *refusal)
            return
        if scope["method"] not in UNSAFE_METHODS or "content-length" in headers:
            await self.app(scope, receive, send)  # a declared length was checked above
            return
        body = bytearray()  # chunked: read it here, up to the limit, then hand it on whole
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            if len(body) > self.max_body_bytes:
                await self._send(send, *self.too_large)
                return
            if not message.get("more_body", False):
                break
        delivered = False

        async def replay() -> dict:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    def _refusal(self, scope: dict, headers: dict[str, str]) -> tuple[int, str, str] | None:
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return 400, "bad_request", "Content-Length is not a number"
            if int(length) > self.max_body_bytes:
                return self.too_large
        if scope["method"] in UNSAFE_METHODS:
            origin = headers.get("origin")
            own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
            if origin is not None and origin != own:
                return 403, "cross_origin", f"requests from {origin} are not accepted here"
            if headers.get("sec-fetch-site") in FOREIGN_FETCH_SITES:
                return 403, "cross_origin", "requests from other sites are not accepted here"
        return None

    @staticmethod
    async def _send(send: Any, status: int, code: str, detail: str) -> None:
        body = _error(code, detail)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode("ascii")),
                                (b"cache-control", b"no-store"), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def install(app: FastAPI) -> None:
    """The guard and the error body on ``app``."""
    app.add_middleware(GuardMiddleware)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg', '')}"
                             for e in exc.errors())
        return JSONResponse({"error": "invalid_request", "detail": problems[:500]}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse({"error": code, "detail": str(exc.detail)}, status_code=exc.status_code,
                            headers=dict(exc.headers or {}))
