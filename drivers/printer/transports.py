"""Byte transports to a printer: ``open()``, ``write(bytes)``, ``read(n, timeout)``, ``close()``.

``read`` returns at most ``n`` bytes, or ``b""`` when nothing came within ``timeout`` seconds.
Broken connections raise PrinterOffline; writes the printer does not take in time raise
PrinterTimeout. ``can_read`` is False where status cannot be read back (files).
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import threading
import time
from typing import Optional, Protocol

from .errors import PrinterOffline, PrinterTimeout
from .scanner import CommandScanner
from .status import status_replies

CONNECT_TIMEOUT = 2.0
WRITE_TIMEOUT = 10.0


class Transport(Protocol):
    can_read: bool

    def open(self) -> None: ...
    def write(self, data: bytes) -> None: ...
    def read(self, n: int, timeout: float) -> bytes: ...
    def close(self) -> None: ...


class TcpTransport:
    """Raw TCP (port 9100), with short connect and read time-outs."""

    can_read = True

    def __init__(self, host: str, port: int = 9100, *, connect_timeout: float = CONNECT_TIMEOUT,
                 write_timeout: float = WRITE_TIMEOUT) -> None:
        self.host, self.port = host, port
        self.connect_timeout = min(connect_timeout, CONNECT_TIMEOUT)
        self.write_timeout = write_timeout
        self._sock: Optional[socket.socket] = None

    def open(self) -> None:
        self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except socket.timeout as e:
            raise PrinterTimeout(f"no connection to {self.host}:{self.port} within "
                                 f"{self.connect_timeout:g} s") from e
        except OSError as e:
            raise PrinterOffline(f"cannot connect to {self.host}:{self.port}: {e}") from e
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock

    def _live(self) -> socket.socket:
        if self._sock is None:
            raise PrinterOffline("connection is not open")
        return self._sock

    def write(self, data: bytes) -> None:
        sock = self._live()
        sock.settimeout(self.write_timeout)
        try:
            sock.sendall(data)
        except socket.timeout as e:
            raise PrinterTimeout(f"printer took no data for {self.write_timeout:g} s") from e
        except OSError as e:
            raise PrinterOffline(f"connection lost: {e}") from e

    def read(self, n: int, timeout: float) -> bytes:
        sock = self._live()
        try:
            ready, _, _ = select.select([sock], [], [], max(0.0, timeout))
            if not ready:
                return b""
            data = sock.recv(n)
        except OSError as e:
            raise PrinterOffline(f"connection lost: {e}") from e
        if not data:
            raise PrinterOffline("printer closed the connection")
        return data

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()


class SerialTransport:
    """A serial port through pyserial; status bytes are read one at a time with a short time-out."""

    can_read = True

    def __init__(self, port: str, baudrate: int = 9600, *, rtscts: bool = False,
                 dsrdtr: bool = False, write_timeout: float = WRITE_TIMEOUT) -> None:
        self.port, self.baudrate = port, baudrate
        self.rtscts, self.dsrdtr = rtscts, dsrdtr
        self.write_timeout = write_timeout
        self._serial = None

    def open(self) -> None:
        import serial

        self.close()
        try:
            self._serial = serial.Serial(
                self.port, self.baudrate, timeout=0, write_timeout=self.write_timeout,
                rtscts=self.rtscts, dsrdtr=self.dsrdtr,
            )
        except (serial.SerialException, OSError, ValueError) as e:
            raise PrinterOffline(f"cannot open {self.port}: {e}") from e

    def write(self, data: bytes) -> None:
        import serial

        if self._serial is None:
            raise PrinterOffline("serial port is not open")
        try:
            self._serial.write(data)
        except serial.SerialTimeoutException as e:
            raise PrinterTimeout(f"printer took no data for {self.write_timeout:g} s") from e
        except (serial.SerialException, OSError) as e:
            raise PrinterOffline(f"serial port lost: {e}") from e

    def read(self, n: int, timeout: float) -> bytes:
        import serial

        if self._serial is None:
            raise PrinterOffline("serial port is not open")
        try:
            self._serial.timeout = max(0.0, timeout)
            return self._serial.read(n)
        except (serial.SerialException, OSError) as e:
            raise PrinterOffline(f"serial port lost: {e}") from e

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except OSError:
                pass


class FileTransport:
    """A device node or file, written only: status is always unknown."""

    can_read = False

    def __init__(self, path: str) -> None:
        self.path = path
        self._file = None

    def open(self) -> None:
        self.close()
        try:
            self._file = open(self.path, "ab", buffering=0)
        except OSError as e:
            raise PrinterOffline(f"cannot open {self.path}: {e}") from e

    def write(self, data: bytes) -> None:
        if self._file is None:
            raise PrinterOffline("file is not open")
        try:
            self._file.write(data)
        except OSError as e:
            raise PrinterOffline(f"write to {self.path} failed: {e}") from e

    def read(self, n: int, timeout: float) -> bytes:
        return b""

    def close(self) -> None:
        f, self._file = self._file, None
        if f is not None:
            try:
                f.close()
            except OSError:
                pass


@contextlib.contextmanager
def _root_logging_kept():
    """python-escpos configures and logs on the root logger; undo whatever it changed."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


class UsbTransport:
    """USB through python-escpos ``Usb`` (imported only here; its root log handler is undone)."""

    can_read = True

    def __init__(self, vendor_id: int, product_id: int, *, timeout_ms: int = 10000) -> None:
        self.vendor_id, self.product_id = vendor_id, product_id
        self.timeout_ms = timeout_ms
        self._usb = None

    def open(self) -> None:
        self.close()
        try:
            with _root_logging_kept():
                from escpos.printer import Usb

                if not Usb.is_usable():  # escpos' own error would come again from Usb.__del__
                    raise RuntimeError("the pyusb library is not installed")
                usb = Usb(self.vendor_id, self.product_id, timeout=self.timeout_ms)
                usb.open()
        except Exception as e:  # escpos raises several unrelated types here
            raise PrinterOffline(f"cannot open USB printer {self.vendor_id:04x}:"
                                 f"{self.product_id:04x}: {e}") from e
        self._usb = usb

    def write(self, data: bytes) -> None:
        if self._usb is None:
            raise PrinterOffline("USB printer is not open")
        try:
            self._usb.device.write(self._usb.out_ep, data, self.timeout_ms)
        except Exception as e:
            if "timeout" in str(e).lower():
                raise PrinterTimeout(f"USB write timed out: {e}") from e
            raise PrinterOffline(f"USB printer lost: {e}") from e

    def read(self, n: int, timeout: float) -> bytes:
        if self._usb is None:
            raise PrinterOffline("USB printer is not open")
        try:
            return bytes(self._usb.device.read(self._usb.in_ep, n, max(1, int(timeout * 1000))))
        except Exception as e:
            if "timeout" in str(e).lower():
                return b""
            raise PrinterOffline(f"USB printer lost: {e}") from e

    def close(self) -> None:
        dev, self._usb = self._usb, None
        if dev is not None:
            try:
                with _root_logging_kept():  # escpos logs the close on the root logger
                    dev.close()
            except Exception:
                pass


class SimTransport:
    """An in-memory printer: answers ``DLE EOT n`` from a settable state, records every byte."""

    can_read = True

    def __init__(self, *, online: bool = True, paper: str = "ok", cover_open: bool = False,
                 error: bool = False, silent: bool = False) -> None:
        self._lock = threading.Lock()
        self.received = bytearray()
        self._scanner = CommandScanner()
        self._replies = bytearray()
        self._open = False
        self.set_status(online=online, paper=paper, cover_open=cover_open, error=error,
                        silent=silent)

    def set_status(self, **state) -> None:
        with self._lock:
            current = getattr(self, "state", {})
            merged = {**current, **state}
            status_replies(**{k: v for k, v in merged.items() if k != "silent"})
            self.state = merged

    def open(self) -> None:
        self._open = True

    def write(self, data: bytes) -> None:
        if not self._open:
            raise PrinterOffline("simulated printer is not open")
        with self._lock:
            self.received += data
            replies = status_replies(**{k: v for k, v in self.state.items() if k != "silent"})
            for n in self._scanner.feed(data):
                if not self.state["silent"] and n in replies:
                    self._replies.append(replies[n])

    def read(self, n: int, timeout: float) -> bytes:
        if not self._open:
            raise PrinterOffline("simulated printer is not open")
        with self._lock:
            out = bytes(self._replies[:n])
            del self._replies[:n]
        if not out and timeout > 0:
            time.sleep(timeout)  # a silent printer: the caller waits its time-out, as on a wire
        return out

    def close(self) -> None:
        self._open = False
