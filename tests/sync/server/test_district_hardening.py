"""Hardening: id_digest's form, bodies JSON cannot carry (400 bad_json, never 500), NUL, and a body
refused on its Content-Length before it is read (401 and 403 still first)."""

import json

import pytest

from district_kiosk_client import make_op, new_id, ticket_payload

OPS = "/v1/kiosks/YT-XZ-01/ops"


@pytest.mark.parametrize("digest, ok", [
    ("ab" * 32, True), (None, True), ("AB" * 32, False), ("ab" * 31, False), ("ab" * 33, False),
    ("zz" * 32, False), ("", False), (12, False), ("ab" * 31 + "a\u00e9", False),
])
def test_id_digest_is_64_lowercase_hex_or_null(kiosk, digest, ok):
    response = kiosk.push([make_op(1, "ticket", ticket_payload(id_digest=digest))])
    result = response.json()["results"][0]
    assert result["status"] == ("applied" if ok else "rejected"), result
    if not ok:
        assert result["code"] == "invalid_payload" and "id_digest" in result["detail"]


def test_id_digest_must_be_there(kiosk):
    payload = ticket_payload()
    del payload["id_digest"]
    assert kiosk.push([make_op(1, "ticket", payload)]).json()["results"][0]["code"] == "invalid_payload"


def envelope_with(token):
    envelope = {"batch_id": new_id(), "schema_version": 1, "ops": [make_op(1, "ticket", dict(ticket_payload(),
                                                                                              number="__X__"))]}
    return json.dumps(envelope).replace('"__X__"', token).encode()


@pytest.mark.parametrize("body", [
    b"[" * 200_000 + b"]" * 200_000,  # deeper than the parser's recursion limit
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    envelope_with('"\\udc00"'), envelope_with('"\\ud83d"'),
    envelope_with('"A\x00B"'),  # a raw NUL in a string is a control character: not JSON
    b'{"batch_id": "b\x00", "schema_version": 1, "ops": []}',
])
def test_bodies_json_cannot_carry_are_400_bad_json(kiosk, body):
    response = kiosk.request("POST", OPS, body=body)
    assert response.status_code == 400, response.text[:200]
    assert response.json()["error"] == "bad_json"


def test_an_escaped_nul_in_a_payload_is_invalid_payload(kiosk):
    response = kiosk.request("POST", OPS, body=envelope_with('"A\\u0000B"'))
    result = response.json()["results"][0]
    assert response.status_code == 200 and result["code"] == "invalid_payload" and "NUL" in result["detail"]


def test_a_declared_length_over_the_limit_is_413_before_reading(kiosk, server):
    """The body is refused on its Content-Length; what the headers can prove still comes first."""
    too_big = str(1024 * 1024 + 64 * 1024 + 1)
    body = b"{}"  # what is sent does not matter: the declared length is refused before reading
    headers = kiosk.signed_headers("POST", OPS, body)
    headers.update({"Content-Type": "application/json", "Content-Length": too_big})
    response = server.post(OPS, content=body, headers=headers)
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    unsigned = dict(headers, **{"X-Kiosk-Id": "NOBODY"})
    assert server.post(OPS, content=body, headers=unsigned).status_code == 401
    other = "/v1/kiosks/YT-XZ-99/ops"
    assert server.post(other, content=body, headers=kiosk.signed_headers("POST", other, body) | {
        "Content-Type": "application/json", "Content-Length": too_big}).status_code == 403
    assert server.post("/v1/enrol", content=body, headers={"Content-Type": "application/json",
                                                            "Content-Length": too_big}).status_code == 413
    get_with_body = kiosk.signed_headers("GET", "/v1/kiosks/YT-XZ-01/changes", b"") | {"Content-Length": too_big}
    assert server.request("GET", "/v1/kiosks/YT-XZ-01/changes", content=body,
                          headers=get_with_body).status_code == 413
