"""The systemd watchdog: real datagram sockets bound as $NOTIFY_SOCKET, a real Qt event loop."""

from __future__ import annotations

import os
import socket
import tempfile
import time

import pytest

from kiosk.qt.watchdog import SystemdWatchdog, interval_ms, notify_address


def drain(sock: socket.socket) -> list[bytes]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096))
        except BlockingIOError:
            return messages


@pytest.fixture(params=["path", "abstract"])
def notify_socket(request):
    """(receiving socket, the $NOTIFY_SOCKET value) for a filesystem path or an abstract name."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    folder = tempfile.mkdtemp(prefix="kiosk-notify-")
    if request.param == "path":
        value = os.path.join(folder, "notify")
        sock.bind(value)
    else:
        value = f"@kiosk-test-notify-{os.getpid()}-{time.monotonic_ns()}"
        sock.bind(notify_address(value))
    sock.setblocking(False)
    yield sock, value
    sock.close()
    if request.param == "path":
        os.unlink(value)
    os.rmdir(folder)


def test_ready_then_watchdog_while_the_loop_runs_and_silence_while_it_is_blocked(qtbot, notify_socket):
    sock, value = notify_socket
    watchdog = SystemdWatchdog(environ={"NOTIFY_SOCKET": value, "WATCHDOG_USEC": "150000"})
    assert watchdog.enabled
    watchdog.start()
    try:
        qtbot.wait(400)
        first = drain(sock)
        assert first[0] == b"READY=1", first
        assert first.count(b"READY=1") == 1
        beats = first[1:]
        assert len(beats) >= 4 and set(beats) == {b"WATCHDOG=1"}, first

        time.sleep(0.6)  # the UI thread is stuck: no event loop, no timer
        assert drain(sock) == []

        qtbot.wait(300)
        after = drain(sock)
        assert after and set(after) == {b"WATCHDOG=1"}, after
    finally:
        watchdog.stop()
    assert drain(sock) == [b"STOPPING=1"]
    qtbot.wait(200)
    assert drain(sock) == []


def test_without_notify_socket_nothing_is_sent_and_no_timer_runs(qtbot):
    watchdog = SystemdWatchdog(environ={"WATCHDOG_USEC": "150000"})
    watchdog.start()
    assert not watchdog.enabled and not watchdog.active
    qtbot.wait(50)
    watchdog.stop()


def test_a_vanished_socket_does_not_stop_the_ui(qtbot):
    folder = tempfile.mkdtemp(prefix="kiosk-notify-")
    watchdog = SystemdWatchdog(environ={"NOTIFY_SOCKET": os.path.join(folder, "gone")})
    watchdog.start()
    try:
        qtbot.wait(50)
        assert watchdog.active
    finally:
        watchdog.stop()
        os.rmdir(folder)


@pytest.mark.parametrize("environ, expected", [
    ({}, 10_000),
    ({"WATCHDOG_USEC": "30000000"}, 10_000),
    ({"WATCHDOG_USEC": "6000000"}, 2_000),
    ({"WATCHDOG_USEC": "junk"}, 10_000),
    ({"WATCHDOG_USEC": "0"}, 10_000),
])
def test_the_period_is_a_third_of_watchdog_sec(environ, expected):
    assert interval_ms(environ) == expected


def test_abstract_addresses_start_with_a_nul_byte():
    assert notify_address("@name") == b"\0name"
    assert notify_address("/run/systemd/notify") == "/run/systemd/notify"
