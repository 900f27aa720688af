"""The ID card worker: owns the reader on a thread of its own and polls it in a loop there.

Results reach the UI only as signals: `card_read`, `card_removed`, `reader_failed`, `reader_ready`
(queued to the UI thread, since they are emitted from the worker's thread). A card read is turned
into a masked `LaidCard` by the router (kiosk/qt/card_router.py) here, before it is emitted. A fault is reported
once when it starts, and `reader_ready` once when the reader answers again.

Unlike the store and printer workers, which wait for requests in a QThread's event loop, this
worker never waits for requests: it only polls. It does so on a plain Python thread between
waits on a threading.Event. Measured at a 25 ms poll (tests/bench/test_bench_card_ui.py):
with a QTimer in a QThread 1.34% of a core; with this loop inside a QThread 1.15%; on a plain
thread 0.86%, within the 1% idle budget.
"""

from __future__ import annotations

import logging
import threading
from datetime import date
from typing import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.domain.errors import kind_of
from kiosk.qt.card_router import CardRouter

DEFAULT_ELDERLY_AGE = 60

log = logging.getLogger(__name__)


def _class_kind(exc: BaseException) -> str:
    """The kind of a driver error that does not carry one itself (most specific class first)."""
    from drivers.idcard import errors

    for cls, kind in ((errors.CardReadError, "card_read_failed"), (errors.ReaderUnavailable, "reader_unavailable"),
                      (errors.ReaderTimeout, "no_reply"), (errors.UnsupportedReader, "unsupported_reader"),
                      (errors.FramingError, "framing_error"), (errors.SamError, "sam_failure"),
                      (errors.TextBlockError, "bad_text_block")):
        if isinstance(exc, cls):
            return kind
    return "reader_error"


def fault_kind(exc: BaseException) -> str:
    """What a driver error is called in signals and events (never the resident's words)."""
    return kind_of(exc, _class_kind(exc))


class CardWorker(QObject):
    card_read = Signal(object)  # LaidCard: masked, kept in memory only
    card_removed = Signal()
    reader_failed = Signal(str, str)  # kind, detail
    reader_ready = Signal()

    def __init__(self, open_reader: Callable[[], object], route: Callable[[object], object] | None = None,
                 poll_ms: int = 35):
        """``route`` turns each CardInfo into what the UI may see (default: masked, no digest key)."""
        super().__init__()
        self._open_reader = open_reader
        self._route = route or CardRouter(date.today, DEFAULT_ELDERLY_AGE, b"")
        self._poll_ms = poll_ms
        self._reader = None
        self._fault: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="kiosk-idcard")
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ends the loop, closes the reader on its own thread, and joins the thread."""
        self._stop.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            self._reader = self._open_reader()
        except Exception as exc:
            log.error("ID card reader cannot be set up: %s", exc)
            self.reader_failed.emit("reader_unavailable", str(exc))
            return
        interval = self._poll_ms / 1000
        try:
            while not self._stop.is_set():
                self.poll()
                self._stop.wait(interval)
        finally:
            self._close_reader()

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
            self.card_read.emit(self._route(event.info))
        elif isinstance(event, CardRemoved):
            self.card_removed.emit()

    def simulate(self, action: str, card: str) -> None:
        """Demo only, from any thread: place or remove a sample card on a simulated reader."""
        simulator = getattr(self._reader, "simulator", None)
        if simulator is None:
            return
        if action == "place":
            simulator.place(card)
        elif action == "remove":
            simulator.remove()

    def _close_reader(self) -> None:
        if self._reader is not None:
            try:
                self._reader.close()
            except Exception as exc:
                log.debug("reader close failed: %s", exc)
            self._reader = None
