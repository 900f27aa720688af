"""systemd's service watchdog, fed from the UI thread's event loop.

The kiosk session unit runs with ``Type=notify`` and ``WatchdogSec=30``. A QTimer on the UI thread
sends ``READY=1`` on the first turn of the event loop and ``WATCHDOG=1`` every third of the watchdog
period over the ``$NOTIFY_SOCKET`` datagram socket (sd_notify's protocol, spoken with the standard
library). The timer fires only while the event loop turns, so a blocked UI thread stops the
messages and systemd restarts the session. Without ``$NOTIFY_SOCKET`` (not started by systemd)
nothing is sent.

``$WATCHDOG_USEC`` gives the period when systemd sets it. ``$WATCHDOG_PID`` is not checked: the
main process of the unit is cage, and the kiosk is its child (the unit says ``NotifyAccess=all``).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger(__name__)

DEFAULT_WATCHDOG_USEC = 30_000_000


def notify_address(value: str) -> str | bytes:
    """The socket address of ``$NOTIFY_SOCKET``: a path, or '@name' for the abstract namespace."""
    if value.startswith("@"):
        return b"\0" + value[1:].encode()
    return value


def interval_ms(environ: Mapping[str, str]) -> int:
    """A third of the watchdog period (``$WATCHDOG_USEC``, else WatchdogSec=30), in milliseconds."""
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        usec = DEFAULT_WATCHDOG_USEC
    if usec <= 0:
        usec = DEFAULT_WATCHDOG_USEC
    return max(1, usec // 3000)


class SystemdWatchdog(QObject):
    """Sends READY=1 once, then WATCHDOG=1 every period/3, from the thread that owns it."""

    def __init__(self, parent: QObject | None = None, environ: Mapping[str, str] | None = None):
        super().__init__(parent)
        environ = os.environ if environ is None else environ
        self._address = notify_address(environ["NOTIFY_SOCKET"]) if environ.get("NOTIFY_SOCKET") else None
        self._socket: socket.socket | None = None
        self._ready_sent = False
        self._failed = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms(environ))
        self._timer.timeout.connect(self.on_tick)

    @property
    def enabled(self) -> bool:
        return self._address is not None

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Arm the timer: READY=1 on the next turn of the event loop. Does nothing without systemd."""
        if not self.enabled or self._timer.isActive():
            return
        if self._socket is None:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.setblocking(False)
        QTimer.singleShot(0, self.on_tick)
        self._timer.start()

    def stop(self) -> None:
        """Tell systemd the session is stopping, and stop sending."""
        if self._socket is None:
            return
        self._timer.stop()
        self._send(b"STOPPING=1")
        self._socket.close()
        self._socket = None

    def on_tick(self) -> None:
        if self._socket is None:
            return
        if not self._ready_sent:
            self._ready_sent = self._send(b"READY=1")
        self._send(b"WATCHDOG=1")

    def _send(self, message: bytes) -> bool:
        try:
            self._socket.sendto(message, self._address)
        except OSError as exc:
            if not self._failed:
                log.warning("systemd notify socket unusable: %s", exc.strerror or exc)
                self._failed = True
            return False
        self._failed = False
        return True


def start_watchdog(parent: QObject | None = None) -> SystemdWatchdog:
    """Create and start the watchdog for the current process; stopped when the application quits."""
    watchdog = SystemdWatchdog(parent)
    watchdog.start()
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(watchdog.stop)
    return watchdog
