"""Every driver error names its failure with a plain-string ``kind`` (what workers put in signals)."""

import pytest

from drivers.idcard import errors as card
from drivers.printer import errors as printer


@pytest.mark.parametrize(("error", "kind"), [
    (card.IdCardError, "reader_error"),
    (card.StatusError, "reader_error"),
    (card.ProtocolError, "reader_error"),
    (card.CardReadError, "card_read_failed"),
    (card.SamError, "sam_failure"),
    (card.ReaderUnavailable, "reader_unavailable"),
    (card.ReaderTimeout, "no_reply"),
    (card.FramingError, "framing_error"),
    (card.UnsupportedReader, "unsupported_reader"),
    (card.TextBlockError, "bad_text_block"),
    (printer.PrinterError, "failed"),
    (printer.PrintFailed, "failed"),
    (printer.PrinterOffline, "offline"),
    (printer.PrinterTimeout, "no_answer"),
])
def test_error_kind(error, kind):
    assert error.kind == kind and type(error.kind) is str


def test_instances_carry_the_kind_of_their_class():
    assert card.error_for_code(0x41).kind == "card_read_failed"
    assert printer.PrintFailed("cut off", bytes_sent=3, bytes_total=9).kind == "failed"
