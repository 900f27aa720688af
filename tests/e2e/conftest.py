"""Fixtures for whole-process tests; the helpers live in kiosk_process.py (imported by name)."""

from kiosk_process import kiosk_env  # noqa: F401 (the fixture)
