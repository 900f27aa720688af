"""The error body of the protocol: a status code plus {"error": code, "detail": text}."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None):
        super().__init__(f"{status} {error}: {detail}")
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra or {}  # more fields of the body, beside error and detail

    def response(self) -> JSONResponse:
        return error_response(self.status, self.error, self.detail, self.headers, self.extra)


def error_response(
    status: int, error: str, detail: str, headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None
) -> JSONResponse:
    return JSONResponse({**(extra or {}), "error": error, "detail": detail}, status_code=status, headers=headers)


def unauthorized(detail: str) -> ApiError:
    return ApiError(401, "unauthorized", detail)


def invalid_envelope(detail: str) -> ApiError:
    return ApiError(422, "invalid_envelope", detail)
