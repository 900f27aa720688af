"""Serial SAM card reader on pyserial: polling, per-command time-outs, reconnection."""

from __future__ import annotations

import enum
import logging
import os
import select
import termios
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import serial

from . import frames as fr
from .errors import (
    CardReadError,
    FramingError,
    ReaderTimeout,
    ReaderUnavailable,
    TextBlockError,
    UnsupportedReader,
    error_for_code,
)
from .textblock import CardInfo, parse_text_block

log = logging.getLogger(__name__)

FIND_TIMEOUT = 0.3
SELECT_TIMEOUT = 0.3
READ_TIMEOUT = 2.0
POLL_INTERVAL = 0.025
SHORTEST_REPLY_LEN = 11  # a status-only reply: preamble, LEN, SW1-3, CHK
FIND_REPLY_LEN = 15
SELECT_REPLY_LEN = 19
BASE_REPLY_LEN = 1295


@dataclass(frozen=True)
class CardRead:
    """A card was placed and read. Holds no photo."""

    info: CardInfo


@dataclass(frozen=True)
class CardRemoved:
    """The card that was read (or failed to read) left the reader."""


class CardState(enum.Enum):
    ABSENT = "absent"
    READ = "read"
    FAILED = "failed"


WAITING_FOR_REMOVAL = frozenset({CardState.READ, CardState.FAILED})


class SerialCardReader:
    """A SAM reader on a serial port. One thread owns it: the first thread that uses it.

    ``timeout`` is the base-message read time-out; ``find_timeout``/``select_timeout`` those of
    the find and select commands. The wire time of the expected reply at ``baudrate`` is added
    to each, so slow lines do not time out.
    """

    def __init__(
        self,
        port: str,
        baudrate: int = 115200,
        timeout: float = READ_TIMEOUT,
        *,
        find_timeout: float = FIND_TIMEOUT,
        select_timeout: float = SELECT_TIMEOUT,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout
        self.find_timeout = find_timeout
        self.select_timeout = select_timeout
        self.poll_interval = poll_interval
        self.state = CardState.ABSENT
        self._serial: serial.Serial | None = None
        self._decoder = fr.FrameDecoder()
        self._frames_seen = False
        self._dirty = True
        self._owner: int | None = None

    # -- port -------------------------------------------------------------------------------

    def open(self) -> SerialCardReader:
        self._claim()
        if self._serial is not None:
            return self
        try:
            self._serial = serial.Serial(
                self.port, self.baudrate, timeout=0, write_timeout=1.0, exclusive=True
            )
        except (serial.SerialException, OSError, ValueError, termios.error) as exc:
            raise ReaderUnavailable(f"cannot open {self.port}: {exc}") from None
        self._frames_seen = False
        self._dirty = True
        self._decoder.reset()
        log.debug("opened %s at %d baud", self.port, self.baudrate)
        return self

    def close(self) -> None:
        self._close_port()
        self._owner = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def __enter__(self) -> SerialCardReader:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _close_port(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass

    def _claim(self) -> None:
        me = threading.get_ident()
        if self._owner is None:
            self._owner = me
        elif self._owner != me:
            raise RuntimeError("SerialCardReader used from a second thread")

    # -- commands ---------------------------------------------------------------------------

    def transact(self, frame: bytes, timeout: float, reply_len: int = 0) -> fr.Response:
        """Send one command frame and return the first valid reply frame."""
        self._claim()
        port = self.open()._serial
        name = fr.COMMAND_NAMES.get(frame, "command")
        deadline = time.monotonic() + timeout + fr.wire_time(len(frame) + reply_len, self.baudrate)
        received = 0
        try:
            if self._dirty:
                port.reset_input_buffer()
            self._dirty = True
            self._decoder.reset()
            fd = port.fileno()
            self._write(fd, frame, deadline)
            self._settle(len(frame) + SHORTEST_REPLY_LEN, deadline)
            while (remaining := deadline - time.monotonic()) > 0:
                ready, _, _ = select.select([fd], [], [], remaining)
                if not ready:
                    break
                try:
                    chunk = os.read(fd, 4096)
                except BlockingIOError:
                    continue
                if not chunk:
                    raise OSError("device reports readiness to read but returned no data")
                received += len(chunk)
                replies = self._decoder.feed(chunk)
                if replies:
                    self._frames_seen = True
                    self._dirty = self._decoder.pending > 0 or len(replies) > 1
                    log.debug("%s: sw3=0x%02X, %d data bytes", name, replies[0].sw3,
                              len(replies[0].data))
                    return replies[0]
                self._settle(self._decoder.missing(), deadline)
        except (serial.SerialException, OSError, termios.error) as exc:
            self._close_port()
            raise ReaderUnavailable(f"{self.port} went away during {name}: {exc}") from None
        if received == 0:
            raise ReaderTimeout(f"no reply to {name} within {timeout:.3g} s")
        if not self._frames_seen:
            raise UnsupportedReader(
                f"{self.port} sent {received} bytes but no valid SAM frame in reply to {name}"
            )
        raise FramingError(f"{received} bytes but no valid frame in reply to {name}")

    def _settle(self, n_bytes: int, deadline: float) -> None:
        """Sleep while ``n_bytes`` are still on the wire: they cannot arrive sooner, and reading
        them byte by byte as a real line delivers them costs a wake-up each (idle CPU)."""
        pause = min(fr.wire_time(n_bytes, self.baudrate), deadline - time.monotonic())
        if pause > 0.0005:
            time.sleep(pause)

    @staticmethod
    def _write(fd: int, data: bytes, deadline: float) -> None:
        while data:
            try:
                data = data[os.write(fd, data) :]
                continue
            except BlockingIOError:
                pass
            _, ready, _ = select.select([], [fd], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise ReaderTimeout("the port does not accept data (output blocked)")

    def _expect(self, frame: bytes, sw3: int, timeout: float, reply_len: int) -> fr.Response:
        reply = self.transact(frame, timeout, reply_len)
        if reply.sw3 != sw3:
            raise error_for_code(reply.sw3, fr.COMMAND_NAMES.get(frame, ""))
        return reply

    def reset_sam(self) -> None:
        self._expect(fr.RESET_SAM, fr.SW3_OK, self.timeout, 11)

    def sam_status(self) -> None:
        """Raises SamError if the SAM self-test failed, UnsupportedReader for a foreign device."""
        self._expect(fr.SAM_STATUS, fr.SW3_OK, self.find_timeout, 11)

    def read_sam_id(self) -> str:
        reply = self._expect(fr.READ_SAM_ID, fr.SW3_OK, self.find_timeout, 27)
        return fr.format_sam_id(reply.data)

    def find_card(self) -> bool:
        reply = self.transact(fr.FIND_CARD, self.find_timeout, FIND_REPLY_LEN)
        if reply.sw3 == fr.SW3_FIND_OK:
            return True
        if reply.sw3 == fr.SW3_NO_CARD:
            return False
        raise error_for_code(reply.sw3, "find card")

    def read_card(self) -> CardInfo:
        """Select and read the card found by ``find_card``."""
        self._expect(fr.SELECT_CARD, fr.SW3_OK, self.select_timeout, SELECT_REPLY_LEN)
        reply = self._expect(fr.READ_BASE, fr.SW3_OK, self.timeout, BASE_REPLY_LEN)
        message = fr.parse_base_message(reply.data)
        return parse_text_block(message.text)

    # -- polling ----------------------------------------------------------------------------

    def poll(self) -> CardRead | CardRemoved | None:
        """One find (and, for a new card, select and read). A card stays read until it
        leaves; a failed card must leave before it is tried again."""
        present = self.find_card()
        if not present:
            if self.state in WAITING_FOR_REMOVAL:
                self.state = CardState.ABSENT
                return CardRemoved()
            return None
        if self.state in WAITING_FOR_REMOVAL:
            return None
        try:
            info = self.read_card()
        except (CardReadError, TextBlockError):
            self.state = CardState.FAILED
            raise
        self.state = CardState.READ
        return CardRead(info)

    def wait_for_card(
        self, timeout: float, interval: float | None = None, stop: threading.Event | None = None
    ) -> CardRead | None:
        """Poll until a card is read, ``timeout`` passes or ``stop`` is set."""
        interval = self.poll_interval if interval is None else interval
        deadline = time.monotonic() + timeout
        while True:
            event = self.poll()
            if isinstance(event, CardRead):
                return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if stop is None:
                time.sleep(min(interval, remaining))
            elif stop.wait(min(interval, remaining)):
                return None


class SimulatedCardReader(SerialCardReader):
    """A SerialCardReader on a ReaderSimulator's pty; closing it stops the simulator."""

    def __init__(self, simulator, **kwargs) -> None:
        super().__init__(simulator.path, **kwargs)
        self.simulator = simulator

    def close(self) -> None:
        super().close()
        self.simulator.stop()


_FLOAT_PARAMS = ("timeout", "find_timeout", "select_timeout", "poll_interval")


def _reader_kwargs(query: dict[str, str]) -> dict:
    kwargs: dict = {}
    try:
        if "baudrate" in query:
            kwargs["baudrate"] = int(query.pop("baudrate"))
        for key in _FLOAT_PARAMS:
            if key in query:
                kwargs[key] = float(query.pop(key))
    except ValueError as exc:
        raise ValueError(f"bad reader URL parameter: {exc}") from None
    return kwargs


def open_reader(url: str) -> SerialCardReader:
    """A reader for ``serial:///dev/ttyUSB0?baudrate=115200&timeout=2`` or
    ``sim://?card=resident`` (a simulator on a pty; ``pace=1`` paces it at the baud rate).
    The port is opened by the first ``poll()`` (or an explicit ``open()``)."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    kwargs = _reader_kwargs(query)
    if parts.scheme == "serial":
        path = parts.netloc + parts.path
        if not path or query:
            raise ValueError(f"bad serial reader URL {url!r} (unknown: {sorted(query)})")
        return SerialCardReader(path, **kwargs)
    if parts.scheme == "sim":
        from .sample_cards import SAMPLE_CARDS
        from .simulator import ReaderSimulator

        card = query.pop("card", "") or None
        if card is not None and card not in SAMPLE_CARDS:
            raise ValueError(f"unknown sample card {card!r}; known: {sorted(SAMPLE_CARDS)}")
        pace = query.pop("pace", "0").lower() in ("1", "true", "yes")
        if query:
            raise ValueError(f"unknown sim reader URL parameters: {sorted(query)}")
        sim = ReaderSimulator(card, baudrate=kwargs.get("baudrate", 115200), pace=pace)
        sim.start()
        return SimulatedCardReader(sim, **kwargs)
    raise ValueError(f"unsupported reader URL scheme in {url!r}")
