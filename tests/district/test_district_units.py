"""The district's systemd units: the server, the nightly retention purge and the morning summary
(services + timers)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tests.packaging.test_packaging_units import systemd_analyze

UNITS = Path(__file__).resolve().parents[2] / "packaging" / "systemd"
NAMES = ("district-server.service", "district-purge.service", "district-purge.timer", "district-summary.service",
         "district-summary.timer")
EXECUTABLE = "/opt/district-server/bin/district-server"


def parse(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        assert current is not None
        current.setdefault(key, []).append(value)
    return sections


@pytest.fixture(scope="module")
def units():
    return {name: parse(UNITS / name) for name in NAMES}


def test_the_purge_runs_nightly_as_the_server_user(units):
    service, timer = units["district-purge.service"], units["district-purge.timer"]
    assert service["Service"]["ExecStart"] == [f"{EXECUTABLE} purge --db ${{DISTRICT_SERVER_DB}}"]
    assert service["Service"]["Type"] == ["oneshot"] and service["Service"]["User"] == ["district-server"]
    assert service["Service"]["UMask"] == ["0077"] and "Install" not in service
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 02:30:00"] and timer["Timer"]["Persistent"] == ["true"]
    assert timer["Timer"]["Unit"] == ["district-purge.service"] and timer["Install"]["WantedBy"] == ["timers.target"]


def test_the_summary_runs_every_morning_as_the_server_user(units):
    service, timer = units["district-summary.service"], units["district-summary.timer"]
    assert service["Service"]["ExecStart"] == [f"{EXECUTABLE} summary --db ${{DISTRICT_SERVER_DB}}"]
    assert service["Service"]["Type"] == ["oneshot"] and service["Service"]["User"] == ["district-server"]
    assert service["Service"]["StandardOutput"] == ["journal"] and "Install" not in service
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 08:30:00"] and timer["Timer"]["Persistent"] == ["true"]
    assert timer["Timer"]["Unit"] == ["district-summary.service"] and timer["Install"]["WantedBy"] == ["timers.target"]


def test_the_server_keeps_its_key_in_its_private_state_directory(units):
    service = units["district-server.service"]["Service"]
    assert service["ExecStart"][0].startswith(f"{EXECUTABLE} serve --db ${{DISTRICT_SERVER_DB}} --host 127.0.0.1")
    assert service["StateDirectory"] == ["district-server"] and service["StateDirectoryMode"] == ["0700"]
    assert service["UMask"] == ["0077"] and service["EnvironmentFile"] == ["/etc/district-server/district.env"]


def test_systemd_analyze_verify(tmp_path):
    analyze = systemd_analyze()
    for name in NAMES:
        shutil.copy(UNITS / name, tmp_path / name)
    result = subprocess.run([analyze, "verify", "--man=no", *(f"./{n}" for n in NAMES)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()
                  and not (f"Command {EXECUTABLE} is not executable" in line and not Path(EXECUTABLE).exists())]
    assert complaints == []
