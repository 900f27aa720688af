"""A receipt printer behind a device URL: status, printing, reconnecting after unplug."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import parse_qs, unquote, urlsplit

from .document import Document
from .encoder import encode
from .errors import PrinterError, PrinterOffline, PrintFailed
from .status import PrinterStatus, query_status
from .transports import FileTransport, SerialTransport, SimTransport, TcpTransport, Transport
from .transports import UsbTransport

CHUNK = 512


class Printer:
    """One printer, owned by one thread. Opens lazily; a broken connection is reopened next call."""

    def __init__(self, transport_factory: Callable[[], Transport], *, url: str = "",
                 native_qr: bool = True, status_timeout: float = 0.5,
                 paper_width_dots: int = 576) -> None:
        self.url = url
        self.native_qr = native_qr
        self.status_timeout = min(max(status_timeout, 0.05), 2.0)
        self.paper_width_dots = paper_width_dots
        self._factory = transport_factory
        self._transport: Optional[Transport] = None
        self._lock = threading.RLock()
        self.last_status: PrinterStatus = PrinterStatus.unknown()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url!r} open={self.is_open}>"

    @property
    def is_open(self) -> bool:
        return self._transport is not None

    def open(self) -> Printer:
        """Connect (again). Raises PrinterOffline / PrinterTimeout when the printer is not there."""
        with self._lock:
            self.close()
            transport = self._factory()
            transport.open()
            self._transport = transport
            return self

    def close(self) -> None:
        with self._lock:
            transport, self._transport = self._transport, None
            if transport is not None:
                transport.close()

    def __enter__(self) -> Printer:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def _ensure_open(self) -> tuple[Transport, bool]:
        """The transport, and whether it was opened just now."""
        if self._transport is None:
            self.open()
            return self._transport, True
        return self._transport, False

    def status(self) -> PrinterStatus:
        """Never raises: an unreachable printer is offline, a silent one unknown."""
        with self._lock:
            for _ in range(2):
                try:
                    transport, fresh = self._ensure_open()
                except PrinterError:
                    self.last_status = PrinterStatus.unreachable()
                    return self.last_status
                try:
                    self.last_status = query_status(transport, timeout=self.status_timeout)
                    return self.last_status
                except PrinterError:
                    self.close()
                    if fresh:
                        break
            self.last_status = PrinterStatus.unreachable()
            return self.last_status

    def print_document(self, doc: Document, *, require_ready: bool = True) -> int:
        """Send one job; returns the bytes sent.

        With ``require_ready`` a printer that reports itself not ready (offline, paper out,
        cover open) gets nothing and PrinterOffline is raised; an unknown status is tried.
        A job that breaks off raises PrintFailed with the bytes sent so far.
        """
        data = encode(doc, native_qr=self.native_qr, paper_width_dots=self.paper_width_dots)
        with self._lock:
            if require_ready:
                st = self.status()
                if st.online is False or (st.known and not st.ready):
                    raise PrinterOffline(f"printer not ready: {st}", status=st)
            transport, _ = self._ensure_open()
            sent = self._send(transport, data)
            self._confirm(transport, sent, len(data))
            self._job_done(doc, data)
            return sent

    def _send(self, transport: Transport, data: bytes) -> int:
        sent = 0
        try:
            for start in range(0, len(data), CHUNK):
                chunk = data[start:start + CHUNK]
                transport.write(chunk)
                sent += len(chunk)
        except PrinterError as e:
            self.close()
            raise PrintFailed(f"print job broke off: {e}", bytes_sent=sent,
                              bytes_total=len(data)) from e
        return sent

    def _confirm(self, transport: Transport, sent: int, total: int) -> None:
        """Ask for the printer status once after the job: a dropped connection shows up here."""
        if not transport.can_read:
            return
        try:
            self.last_status = query_status(transport, timeout=self.status_timeout)
        except PrinterError as e:
            self.close()
            raise PrintFailed(f"printer lost during the job: {e}", bytes_sent=sent,
                              bytes_total=total) from e

    def _job_done(self, doc: Document, data: bytes) -> None:
        """Hook for printers that keep their jobs (the simulator)."""


class SimPrinter(Printer):
    """``sim://``: keeps each job's bytes in ``.jobs``; with a folder, NNNN.bin and NNNN.png (the
    picture drawn by a process of its own, so it is there shortly after the job, not with it;
    `close()` waits for the pictures of the jobs sent)."""

    def __init__(self, *, directory: Optional[str] = None, native_qr: bool = True,
                 status_timeout: float = 0.5, paper_width_dots: int = 576, url: str = "sim://",
                 **state) -> None:
        self.transport = SimTransport(**state)
        super().__init__(lambda: self.transport, url=url, native_qr=native_qr,
                         status_timeout=status_timeout, paper_width_dots=paper_width_dots)
        self.directory = Path(directory) if directory else None
        self.jobs: list[bytes] = []
        self._previews = None

    def close(self) -> None:
        super().close()
        previews, self._previews = self._previews, None
        if previews is not None:
            previews.close()

    def set_status(self, **state) -> None:
        """online=bool, paper="ok"|"near_end"|"out", cover_open=bool, error=bool, silent=bool."""
        self.transport.set_status(**state)

    def _job_done(self, doc: Document, data: bytes) -> None:
        self.jobs.append(data)
        if self.directory is None:
            return
        from .preview_process import PreviewProcess

        self.directory.mkdir(mode=0o750, parents=True, exist_ok=True)
        numbers = [int(p.stem) for p in self.directory.glob("[0-9][0-9][0-9][0-9].bin")]
        stem = f"{max(numbers, default=0) + 1:04d}"
        fd = os.open(self.directory / f"{stem}.bin", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as job:
            job.write(data)
        if self._previews is None:
            self._previews = PreviewProcess()
        self._previews.draw(doc, self.directory / f"{stem}.png", self.paper_width_dots)


def _flag(value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected 1/0, got {value!r}")


def open_printer(url: str, *, native_qr: bool = True, status_timeout: float = 0.5) -> Printer:
    """A Printer for a device URL (not yet connected; it connects on first use or ``open()``).

    sim://?dir=D&paper=ok|near_end|out&cover=closed|open&online=1&silent=0
    tcp://HOST:PORT   serial:///dev/ttyUSB0?baudrate=115200   usb://VID:PID
    file:///dev/usb/lp0     Every URL accepts dots=576 (80 mm) or dots=384 (58 mm).
    Raises ValueError for a malformed URL.
    """
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    dots = int(query.get("dots", "576"))
    common = dict(url=url, native_qr=native_qr, status_timeout=status_timeout,
                  paper_width_dots=dots)
    scheme = parts.scheme
    if scheme == "sim":
        cover = query.get("cover", "closed")
        if cover not in ("open", "closed"):
            raise ValueError(f"sim cover must be open or closed, got {cover!r}")
        paper = query.get("paper", "ok")
        if paper not in ("ok", "near_end", "out"):
            raise ValueError(f"sim paper must be ok, near_end or out, got {paper!r}")
        return SimPrinter(directory=query.get("dir"), paper=paper, cover_open=cover == "open",
                          online=_flag(query.get("online", "1")),
                          silent=_flag(query.get("silent", "0")), **common)
    if scheme == "tcp":
        if not parts.hostname:
            raise ValueError(f"tcp printer URL needs a host: {url!r}")
        host, port = parts.hostname, parts.port or 9100
        return Printer(lambda: TcpTransport(host, port), **common)
    if scheme == "serial":
        device = unquote(parts.path)
        if not device:
            raise ValueError(f"serial printer URL needs a device path: {url!r}")
        baud = int(query.get("baudrate", "9600"))
        rtscts, dsrdtr = _flag(query.get("rtscts", "0")), _flag(query.get("dsrdtr", "0"))
        return Printer(lambda: SerialTransport(device, baud, rtscts=rtscts, dsrdtr=dsrdtr),
                       **common)
    if scheme == "usb":
        try:
            vid, pid = (int(x, 16) for x in parts.netloc.split(":"))
        except ValueError:
            raise ValueError(f"usb printer URL must be usb://VID:PID in hex: {url!r}") from None
        return Printer(lambda: UsbTransport(vid, pid), **common)
    if scheme == "file":
        path = unquote(parts.path)
        if not path or not os.path.isabs(path):
            raise ValueError(f"file printer URL needs an absolute path: {url!r}")
        return Printer(lambda: FileTransport(path), **common)
    raise ValueError(f"unknown printer URL scheme {scheme!r} in {url!r} "
                     "(expected sim, tcp, serial, usb or file)")
