"""The ID card worker: owns the reader on its own thread and polls it with a timer there.

Results reach the UI only as signals: `card_read`, `card_removed`, `reader_failed`, `reader_ready`.
A fault is reported once when it starts, and `reader_ready` once when the reader answers again.
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)


def fault_kind(exc: BaseException) -> str:
    """What a driver error is called in signals and events (never the resident's words)."""
    return {
        "CardReadError": "card_read_failed",
        "ReaderUnavailable": "reader_unavailable",
        "ReaderTimeout": "no_reply",
        "UnsupportedReader": "unsupported_reader",
        "FramingError": "framing_error",
        "SamError": "sam_failure",
        "TextBlockError": "bad_text_block",
    }.get(type(exc).__name__, "reader_error")


class CardWorker(QObject):
    card_read = Signal(object)  # CardInfo: kept in memory only
    card_removed = Signal()
    reader_failed = Signal(str, str)  # kind, detail
    reader_ready = Signal()

    def __init__(self, open_reader: Callable[[], object], poll_ms: int = 25):
        super().__init__()
        self._open_reader = open_reader
        self._poll_ms = poll_ms
        self._reader = None
        self._timer: QTimer | None = None
        self._fault: str | None = None

    @Slot()
    def open(self) -> None:
        try:
            self._reader = self._open_reader()
        except Exception as exc:
            log.error("ID card reader cannot be set up: %s", exc)
            self.reader_failed.emit("reader_unavailable", str(exc))
            return
        self._timer = QTimer(self)  # created here, so it lives and fires on this thread
        self._timer.setInterval(self._poll_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    @Slot()
    def poll(self) -> None:
        from drivers.idcard import CardRead, CardRemoved

        try:
            event = self._reader.poll()
        except Exception as exc:
            kind = fault_kind(exc)
            if kind == "card_read_failed":
                self.reader_failed.emit(kind, str(exc))  # each failed card: lift and replace it
            elif self._fault != kind:
                self._fault = kind
                log.warning("ID card reader fault: %s", kind)
                self.reader_failed.emit(kind, str(exc))
            return
        if self._fault is not None:
            self._fault = None
            self.reader_ready.emit()
        if isinstance(event, CardRead):
            self.card_read.emit(event.info)
        elif isinstance(event, CardRemoved):
            self.card_removed.emit()

    @Slot(str, str)
    def simulate(self, action: str, card: str) -> None:
        """Demo only: place or remove a sample card on a simulated reader."""
        simulator = getattr(self._reader, "simulator", None)
        if simulator is None:
            return
        if action == "place":
            simulator.place(card)
        elif action == "remove":
            simulator.remove()

    @Slot()
    def close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._reader is not None:
            try:
                self._reader.close()
            except Exception as exc:
                log.debug("reader close failed: %s", exc)
            self._reader = None
