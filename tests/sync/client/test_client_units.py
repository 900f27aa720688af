"""Signing, clock offset, back-off and batch sizing, without a server."""

from __future__ import annotations

import base64
import json
import re
from email.utils import formatdate

import pytest

from sync.client.backoff import Backoff, Retrier, parse_retry_after
from sync.client.port import OutboxOp, day_digest
from sync.client.push import MAX_BODY_BYTES, batch_id_for, envelope_body, fit_batch
from sync.client.signing import new_nonce, signed_headers
from sync.client.transport import ClockOffset, ServerBusy, Unreachable
from sync.server.signing import signature as server_signature
from sync.server.signing import string_to_sign as server_string_to_sign

SECRET = bytes(range(32))


def test_signature_is_what_the_server_verifies():
    body = b'{"ops":[]}'
    headers = signed_headers(SECRET, "YT-XZ-01", "POST", "/v1/kiosks/YT-XZ-01/ops", 1_790_000_000, body)
    assert headers["X-Timestamp"] == "1790000000"
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", headers["X-Nonce"])
    import hashlib
    expected = server_signature(SECRET, server_string_to_sign("POST", "/v1/kiosks/YT-XZ-01/ops", "1790000000",
                                                              headers["X-Nonce"], hashlib.sha256(body).hexdigest()))
    assert headers["X-Signature"] == expected


def test_signature_changes_with_the_query_and_the_body():
    a = signed_headers(SECRET, "K", "GET", "/v1/kiosks/K/changes?since=0", 1, b"", nonce="n" * 16)
    b = signed_headers(SECRET, "K", "GET", "/v1/kiosks/K/changes?since=1", 1, b"", nonce="n" * 16)
    c = signed_headers(SECRET, "K", "POST", "/v1/kiosks/K/changes?since=0", 1, b"x", nonce="n" * 16)
    assert len({a["X-Signature"], b["X-Signature"], c["X-Signature"]}) == 3


def test_nonces_are_unique_and_well_formed():
    nonces = {new_nonce() for _ in range(2000)}
    assert len(nonces) == 2000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16,64}", n) for n in nonces)


@pytest.mark.parametrize("skew", [-86400, 86400, 0])
def test_clock_offset_from_the_date_header_corrects_a_day_off_clock(skew):
    server_now = 1_790_000_000.0
    local = server_now - skew
    offset = ClockOffset()
    offset.observe(formatdate(server_now, usegmt=True), local - 0.2, local + 0.2)
    assert abs(local + offset.seconds - server_now) <= 1.0


def test_full_jitter_stays_within_base_times_two_to_the_attempt_capped_at_five_minutes():
    low, high = Backoff(rand=lambda: 0.0), Backoff(rand=lambda: 0.999999)
    for attempt, ceiling in [(0, 1), (1, 2), (2, 4), (5, 32), (8, 256), (9, 300), (40, 300), (10_000, 300)]:
        assert low.delay(attempt) == 0.0
        assert ceiling * 0.999 <= high.delay(attempt) <= ceiling
    import random
    rng = random.Random(7)
    delays = [Backoff(rand=rng.random).delay(3) for _ in range(2000)]
    assert 0 <= min(delays) < 0.5 and 7.5 < max(delays) <= 8
    assert 3.5 < sum(delays) / len(delays) < 4.5  # uniform on [0, 8]: mean 4


def test_retry_after_is_a_floor_for_the_delay():
    backoff = Backoff(rand=lambda: 0.5)
    assert backoff.delay(0, retry_after=7) == 7
    assert backoff.delay(10, retry_after=7) == 150  # the jitter is already longer
    assert backoff.delay(0, retry_after=None) == 0.5


def test_retry_after_as_seconds_or_http_date():
    now = 1_790_000_000.0
    assert parse_retry_after("5", now) == 5
    assert parse_retry_after(formatdate(now + 42, usegmt=True), now) == pytest.approx(42, abs=1)
    assert parse_retry_after(formatdate(now - 42, usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_retrier_sleeps_the_backoff_honours_retry_after_and_gives_up():
    slept = []
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise ServerBusy("busy", status=503, retry_after=9)
        if len(calls) < 4:
            raise Unreachable("reset")
        return "done"

    retrier = Retrier(Backoff(rand=lambda: 1.0), transient=(Unreachable, ServerBusy), sleep=slept.append, max_attempts=5)
    assert retrier(flaky) == "done"
    assert slept == [9, 2, 4]
    with pytest.raises(Unreachable):
        Retrier(Backoff(rand=lambda: 0.0), transient=(Unreachable,), sleep=slept.append, max_attempts=3)(
            lambda: (_ for _ in ()).throw(Unreachable("down")))


def _op(seq, size=10):
    return OutboxOp(seq, f"00000000-0000-7000-8000-{seq:012d}", "event", "e", "upsert", "2026-11-21T09:30:00+08:00",
                    json.dumps({"event_id": "e", "detail": {"x": "y" * size}}))


def test_batches_hold_at_most_500_ops_and_1_mib():
    ops, encoded, oversized = fit_batch([_op(i) for i in range(1, 801)], 500, MAX_BODY_BYTES)
    assert len(ops) == 500 and not oversized
    big = [_op(i, 300_000) for i in range(1, 6)]
    ops, encoded, oversized = fit_batch(big, 500, MAX_BODY_BYTES)
    assert len(ops) == 3
    assert len(envelope_body("b", "1", encoded)) <= MAX_BODY_BYTES
    ops, _, oversized = fit_batch([_op(1, 2_000_000), _op(2)], 500, MAX_BODY_BYTES)
    assert [op.seq for op in oversized] == [1] and [op.seq for op in ops] == [2]


def test_envelope_is_json_and_batch_id_depends_on_the_ops():
    ops = [_op(1), _op(2)]
    _, encoded, _ = fit_batch(ops, 500, MAX_BODY_BYTES)
    value = json.loads(envelope_body(batch_id_for(ops, "1.0"), "1.0", encoded))
    assert value["schema_version"] == 1 and [o["seq"] for o in value["ops"]] == [1, 2]
    assert value["ops"][0]["payload"]["event_id"] == "e"
    assert batch_id_for(ops, "1.0") == batch_id_for(list(ops), "1.0") != batch_id_for(ops[:1], "1.0")


def test_day_digest_is_the_pages_rule():
    import hashlib
    assert day_digest([]) == hashlib.sha256(b"").hexdigest()
    assert day_digest(["b", "a"]) == hashlib.sha256(b"a\nb").hexdigest()


def test_secret_must_be_base64():
    from sync.client.transport import Transport
    with pytest.raises(ValueError):
        Transport("http://127.0.0.1:1", "K", "not base64!")
    Transport("http://127.0.0.1:1", "K", base64.b64encode(SECRET).decode()).close()
