"""Typed errors of the ID card reader driver.

Screens decide what to tell the resident; these errors only carry facts (the SW3 code and
its meaning from the protocol's result-code table).
"""

from __future__ import annotations

SW3_MEANINGS: dict[int, str] = {
    0x90: "success",
    0x9F: "find card success",
    0x91: "no content for this item",
    0x10: "checksum error in host frame",
    0x11: "length error in host frame",
    0x21: "command or parameter error",
    0x23: "not authorised",
    0x24: "unrecognised error",
    0x31: "card failed to authenticate SAM",
    0x32: "SAM failed to authenticate card",
    0x33: "information verification error",
    0x37: "fingerprint verification error",
    0x3F: "information length error",
    0x40: "unknown card type",
    0x41: "card read failed",
    0x47: "random number failure",
    0x60: "SAM self-test failed",
    0x66: "SAM not authorised",
    0x80: "find card failed (no card)",
    0x81: "select card failed",
}

SAM_CODES = frozenset({0x23, 0x60, 0x66})
HOST_FRAME_CODES = frozenset({0x10, 0x11, 0x21, 0x24})


def sw3_meaning(code: int) -> str:
    """Readable meaning of an SW3 result code; unknown codes are named as such."""
    return SW3_MEANINGS.get(code, f"unknown result code 0x{code:02X}")


class IdCardError(Exception):
    """Base of every error the ID card driver raises. ``kind`` names the failure in signals and
    events (a plain string; what the resident is told is decided by the screens)."""

    kind = "reader_error"


class StatusError(IdCardError):
    """The reader answered with an SW3 code other than the one expected."""

    def __init__(self, code: int, command: str = "") -> None:
        self.code = code
        self.meaning = sw3_meaning(code)
        self.command = command
        where = f" to {command}" if command else ""
        super().__init__(f"reader answered 0x{code:02X}{where}: {self.meaning}")


class CardReadError(StatusError):
    """The card could not be selected or read; the resident must lift and replace it."""

    kind = "card_read_failed"


class SamError(StatusError):
    """The security module (SAM) of the reader failed or is not authorised."""

    kind = "sam_failure"


class ProtocolError(StatusError):
    """The reader rejected the host frame or answered a code the driver does not know."""


class ReaderTimeout(IdCardError):
    """No complete reply within the command's time-out."""

    kind = "no_reply"


class ReaderUnavailable(IdCardError):
    """The serial port is missing, unplugged or cannot be opened."""

    kind = "reader_unavailable"


class FramingError(IdCardError):
    """Bytes arrived but did not form a valid frame, or a frame's content is inconsistent."""

    kind = "framing_error"


class UnsupportedReader(FramingError):
    """The device never produced a valid SAM frame: not a reader speaking this protocol."""

    kind = "unsupported_reader"


class TextBlockError(IdCardError):
    """The 256-byte text block of a card cannot be decoded."""

    kind = "bad_text_block"


def error_for_code(code: int, command: str = "") -> StatusError:
    """The typed error for an unexpected SW3 code."""
    if code in SAM_CODES:
        return SamError(code, command)
    if code in HOST_FRAME_CODES or code not in SW3_MEANINGS:
        return ProtocolError(code, command)
    return CardReadError(code, command)
