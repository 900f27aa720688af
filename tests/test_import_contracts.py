"""The dependency rules bite: every contract in pyproject.toml, and the allowlists of
tests/import_allowlists.py, fail on a tree that breaks them.

Each case copies kiosk/, drivers/, sync/ and pyproject.toml to a temporary directory, adds one
forbidden import (to an existing module, or in a new one), and runs ``lint-imports`` and the
allowlist check there with this Python; the case passes when the checks it names report it. The
unmodified copy, and a copy with a stdlib-only sync.protocol, must pass every check.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import import_allowlists

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
ALLOWLIST_SCRIPT = Path(import_allowlists.__file__).resolve()
ALLOWLIST = "allowlist"  # the check of tests/import_allowlists.py, next to the contract ids

PYSIDE6 = "pyside6-only-in-qt-and-ui"
LAYERS = "kiosk-layers"
UI_THROUGH = "kiosk-ui-through-qt-and-services"
SERVICES_NO_DEVICES = "kiosk-services-no-devices"
DRIVERS_INDEPENDENT = "drivers-independent"
SYNC_INDEPENDENT = "sync-client-server-independent"
SYNC_PROTOCOL_BELOW = "sync-protocol-below"
SYNC_APART = "sync-no-kiosk-no-drivers"
# sync.protocol is optional in the contracts: a module or a package, or not there yet
SYNC_PROTOCOL = "sync/protocol/__init__.py" if (REPO / "sync" / "protocol").is_dir() else "sync/protocol.py"


@dataclass(frozen=True)
class Case:
    id: str
    path: str  # the module that gets the import; created when it does not exist
    line: str  # the import written at the end of that module
    broken: frozenset[str]  # the checks that must report it


def case(id: str, path: str, line: str, *broken: str) -> Case:
    return Case(id, path, line, frozenset(broken))


# Package __init__ modules are used where the module does not matter, so that the cases survive
# files being renamed inside a package.
CASES = [
    # PySide6 only in kiosk.qt and kiosk.ui, wherever else it turns up
    case("pyside6-in-commands-sync", "kiosk/commands/sync.py", "import PySide6.QtCore", PYSIDE6),
    case("pyside6-in-fieldsetup-wizard", "kiosk/fieldsetup/wizard.py", "from PySide6.QtWidgets import QWidget",
         PYSIDE6),
    case("pyside6-in-new-kiosk-module", "kiosk/newthing.py", "from PySide6 import QtCore", PYSIDE6, LAYERS),
    case("pyside6-in-new-domain-module", "kiosk/domain/newthing.py", "import PySide6", PYSIDE6, ALLOWLIST),
    case("pyside6-in-store", "kiosk/store/__init__.py", "import PySide6.QtCore", PYSIDE6),
    case("pyside6-in-counter", "kiosk/counter/__init__.py", "import PySide6", PYSIDE6),
    case("pyside6-in-drivers", "drivers/printer/__init__.py", "import PySide6.QtGui", PYSIDE6, ALLOWLIST),
    case("pyside6-in-sync-client", "sync/client/__init__.py", "import PySide6", PYSIDE6),
    case("pyside6-at-module-level-in-app", "kiosk/app.py", "from PySide6.QtCore import QTimer", ALLOWLIST),
    # every module directly in kiosk/ has a layer
    case("new-kiosk-module-without-a-layer", "kiosk/newthing.py", "X = 1", LAYERS),
    # layers: commands > fieldsetup > app > ui | station > counter > qt > services > store > domain > config | version
    case("qt-imports-ui", "kiosk/qt/__init__.py", "import kiosk.ui", LAYERS),
    case("store-imports-services", "kiosk/store/__init__.py", "import kiosk.services", LAYERS),
    case("domain-imports-store", "kiosk/domain/__init__.py", "import kiosk.store", LAYERS, ALLOWLIST),
    case("services-imports-qt", "kiosk/services/__init__.py", "import kiosk.qt", LAYERS),
    case("store-imports-app", "kiosk/store/__init__.py", "import kiosk.app", LAYERS),
    case("ui-imports-commands", "kiosk/ui/__init__.py", "import kiosk.commands.cli", LAYERS),
    case("counter-imports-ui", "kiosk/counter/__init__.py", "import kiosk.ui", LAYERS),
    case("ui-imports-counter", "kiosk/ui/__init__.py", "import kiosk.counter", UI_THROUGH),
    case("ui-imports-station", "kiosk/ui/__init__.py", "import kiosk.station", LAYERS, UI_THROUGH),
    case("counter-imports-station", "kiosk/counter/__init__.py", "import kiosk.station", LAYERS),
    case("station-imports-app", "kiosk/station/__init__.py", "import kiosk.app", LAYERS),
    case("app-imports-fieldsetup", "kiosk/app.py", "import kiosk.fieldsetup", LAYERS),
    case("fieldsetup-imports-commands", "kiosk/fieldsetup/__init__.py", "import kiosk.commands", LAYERS),
    case("config-imports-domain", "kiosk/config/paths.py", "import kiosk.domain", LAYERS),
    case("version-imports-config", "kiosk/version.py", "import kiosk.config", LAYERS),
    # kiosk.ui and kiosk.services reach devices, the store and sync only through their layers
    case("ui-imports-store", "kiosk/ui/__init__.py", "import kiosk.store", UI_THROUGH),
    case("services-import-drivers", "kiosk/services/__init__.py", "import drivers.printer", SERVICES_NO_DEVICES),
    # allowlists: drivers (stdlib, serial, escpos, qrcode, PIL), kiosk.domain (stdlib)
    case("drivers-import-uvicorn", "drivers/printer/__init__.py", "import uvicorn", ALLOWLIST),
    case("drivers-import-psycopg", "drivers/idcard/__init__.py", "import psycopg", ALLOWLIST),
    case("drivers-import-pyusb", "drivers/printer/transports.py", "import usb.util", ALLOWLIST),
    case("drivers-import-kiosk", "drivers/idcard/textblock.py", "from kiosk.domain import idnumber", ALLOWLIST),
    case("drivers-import-sync", "drivers/printer/__init__.py", "import sync.client", ALLOWLIST),
    case("domain-imports-pil", "kiosk/domain/tickets.py", "import PIL.Image", ALLOWLIST),
    case("domain-imports-config", "kiosk/domain/__init__.py", "import kiosk.config", ALLOWLIST),
    case("domain-imports-drivers", "kiosk/domain/__init__.py", "import drivers.idcard", ALLOWLIST),
    # independence
    case("idcard-imports-printer", "drivers/idcard/__init__.py", "import drivers.printer", DRIVERS_INDEPENDENT),
    case("printer-imports-idcard", "drivers/printer/__init__.py", "import drivers.idcard", DRIVERS_INDEPENDENT),
    case("server-imports-client", "sync/server/__init__.py", "import sync.client", SYNC_INDEPENDENT),
    case("client-imports-server", "sync/client/__init__.py", "import sync.server", SYNC_INDEPENDENT),
    # sync apart from the kiosk and the drivers; the protocol below both, stdlib only
    case("sync-client-imports-kiosk", "sync/client/__init__.py", "import kiosk.domain", SYNC_APART),
    case("sync-server-imports-drivers", "sync/server/__init__.py", "import drivers.printer", SYNC_APART),
    case("sync-protocol-imports-requests", SYNC_PROTOCOL, "import requests", ALLOWLIST),
    case("sync-protocol-imports-client", SYNC_PROTOCOL, "import sync.client", SYNC_PROTOCOL_BELOW,
         ALLOWLIST),
]
CONTROLS = [
    case("unmodified", "", ""),
    case("stdlib-only-sync-protocol", SYNC_PROTOCOL, "import json\nfrom dataclasses import dataclass"),
]


def _copy_tree(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".import_linter_cache", ".grimp_cache")
    dest.mkdir(parents=True)
    for package in ("kiosk", "drivers", "sync"):
        shutil.copytree(REPO / package, dest / package, ignore=ignore)
    shutil.copy2(REPO / "pyproject.toml", dest / "pyproject.toml")
    return dest


def _broken_checks(root: Path) -> tuple[set[str], str]:
    """Which checks fail on the tree at ``root``, and their output."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env["COLUMNS"] = "400"  # one contract per line in the summary
    lint = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)
    allow = subprocess.run([sys.executable, str(ALLOWLIST_SCRIPT), "--root", str(root)], cwd=root, env=env,
                           capture_output=True, text=True, timeout=120)
    output = lint.stdout + lint.stderr + allow.stdout + allow.stderr
    broken = {CONTRACT_IDS[name] for name in re.findall(r"^(.+?) BROKEN(?: \(.*\))?$", lint.stdout, re.M)}
    if lint.returncode not in (0, 1) or (lint.returncode == 1) != bool(broken):
        pytest.fail(f"lint-imports did not run as expected (exit {lint.returncode}):\n{output}")
    if allow.returncode not in (0, 1):
        pytest.fail(f"the allowlist check did not run (exit {allow.returncode}):\n{output}")
    if allow.returncode == 1:
        broken.add(ALLOWLIST)
    return broken, output


def _contract_ids() -> dict[str, str]:
    import tomllib

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return {c["name"]: c["id"] for c in contracts}


CONTRACT_IDS = _contract_ids()


def _run_case(base: Path, work: Path, c: Case) -> tuple[set[str], str]:
    root = work / c.id
    shutil.copytree(base, root)
    if c.path:
        target = root / c.path
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        target.write_text(old + "\n" + c.line + "\n", encoding="utf-8")
    return _broken_checks(root)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every case and control, run once (two at a time) on copies of one pristine copy."""
    work = tmp_path_factory.mktemp("import-contracts")
    base = _copy_tree(work / "pristine")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {c.id: pool.submit(_run_case, base, work, c) for c in CASES + CONTROLS}
        return {id: future.result() for id, future in futures.items()}


def test_every_contract_and_the_allowlist_have_a_case():
    covered = set().union(*(c.broken for c in CASES))
    assert covered == set(CONTRACT_IDS.values()) | {ALLOWLIST}
    assert len({c.id for c in CASES + CONTROLS}) == len(CASES + CONTROLS)


def test_the_real_tree_keeps_the_allowlists():
    assert import_allowlists.violations(REPO) == []


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: c.id)
def test_a_tree_that_keeps_the_rules_passes(results, c):
    broken, output = results[c.id]
    assert broken == set(), output


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_the_rules_catch_the_violation(results, c):
    broken, output = results[c.id]
    missing = c.broken - broken
    assert not missing, f"{c.path} += {c.line!r} was not reported by {sorted(missing)}:\n{output}"
