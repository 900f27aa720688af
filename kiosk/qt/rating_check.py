"""The rating-check worker: asks the kiosk's sync server whether the holder of a ticket may rate it.

Before the five levels are shown, the kiosk posts {"number", "business_date", "holder"} to
``POST /v1/kiosks/{kiosk_id}/rating-check`` (signed, short time-outs: a resident is waiting). It
runs on a thread of its own, apart from the sync worker, whose runs may take the network for
seconds; the UI gets the answer through a WorkerOp:

    bridge.check_rating(number, day, holder).success(on_answer).failure(on_unreachable).run_in_background()

The answer is the server's: {"ok": true, "ticket_id", …} or {"ok": false, "code", "words"}. No
answer (unreachable, busy, refused, not enrolled) is a failure whose kind names why; the rating
flow then asks the kiosk's own store.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import Slot

from kiosk.domain.errors import Kind, KioskError
from kiosk.qt.operations import OperationWorker

log = logging.getLogger(__name__)


class NoAnswer(KioskError):
    """The server answered something that is not a rating-check answer."""

    kind = Kind.INTERNAL_ERROR


class RatingCheckWorker(OperationWorker):
    """Owns one signed transport to the sync server, opened on first use on this worker's thread.

    ``open_transport()`` builds it (raises when the kiosk is not enrolled); ``ask(transport, number,
    business_date, holder)`` posts one check and returns the server's answer (kiosk/app.py).
    """

    default_failure_kind = "offline"

    def __init__(self, open_transport: Callable[[], Any], ask: Callable[..., dict]):
        super().__init__()
        self._open_transport = open_transport
        self._ask = ask
        self._transport: Any = None

    @Slot()
    def open(self) -> None:
        """Nothing to open before the first check: enrolment may come later."""

    def check(self, number: str, business_date: str, holder: dict) -> dict:
        if self._transport is None:
            self._transport = self._open_transport()
        answer = self._ask(self._transport, number, business_date, holder)
        if not isinstance(answer, dict) or not isinstance(answer.get("ok"), bool) \
                or (not answer["ok"] and not isinstance(answer.get("code"), str)):
            raise NoAnswer(f"the rating check answered {str(answer)[:200]!r}")
        return answer

    @Slot()
    def close(self) -> None:
        transport, self._transport = self._transport, None
        if transport is not None:
            try:
                transport.close()
            except Exception as exc:
                log.warning("rating-check transport not closed cleanly: %s", exc)


def check(number: str, business_date: str, holder: dict):
    """The operation: the server's answer for this ticket and holder."""
    def op(worker: RatingCheckWorker) -> dict:
        return worker.check(number, business_date, holder)
    return op
