"""Real-time printer status: ``DLE EOT n`` replies, parsed strictly, and the status query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


PAPER_STATES = ("ok", "near_end", "out", "unknown")
STATUS_PRINTER = 1
STATUS_OFFLINE_CAUSE = 2
STATUS_PAPER = 4

_FIXED_MASK = 0x93  # bits 7, 4, 1, 0
_FIXED_VALUE = 0x12  # 0xx1xx10


def status_request(n: int) -> bytes:
    return bytes([0x10, 0x04, n])


@dataclass(frozen=True)
class PrinterStatus:
    online: Optional[bool]
    paper: str
    cover_open: Optional[bool]
    error: Optional[bool]

    def __post_init__(self) -> None:
        if self.paper not in PAPER_STATES:
            raise ValueError(f"paper must be one of {PAPER_STATES}, got {self.paper!r}")

    @property
    def ready(self) -> bool:
        """Online, paper not out, cover not open, no error reported."""
        return (
            self.online is True
            and self.paper != "out"
            and self.cover_open is not True
            and self.error is not True
        )

    @property
    def known(self) -> bool:
        return self.online is not None

    @classmethod
    def unknown(cls) -> PrinterStatus:
        return cls(online=None, paper="unknown", cover_open=None, error=None)

    @classmethod
    def unreachable(cls) -> PrinterStatus:
        return cls(online=False, paper="unknown", cover_open=None, error=None)


def is_status_byte(b: Optional[int]) -> bool:
    """A real-time status reply has bits 1 and 4 set and bits 0 and 7 clear."""
    return b is not None and 0 <= b <= 0xFF and (b & _FIXED_MASK) == _FIXED_VALUE


def parse_printer_status(b: Optional[int]) -> Optional[bool]:
    """n=1: online (True/False), or None when ``b`` is not a status byte."""
    if not is_status_byte(b):
        return None
    return not (b & 0x08)


def parse_offline_cause(b: Optional[int]) -> Optional[dict]:
    """n=2: {"cover_open", "paper_end", "error"}, or None when ``b`` is not a status byte."""
    if not is_status_byte(b):
        return None
    return {"cover_open": bool(b & 0x04), "paper_end": bool(b & 0x20), "error": bool(b & 0x40)}


def parse_paper_status(b: Optional[int]) -> str:
    """n=4: "out" (bits 5-6), "near_end" (bits 2-3), "ok", or "unknown" for a non-status byte."""
    if not is_status_byte(b):
        return "unknown"
    if b & 0x60:
        return "out"
    if b & 0x0C:
        return "near_end"
    return "ok"


def combine(b1: Optional[int], b2: Optional[int], b4: Optional[int]) -> PrinterStatus:
    """One status from the three replies (None for a reply that never came)."""
    online = parse_printer_status(b1)
    cause = parse_offline_cause(b2)
    paper = parse_paper_status(b4)
    if cause and cause["paper_end"]:
        paper = "out"
    return PrinterStatus(
        online=online,
        paper=paper,
        cover_open=cause["cover_open"] if cause else None,
        error=cause["error"] if cause else None,
    )


def status_replies(*, online: bool = True, paper: str = "ok", cover_open: bool = False,
                   error: bool = False) -> dict[int, int]:
    """The bytes a printer in this state answers to ``DLE EOT 1/2/4`` (for simulators)."""
    if paper not in ("ok", "near_end", "out"):
        raise ValueError(f"paper must be ok, near_end or out, got {paper!r}")
    offline = (not online) or cover_open or paper == "out" or error
    b1 = 0x12 | (0x08 if offline else 0)
    b2 = 0x12 | (0x04 if cover_open else 0) | (0x20 if paper == "out" else 0)
    b2 |= 0x40 if error else 0
    b4 = 0x12 | {"ok": 0, "near_end": 0x0C, "out": 0x6C}[paper]
    return {1: b1, 2: b2, 4: b4}


def _drain(transport) -> None:
    for _ in range(64):
        if not transport.read(64, 0.0):
            return


def _ask(transport, n: int, timeout: float) -> Optional[int]:
    """Send ``DLE EOT n`` and read exactly one byte; None when none came or it is no status byte.

    Later bytes are not searched for one that fits: a device that is not a printer (an HTTP
    server answering ``HTTP/1.1 400 Bad Request``) sends bytes such as ``R`` (0x52) that match
    the fixed bits by chance.
    """
    transport.write(status_request(n))
    reply = transport.read(1, timeout)
    return reply[0] if reply and is_status_byte(reply[0]) else None


def query_status(transport, timeout: float = 0.3) -> PrinterStatus:
    """Ask ``DLE EOT 1, 2, 4``, one byte each; unanswered parts are reported unknown.

    Raises PrinterError only when the transport itself fails (closed, unplugged).
    """
    if not getattr(transport, "can_read", True):
        return PrinterStatus.unknown()
    _drain(transport)
    replies: dict[int, Optional[int]] = {1: None, 2: None, 4: None}
    for n in (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER):
        replies[n] = _ask(transport, n, timeout)
        if replies[n] is None:
            break  # no valid answer: the rest would be no better
    return combine(replies[1], replies[2], replies[4])

