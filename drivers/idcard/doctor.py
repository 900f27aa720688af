"""Technician check of the ID card reader: wait for one card, report it as JSON.

``python -m drivers.idcard.doctor --port /dev/ttyUSB0 [--baud N] [--timeout S] [--reveal] --json``
"""

from __future__ import annotations

import argparse
import json
import sys

from .errors import (
    CardReadError,
    FramingError,
    IdCardError,
    ProtocolError,
    ReaderTimeout,
    ReaderUnavailable,
    SamError,
    TextBlockError,
    UnsupportedReader,
)
from .reader import SerialCardReader, open_reader

EXIT_OK = 0
EXIT_NO_CARD = 3
EXIT_FAILURE = 4

ERROR_CODES: tuple[tuple[type[IdCardError], str], ...] = (
    (ReaderUnavailable, "port_unavailable"),
    (ReaderTimeout, "no_reply"),
    (UnsupportedReader, "unsupported_reader"),
    (FramingError, "framing_error"),
    (SamError, "sam_failure"),
    (CardReadError, "card_read_failed"),
    (ProtocolError, "protocol_error"),
    (TextBlockError, "bad_text_block"),
)


def error_code(exc: BaseException) -> str:
    for kind, code in ERROR_CODES:
        if isinstance(exc, kind):
            return code
    return "internal_error"


def _reader_for(port: str, baudrate: int) -> SerialCardReader:
    if "://" in port:
        return open_reader(port)
    return SerialCardReader(port, baudrate)


def doctor_idcard(
    port: str, baudrate: int = 115200, timeout: float = 10.0, reveal: bool = False
) -> tuple[dict, int]:
    """Wait up to ``timeout`` s for one card. Returns (JSON-able dict, exit code): 0 with the
    card's fields, 3 ``no_card``, 4 for a device or protocol failure. Never raises."""
    reader = None
    try:
        reader = _reader_for(port, baudrate)
        reader.open()
        reader.sam_status()
        event = reader.wait_for_card(timeout)
        if event is None:
            return {"error": "no_card"}, EXIT_NO_CARD
        return event.info.to_json(reveal), EXIT_OK
    except Exception as exc:  # the doctor reports every failure instead of raising
        return {"error": error_code(exc), "detail": str(exc)}, EXIT_FAILURE
    finally:
        if reader is not None:
            reader.close()


def _human(result: dict) -> str:
    return "\n".join(f"{key}: {value}" for key, value in result.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.idcard.doctor")
    parser.add_argument("--port", required=True, help="serial port path, or a sim:// URL")
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--reveal", action="store_true", help="show name, address, ID unmasked")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result, code = doctor_idcard(args.port, args.baud, args.timeout, args.reveal)
    print(json.dumps(result, ensure_ascii=False) if args.json else _human(result), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
