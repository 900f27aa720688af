"""Resident ID card reader (SAM serial protocol): frames, reader, simulator, doctor."""

from .errors import (
    CardReadError,
    FramingError,
    IdCardError,
    ProtocolError,
    ReaderTimeout,
    ReaderUnavailable,
    SamError,
    StatusError,
    TextBlockError,
    UnsupportedReader,
)
from .reader import CardRead, CardRemoved, SerialCardReader, open_reader
from .textblock import CardInfo, parse_text_block

__all__ = [
    "CardInfo",
    "CardRead",
    "CardReadError",
    "CardRemoved",
    "FramingError",
    "IdCardError",
    "ProtocolError",
    "ReaderTimeout",
    "ReaderUnavailable",
    "SamError",
    "SerialCardReader",
    "StatusError",
    "TextBlockError",
    "UnsupportedReader",
    "open_reader",
    "parse_text_block",
]
