"""Stand-in printers that speak ESC/POS over real connections: TCP (port 9100 style) and a pty."""

from __future__ import annotations

import os
import select
import socket
import struct
import threading
from typing import Optional

from .scanner import CommandScanner
from .status import status_replies


class _StatusState:
    def __init__(self, online: bool, paper: str, cover_open: bool, error: bool,
                 silent: bool) -> None:
        self._lock = threading.Lock()
        self._state: dict = {}
        self.silent = silent
        self.set_status(online=online, paper=paper, cover_open=cover_open, error=error)

    def set_status(self, *, silent: Optional[bool] = None, **state) -> None:
        """online=bool, paper="ok"|"near_end"|"out", cover_open=bool, error=bool, silent=bool."""
        with self._lock:
            merged = {**self._state, **state}
            status_replies(**merged)
            self._state = merged
            if silent is not None:
                self.silent = silent

    def replies_for(self, requests: list[int]) -> bytes:
        with self._lock:
            if self.silent:
                return b""
            table = status_replies(**self._state)
        return bytes(table[n] for n in requests if n in table)


class SimulatedNetworkPrinter(_StatusState):
    """A TCP printer in a thread: answers ``DLE EOT n``, records bytes, can drop a job.

    ``received`` holds every byte taken in, ``printed`` the same without the status requests.
    ``drop_after=N`` closes the connection once N bytes came in (keeping only those N).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, online: bool = True,
                 paper: str = "ok", cover_open: bool = False, error: bool = False,
                 silent: bool = False, drop_after: Optional[int] = None) -> None:
        super().__init__(online, paper, cover_open, error, silent)
        self.host = host
        self.port = port
        self.drop_after = drop_after
        self.received = bytearray()
        self.printed = bytearray()
        self.connections = 0
        self._listener: Optional[socket.socket] = None
        self._thread: Optional[threading.Thread] = None
        self._stop = threading.Event()

    def __enter__(self) -> SimulatedNetworkPrinter:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> SimulatedNetworkPrinter:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(4)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name=f"sim-printer-{self.port}",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    @property
    def url(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._listener], [], [], 0.05)
            if not ready:
                continue
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        scanner = CommandScanner()
        taken = 0
        while not self._stop.is_set():
            ready, _, _ = select.select([conn], [], [], 0.05)
            if not ready:
                continue
            try:
                data = conn.recv(4096)
            except OSError:
                return
            if not data:
                return
            limit = self.drop_after
            if limit is not None and taken + len(data) >= limit:
                data = data[: limit - taken]
                self.received += data
                scanner.feed(data)
                self.printed += scanner.printed
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return  # closing with unread data resets the connection, as an unplugged printer
            taken += len(data)
            self.received += data
            requests = scanner.feed(data)
            self.printed += scanner.printed
            scanner.printed.clear()
            answer = self.replies_for(requests)
            if answer:
                try:
                    conn.sendall(answer)
                except OSError:
                    return


class PtyPrinter(_StatusState):
    """A serial printer on a pseudo-terminal: open ``.device`` with pyserial (or serial://).

    A reader thread drains the master side, records bytes and answers ``DLE EOT n``.
    """

    def __init__(self, *, online: bool = True, paper: str = "ok", cover_open: bool = False,
                 error: bool = False, silent: bool = False) -> None:
        super().__init__(online, paper, cover_open, error, silent)
        self.received = bytearray()
        self.printed = bytearray()
        self.device = ""
        self._master = self._slave = -1
        self._thread: Optional[threading.Thread] = None
        self._stop = threading.Event()

    def __enter__(self) -> PtyPrinter:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> PtyPrinter:
        import tty

        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.device = os.ttyname(self._slave)
        self._stop.clear()
        self._thread = threading.Thread(target=self._drain, name="pty-printer", daemon=True)
        self._thread.start()
        return self

    def url(self, baudrate: int = 115200) -> str:
        return f"serial://{self.device}?baudrate={baudrate}"

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1

    def _drain(self) -> None:
        scanner = CommandScanner()
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.02)
            if not ready:
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            self.received += data
            requests = scanner.feed(data)
            self.printed += scanner.printed
            scanner.printed.clear()
            answer = self.replies_for(requests)
            if answer:
                os.write(self._master, answer)
