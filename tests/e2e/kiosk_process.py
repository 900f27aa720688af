"""Helpers for whole-process tests: the `kiosk` command run as residents' kiosks and technicians run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KIOSK = [sys.executable, "-m", "kiosk.commands.cli"]
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kiosk_env(tmp_path):
    env = dict(os.environ)
    env["KIOSK_DATA_DIR"] = str(tmp_path / "data")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("KIOSK_CONFIG", None)
    return env


def run_kiosk(env, *args, timeout=60):
    return subprocess.run([*KIOSK, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=PROJECT)


def json_lines(text: str) -> list:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def field_config(folder: Path) -> Path:
    """The demo configuration with a PIN of its own (735190) instead of the demo's public secrets
    (what `kiosk run` refuses), written to ``folder``; paths made absolute."""
    text = (PROJECT / "config" / "demo.toml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines()
             if not line.startswith(("technician_pin_hash", "id_digest_key"))]
    from kiosk.domain.pin import hash_pin

    lines.insert(lines.index("[kiosk]") + 1, f'technician_pin_hash = "{hash_pin("735190", iterations=1000)}"')
    text = "\n".join(lines).replace('file = "../assets', f'file = "{PROJECT}/assets')
    path = folder / "field.toml"
    path.write_text(text + "\n", encoding="utf-8")
    return path
