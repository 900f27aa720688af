"""The installed version of the kiosk package, looked up only when asked (importlib.metadata is slow
to import at start-up)."""

from __future__ import annotations


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("service-circle-kiosk")
    except PackageNotFoundError:
        return "0+unknown"
