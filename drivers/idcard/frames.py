"""Byte protocol of the SAM reader: frame encoding, stream decoding, payload parsing. No I/O.

Frame: ``AA AA AA 96 69 | LEN_HI LEN_LO | body... | CHK``; LEN counts every byte after the
length field (CHK included); CHK is the XOR of the two length bytes and the body.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import reduce

from .errors import FramingError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
MAX_LEN = 0x1000
BAUD_BITS_PER_BYTE = 10

SW3_OK = 0x90
SW3_FIND_OK = 0x9F
SW3_NO_CARD = 0x80
SW3_SELECT_FAILED = 0x81
SW3_READ_FAILED = 0x41
SW3_SAM_FAILED = 0x60

CMD_SAM = 0x10
CMD_SAM_STATUS = 0x11
CMD_SAM_ID = 0x12
CMD_CARD = 0x20
CMD_READ = 0x30
PARA_SAM = 0xFF
PARA_FIND = 0x01
PARA_SELECT = 0x02
PARA_BASE = 0x01
PARA_NEW_ADDRESS = 0x03
PARA_BASE_FP = 0x10

TEXT_LEN = 256
PHOTO_LEN = 1024
FINGERPRINT_LEN = 1024


def checksum(length_and_body: bytes) -> int:
    """XOR of the length bytes and every body byte (the preamble is excluded)."""
    return reduce(lambda acc, b: acc ^ b, length_and_body, 0)


def _frame(body: bytes) -> bytes:
    length = struct.pack(">H", len(body) + 1)
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def encode_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A complete host-to-reader frame."""
    return _frame(bytes([cmd, para]) + bytes(data))


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """A complete reader-to-host frame (used by the simulator and the tests)."""
    return _frame(bytes([sw1, sw2, sw3]) + bytes(data))


RESET_SAM = encode_command(CMD_SAM, PARA_SAM)
SAM_STATUS = encode_command(CMD_SAM_STATUS, PARA_SAM)
READ_SAM_ID = encode_command(CMD_SAM_ID, PARA_SAM)
FIND_CARD = encode_command(CMD_CARD, PARA_FIND)
SELECT_CARD = encode_command(CMD_CARD, PARA_SELECT)
READ_BASE = encode_command(CMD_READ, PARA_BASE)
READ_NEW_ADDRESS = encode_command(CMD_READ, PARA_NEW_ADDRESS)
READ_BASE_FP = encode_command(CMD_READ, PARA_BASE_FP)

COMMAND_NAMES: dict[bytes, str] = {
    RESET_SAM: "reset SAM",
    SAM_STATUS: "SAM status",
    READ_SAM_ID: "read SAM id",
    FIND_CARD: "find card",
    SELECT_CARD: "select card",
    READ_BASE: "read base message",
    READ_NEW_ADDRESS: "read new address",
    READ_BASE_FP: "read base message + fingerprint",
}


def wire_time(n_bytes: int, baudrate: int) -> float:
    """Seconds needed to send n_bytes over an 8N1 line (10 bits a byte)."""
    return n_bytes * BAUD_BITS_PER_BYTE / baudrate


@dataclass(frozen=True)
class Response:
    """A reader reply; ``data`` is what follows SW3. The repr never shows the data bytes."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes = field(default=b"", repr=False)

    def __repr__(self) -> str:
        return f"Response(sw3=0x{self.sw3:02X}, data_len={len(self.data)})"


@dataclass(frozen=True)
class Command:
    """A host command as the reader (simulator) sees it."""

    cmd: int
    para: int
    data: bytes = b""


class _FrameScanner:
    """Turns a byte stream into frame bodies; subclasses turn bodies into messages."""

    min_len = 3

    def __init__(self) -> None:
        self._buf = bytearray()
        self.bad_frames = 0
        self.discarded = 0
        self.frames = 0

    def reset(self) -> None:
        """Drop any partial frame (the bytes count as discarded)."""
        self.discarded += len(self._buf)
        self._buf.clear()

    @property
    def pending(self) -> int:
        return len(self._buf)

    def missing(self) -> int:
        """Bytes still to come for the frame begun in the buffer, once its length is known; else 0."""
        buf = self._buf
        if len(buf) < HEADER_LEN or buf[:len(PREAMBLE)] != PREAMBLE:
            return 0
        length = (buf[5] << 8) | buf[6]
        return max(0, HEADER_LEN + length - len(buf)) if length <= MAX_LEN else 0

    def feed(self, data: bytes) -> list:
        self._buf.extend(data)
        out = []
        while True:
            body = self._next_body()
            if body is None:
                return out
            out.append(self._make(body))
            self.frames += 1

    def _make(self, body: bytes):
        raise NotImplementedError

    def _complete_at(self, start: int) -> int | None:
        """End offset of a valid frame starting at ``start``; None if incomplete; -1 if bad."""
        buf = self._buf
        if len(buf) < start + HEADER_LEN:
            return None
        length = (buf[start + 5] << 8) | buf[start + 6]
        if length < self.min_len or length > MAX_LEN:
            return -1
        end = start + HEADER_LEN + length
        if len(buf) < end:
            return None
        if checksum(buf[start + 5 : end - 1]) != buf[end - 1]:
            return -1
        return end

    def _drop(self, n: int) -> None:
        self.discarded += n
        del self._buf[:n]

    def _next_body(self) -> bytes | None:
        buf = self._buf
        while True:
            start = buf.find(PREAMBLE)
            if start < 0:
                keep = _partial_preamble_len(buf)
                self._drop(len(buf) - keep)
                return None
            if start:
                self._drop(start)
            end = self._complete_at(0)
            if end == -1:
                self.bad_frames += 1
                self._drop(1)
                continue
            if end is None:
                inner = self._inner_frame()
                if inner is None:
                    return None
                self.bad_frames += 1
                self._drop(inner)
                continue
            body = bytes(buf[HEADER_LEN : end - 1])
            del buf[:end]
            return body

    def _inner_frame(self) -> int | None:
        """Offset of a complete valid frame inside an incomplete one (a truncated frame)."""
        pos = self._buf.find(PREAMBLE, 1)
        while pos >= 0:
            end = self._complete_at(pos)
            if end is not None and end > 0:
                return pos
            pos = self._buf.find(PREAMBLE, pos + 1)
        return None


def _partial_preamble_len(buf: bytearray) -> int:
    """How many trailing bytes could be the start of a preamble split across chunks."""
    for n in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
        if buf[-n:] == PREAMBLE[:n]:
            return n
    return 0


class FrameDecoder(_FrameScanner):
    """Reader-to-host stream decoder: ``feed(chunk) -> list[Response]``; never raises."""

    min_len = 4

    def _make(self, body: bytes) -> Response:
        return Response(body[0], body[1], body[2], body[3:])


class CommandDecoder(_FrameScanner):
    """Host-to-reader stream decoder used by the simulator: ``feed(chunk) -> list[Command]``."""

    min_len = 3

    def _make(self, body: bytes) -> Command:
        return Command(body[0], body[1], body[2:])


@dataclass(frozen=True)
class BaseMessage:
    """Payload of a base-message read. Photo and fingerprint bytes never appear in the repr."""

    text: bytes = field(repr=False)
    photo: bytes = field(repr=False)
    fingerprint: bytes | None = field(default=None, repr=False)


def encode_base_message(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """The data part (after SW3) of a base-message reply."""
    if fingerprint is None:
        return struct.pack(">HH", len(text), len(photo)) + text + photo
    head = struct.pack(">HHH", len(text), len(photo), len(fingerprint))
    return head + text + photo + fingerprint


def parse_base_message(data: bytes) -> BaseMessage:
    """Split a base-message payload into text, photo and optional fingerprint."""
    if len(data) < 4:
        raise FramingError(f"base message too short: {len(data)} bytes")
    text_len, photo_len = struct.unpack_from(">HH", data)
    if 4 + text_len + photo_len == len(data):
        text = data[4 : 4 + text_len]
        return BaseMessage(text, data[4 + text_len :])
    if len(data) >= 6:
        (fp_len,) = struct.unpack_from(">H", data, 4)
        if 6 + text_len + photo_len + fp_len == len(data):
            text = data[6 : 6 + text_len]
            photo = data[6 + text_len : 6 + text_len + photo_len]
            return BaseMessage(text, photo, data[6 + text_len + photo_len :])
    raise FramingError(f"base message lengths do not add up ({len(data)} bytes)")


def format_sam_id(data: bytes) -> str:
    """SAM id as ``%02d.%02d-%u-%09u-%09u`` from two LE u16 and three LE u32."""
    if len(data) != 16:
        raise FramingError(f"SAM id has {len(data)} bytes, expected 16")
    a, b, c, d, e = struct.unpack("<HHIII", data)
    return f"{a:02d}.{b:02d}-{c}-{d:09d}-{e:09d}"
