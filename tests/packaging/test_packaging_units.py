"""The systemd units: the keys the kiosk depends on, and `systemd-analyze verify` on the files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[2] / "packaging" / "systemd"
NAMES = ("kiosk-session.service", "kiosk-counter.service", "kiosk-station.service", "kiosk-sync.service",
         "kiosk-sync.timer")
EXECUTABLES = ("/usr/bin/cage", "/opt/kiosk/bin/kiosk")


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections of a unit file, each key with every value it is given (systemd repeats keys)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{path.name}:{number}: key outside a section"
        key, sep, value = line.partition("=")
        assert sep and key.strip() == key and key.isascii() and key.replace("_", "").isalnum(), \
            f"{path.name}:{number}: not KEY=VALUE: {raw!r}"
        assert not line.endswith("\\"), f"{path.name}:{number}: continued lines are not used"
        current.setdefault(key, []).append(value.strip())
    return sections


def one(unit, section: str, key: str) -> str:
    values = unit[section].get(key, [])
    assert len(values) == 1, f"[{section}] {key}: {values}"
    return values[0]


@pytest.fixture(scope="module")
def units():
    return {name: parse_unit(UNITS / name) for name in NAMES}


def test_the_session_is_cage_on_tty1_as_the_kiosk_user_with_the_watchdog(units):
    unit = units["kiosk-session.service"]
    expected = {"ExecStart": "/usr/bin/cage -- /opt/kiosk/bin/kiosk run", "User": "kiosk", "PAMName": "login",
                "TTYPath": "/dev/tty1", "Restart": "always", "Type": "notify", "WatchdogSec": "30",
                "NotifyAccess": "all", "StandardOutput": "journal", "StandardError": "journal"}
    assert {key: one(unit, "Service", key) for key in expected} == expected
    assert "getty@tty1.service" in " ".join(unit["Unit"]["Conflicts"])
    assert "KIOSK_CONFIG=/etc/kiosk/kiosk.toml" in unit["Service"]["Environment"]
    assert one(unit, "Install", "WantedBy") == "graphical.target"


def test_the_counter_service(units):
    unit = units["kiosk-counter.service"]
    assert one(unit, "Service", "ExecStart") == "/opt/kiosk/bin/kiosk counter-service --host 0.0.0.0 --port 8080"
    assert one(unit, "Service", "User") == "kiosk" and one(unit, "Service", "Restart") == "always"
    assert one(unit, "Install", "WantedBy") == "multi-user.target"


def test_the_station_service(units):
    unit = units["kiosk-station.service"]
    assert one(unit, "Service", "ExecStart") == "/opt/kiosk/bin/kiosk station-service --host 0.0.0.0 --port 8470"
    assert "KIOSK_CONFIG=/etc/kiosk/station.toml" in unit["Service"]["Environment"]
    assert int(one(unit, "Service", "LimitNOFILE")) >= 65536
    assert one(unit, "Service", "StateDirectory") == "kiosk-station"
    assert one(unit, "Install", "WantedBy") == "multi-user.target"


def test_the_nightly_sync(units):
    service, timer = units["kiosk-sync.service"], units["kiosk-sync.timer"]
    assert one(service, "Service", "ExecStart") == "/opt/kiosk/bin/kiosk sync --reconcile"
    assert one(service, "Service", "Type") == "oneshot" and one(service, "Service", "User") == "kiosk"
    assert "Install" not in service
    assert one(timer, "Timer", "OnCalendar").startswith("*-*-* ")
    assert one(timer, "Timer", "RandomizedDelaySec") and one(timer, "Timer", "Persistent") == "true"
    assert one(timer, "Timer", "Unit") == "kiosk-sync.service"
    assert one(timer, "Install", "WantedBy") == "timers.target"


def test_every_service_logs_to_the_journal_as_the_kiosk_user(units):
    for name, unit in units.items():
        if name.endswith(".service"):
            assert one(unit, "Service", "StandardOutput") == "journal", name
            assert one(unit, "Service", "Group") == "kiosk", name


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "systemd"], check=True, capture_output=True, timeout=600)
        found = shutil.which("systemd-analyze")
    assert found, "systemd-analyze is needed (apt-get install systemd)"
    return found


def verify(folder: Path, names) -> list[str]:
    """What `systemd-analyze verify` says about the units, less the missing executables of a
    machine the package is not installed on."""
    result = subprocess.run([systemd_analyze(), "verify", "--man=no", *(f"./{n}" for n in names)], cwd=folder,
                            capture_output=True, text=True, timeout=120)
    complaints = []
    for line in (result.stdout + result.stderr).splitlines():
        missing = [exe for exe in EXECUTABLES if f"Command {exe} is not executable" in line]
        if missing and not Path(missing[0]).exists():
            continue
        if line.strip():
            complaints.append(line)
    return complaints


def test_systemd_analyze_verify_finds_nothing_to_complain_about(tmp_path):
    for name in NAMES:
        shutil.copy(UNITS / name, tmp_path / name)
    assert verify(tmp_path, NAMES) == []


def test_systemd_analyze_verify_would_see_a_broken_unit(tmp_path):
    for name in NAMES:
        shutil.copy(UNITS / name, tmp_path / name)
    session = tmp_path / "kiosk-session.service"
    session.write_text(session.read_text().replace("Restart=always", "Restart=sometimes")
                       .replace("WatchdogSec=30", "WatchdogSecs=30"))
    complaints = "\n".join(verify(tmp_path, NAMES))
    assert "restart specifier" in complaints and "WatchdogSecs" in complaints
