"""DLE EOT reply parsing (vectors) and the status query over an in-memory transport."""

import time

import pytest

from drivers.printer.status import (
    PrinterStatus, combine, is_status_byte, parse_offline_cause, parse_paper_status,
    parse_printer_status, query_status, status_replies,
)
from drivers.printer.transports import SimTransport


@pytest.mark.parametrize("b,valid", [
    (0x12, True), (0x16, True), (0x1A, True), (0x1E, True), (0x72, True), (0x7E, True),
    (0x32, True), (0x52, True),
    (0x00, False), (0xFF, False), (0x13, False), (0x10, False), (0x02, False), (0x92, False),
    (0x03, False), (0x0C, False), (None, False),
])
def test_fixed_bits_pattern(b, valid):
    assert is_status_byte(b) is valid


@pytest.mark.parametrize("b,online", [(0x12, True), (0x16, True), (0x1A, False), (0x1E, False),
                                      (0x00, None), (0x0C, None), (0x93, None)])
def test_printer_status_byte(b, online):
    assert parse_printer_status(b) is online


@pytest.mark.parametrize("b,cause", [
    (0x12, {"cover_open": False, "paper_end": False, "error": False}),
    (0x16, {"cover_open": True, "paper_end": False, "error": False}),
    (0x32, {"cover_open": False, "paper_end": True, "error": False}),
    (0x52, {"cover_open": False, "paper_end": False, "error": True}),
    (0x03, None), (0xFF, None),
])
def test_offline_cause_byte(b, cause):
    assert parse_offline_cause(b) == cause


@pytest.mark.parametrize("b,paper", [
    (0x12, "ok"), (0x1E, "near_end"), (0x72, "out"), (0x7E, "out"),
    (0x03, "unknown"), (0x0C, "unknown"), (0x60, "unknown"), (0x00, "unknown"), (None, "unknown"),
])
def test_paper_sensor_byte(b, paper):
    assert parse_paper_status(b) == paper


def test_gs_r_style_reply_is_not_taken_for_a_status_byte():
    assert parse_paper_status(0x0C) == "unknown"  # GS r 1 "paper out" has no fixed bits


def test_combine_and_ready():
    assert combine(0x12, 0x12, 0x12) == PrinterStatus(True, "ok", False, False)
    assert combine(0x12, 0x12, 0x12).ready
    assert combine(0x12, 0x12, 0x1E).ready  # near end still prints
    assert not combine(0x1A, 0x32, 0x12).ready  # paper end via n=2
    assert combine(0x1A, 0x32, 0x12).paper == "out"
    assert not combine(0x1A, 0x16, 0x12).ready
    assert combine(None, None, None) == PrinterStatus.unknown()
    assert not PrinterStatus.unknown().ready


def test_status_rejects_unknown_paper_word():
    with pytest.raises(ValueError):
        PrinterStatus(True, "empty", False, False)


@pytest.mark.parametrize("state", [
    dict(), dict(paper="near_end"), dict(paper="out"), dict(cover_open=True), dict(online=False),
    dict(error=True),
])
def test_simulated_replies_round_trip(state):
    r = status_replies(**state)
    st = combine(r[1], r[2], r[4])
    assert st.paper == state.get("paper", "ok")
    assert st.cover_open is state.get("cover_open", False)
    assert st.error is state.get("error", False)
    assert st.ready is (not state or state == dict(paper="near_end"))


def _open_sim(**state):
    t = SimTransport(**state)
    t.open()
    return t


def test_query_sends_three_requests_and_reads_one_byte_each():
    t = _open_sim(paper="near_end")
    st = query_status(t, timeout=0.2)
    assert t.received == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
    assert st == PrinterStatus(online=True, paper="near_end", cover_open=False, error=False)


def test_silent_printer_is_unknown_after_one_time_out():
    t = _open_sim(silent=True)
    start = time.monotonic()
    assert query_status(t, timeout=0.2) == PrinterStatus.unknown()
    assert time.monotonic() - start < 0.5
    assert t.received == b"\x10\x04\x01"


class _GarbageTransport:
    can_read = True

    def __init__(self, replies):
        self.replies = list(replies)
        self.sent = b""

    def write(self, data):
        self.sent += data

    def read(self, n, timeout):
        if timeout == 0.0:  # the drain before asking: these replies come only when asked
            return b""
        return bytes([self.replies.pop(0)]) if self.replies else b""


def test_invalid_reply_bytes_mean_unknown():
    t = _GarbageTransport([0x00, 0x12, 0x12, 0x12])
    assert query_status(t, timeout=0.05) == PrinterStatus.unknown()
    assert t.sent == b"\x10\x04\x01"


def test_an_http_server_is_not_taken_for_a_printer():
    reply = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n"
    assert is_status_byte(ord("R"))  # matches the fixed bits by chance
    assert query_status(_GarbageTransport(reply), timeout=0.05) == PrinterStatus.unknown()


def test_later_queries_unanswered_leave_their_parts_unknown():
    st = query_status(_GarbageTransport([0x12]), timeout=0.05)
    assert st == PrinterStatus(online=True, paper="unknown", cover_open=None, error=None)
    assert st.ready  # online, nothing known against it


def test_stale_bytes_are_drained_before_asking():
    class Stale(_GarbageTransport):
        def read(self, n, timeout):
            if timeout == 0.0 and self.replies and self.replies[0] == 0x1A:
                return bytes([self.replies.pop(0)])
            return super().read(n, timeout)

        def write(self, data):
            super().write(data)
            self.replies.append(0x12)

    assert query_status(Stale([0x1A]), timeout=0.05).online is True


def test_file_like_transport_reports_unknown_without_asking():
    class WriteOnly(_GarbageTransport):
        can_read = False

    t = WriteOnly([])
    assert query_status(t) == PrinterStatus.unknown()
    assert t.sent == b""
