"""axe-core's WCAG 2.1 AA rules run in the real headless chromium on a page as it is now: shared by the
browser tests of every page the project serves (counter console, hall display, window pad, the
district console, the phone page). axe.min.js comes from the test cache that packaging/install-axe-core
fills (through npm, pinned)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE_VERSION = "4.10.2"


def axe_source() -> str:
    """axe.min.js as packaging/install-axe-core caches it (fails, never skips, when it is absent)."""
    folder = Path(os.environ.get("AXE_CORE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                  / "service-circle" / f"axe-core-{AXE_VERSION}")
    path = folder / "axe.min.js"
    if not path.is_file():
        pytest.fail(f"{path} missing: run packaging/install-axe-core (or packaging/install-browser)")
    return path.read_text(encoding="utf-8")


def axe_violations(driver) -> list[str]:
    """The WCAG 2.0/2.1 A and AA violations axe-core finds on the page as it is now."""
    driver.execute_script(axe_source())
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then((r) => done(r.violations.map((v) => v.id + ': ' + v.help + ' ' +"
        " JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target.join(' ')))))).catch((e) => done(['axe failed: ' + e]));")
