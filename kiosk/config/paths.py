"""Files the sync client keeps in the data directory: the enrolment secret and the run lock."""

from __future__ import annotations

from pathlib import Path

SECRET_FILE = "sync-secret.json"
LOCK_FILE = "sync.lock"


def secret_path(config) -> Path:
    return config.kiosk.data_dir / SECRET_FILE


def lock_path(config) -> Path:
    return config.kiosk.data_dir / LOCK_FILE
