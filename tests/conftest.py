"""Whole-suite fixtures: Qt offscreen, and no test may leave a thread running."""

import os
import threading
import time

# Without a display pytest-qt aborts the whole run; set before Qt is imported anywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402


def _running(thread: threading.Thread) -> bool:
    """Whether the OS thread behind ``thread`` still runs.

    A QThread that called into Python's threading (logging does) leaves a _DummyThread entry
    that says alive forever; ask the kernel instead.
    """
    if isinstance(thread, threading._DummyThread):
        return os.path.exists(f"/proc/self/task/{thread.native_id}")
    return thread.is_alive()


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Fail any test that leaves a thread running (workers, QThreads included, must be stopped and joined)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2.0
    while True:
        leaked = [t for t in threading.enumerate() if t not in before and _running(t)]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not leaked, f"test left threads running: {[t.name for t in leaked]}"


@pytest.fixture
def district(tmp_path):
    """A real `district-server serve` on 127.0.0.1 over a SQLite file (tests/district_process.py)."""
    from district_process import DistrictServer

    server = DistrictServer(tmp_path / "district.db").start()
    yield server
    server.stop()
