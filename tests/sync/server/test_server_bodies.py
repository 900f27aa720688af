"""Malformed bodies, wrong types, size limits, gzip, envelope errors and schema versions."""

import gzip
import json

import pytest

from district_kiosk_client import make_op, new_id, ticket_payload

OPS = "/v1/kiosks/YT-XZ-01/ops"


def high_water(kiosk):
    return kiosk.push([]).json()["high_water"]


def test_gzip_body_is_accepted(kiosk):
    response = kiosk.push([make_op(1, "ticket", ticket_payload())], compress=True)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "applied"


@pytest.mark.parametrize("body, compress", [(b"\x1f\x8b\x08\x00garbage", False), (b"not gzip at all", False)])
def test_bad_gzip_is_400(kiosk, body, compress):
    response = kiosk.request("POST", OPS, body=body, extra_headers={"Content-Encoding": "gzip"})
    assert response.status_code == 400
    assert set(response.json()) == {"error", "detail"}


def test_truncated_gzip_is_400(kiosk):
    body = gzip.compress(json.dumps({"batch_id": "b", "schema_version": 1, "ops": []}).encode())[:-6]
    response = kiosk.request("POST", OPS, body=body, extra_headers={"Content-Encoding": "gzip"})
    assert response.status_code == 400


@pytest.mark.parametrize("body", [b"{nope", b"", b"\xff\xfe", b'{"a": NaN}'])
def test_bad_json_is_400(kiosk, body):
    response = kiosk.request("POST", OPS, body=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/json; charset=latin-1",
                                          "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_415(kiosk, content_type):
    response = kiosk.push([make_op(1, "ticket", ticket_payload())], content_type=content_type)
    assert response.status_code == 415
    assert high_water(kiosk) == 0


def test_unknown_content_encoding_is_415(kiosk):
    response = kiosk.request("POST", OPS, body=b"{}", extra_headers={"Content-Encoding": "br"})
    assert response.status_code == 415


def test_more_than_500_ops_is_413(kiosk):
    ops = [make_op(seq, "ticket", ticket_payload()) for seq in range(1, 502)]
    response = kiosk.push(ops)
    assert response.status_code == 413 and response.json()["error"]
    assert high_water(kiosk) == 0
    assert kiosk.push(ops[:500]).status_code == 200


def test_body_over_1_mib_is_413_plain_and_gzip(kiosk):
    padding = "x" * (1024 * 1024)
    envelope = {"batch_id": "b", "schema_version": 1, "ops": [], "pad": padding}
    assert kiosk.request("POST", OPS, json_body=envelope).status_code == 413
    assert kiosk.request("POST", OPS, json_body=envelope, compress=True).status_code == 413
    envelope["pad"] = "x" * (1024 * 1024 - 200)
    assert kiosk.request("POST", OPS, json_body=envelope, compress=True).status_code == 200


@pytest.mark.parametrize("envelope", [
    [],
    {"schema_version": 1, "ops": []},
    {"batch_id": 7, "schema_version": 1, "ops": []},
    {"batch_id": "b", "ops": []},
    {"batch_id": "b", "schema_version": "1", "ops": []},
    {"batch_id": "b", "schema_version": True, "ops": []},
    {"batch_id": "b", "schema_version": 1},
    {"batch_id": "b", "schema_version": 1, "ops": {"seq": 1}},
    {"batch_id": "b", "schema_version": 1, "ops": [{"op_id": "x"}]},
    {"batch_id": "b", "schema_version": 1, "ops": [{"seq": "1", "op_id": "x"}]},
    {"batch_id": "b", "schema_version": 1, "ops": [{"seq": 1.5, "op_id": "x"}]},
    {"batch_id": "b", "schema_version": 1, "ops": [{"seq": 1}]},
    {"batch_id": "b", "schema_version": 1, "ops": [{"seq": 1, "op_id": 5}]},
    {"batch_id": "b", "schema_version": 1, "ops": [{"seq": 2, "op_id": "x"}, {"seq": 1, "op_id": "y"}]},
    {"batch_id": "b", "schema_version": 1, "ops": [{"seq": 1, "op_id": "x"}, {"seq": 1, "op_id": "y"}]},
    {"batch_id": "b", "schema_version": 1, "ops": ["op"]},
])
def test_bad_envelope_is_422_and_applies_nothing(kiosk, envelope):
    response = kiosk.request("POST", OPS, json_body=envelope)
    assert response.status_code == 422, response.text
    assert set(response.json()) == {"error", "detail"}
    assert high_water(kiosk) == 0


def test_envelope_fault_refuses_the_valid_ops_too(kiosk):
    ops = [make_op(1, "ticket", ticket_payload()), {"seq": 2}]
    assert kiosk.push(ops).status_code == 422
    assert high_water(kiosk) == 0


def test_newer_schema_version_is_422_unsupported(kiosk):
    envelope = {"batch_id": new_id(), "schema_version": 2, "ops": [make_op(1, "ticket", ticket_payload())]}
    response = kiosk.request("POST", OPS, json_body=envelope)
    assert response.status_code == 422
    assert response.json()["error"] == "unsupported_schema_version"
    assert high_water(kiosk) == 0


def test_older_schema_version_is_426(kiosk):
    envelope = {"batch_id": new_id(), "schema_version": 0, "ops": []}
    response = kiosk.request("POST", OPS, json_body=envelope)
    assert response.status_code == 426
    assert response.json()["error"] == "schema_version_too_old"


def test_unknown_route_and_method_use_error_body(server, kiosk):
    missing = server.get("/v1/nowhere")
    assert missing.status_code == 404 and set(missing.json()) == {"error", "detail"}
    wrong = server.delete("/v1/health")
    assert wrong.status_code == 405 and set(wrong.json()) == {"error", "detail"}


def test_health(server):
    body = server.get("/v1/health").json()
    assert body["status"] == "ok" and body["schema_versions"] == [1]
    assert "+00:00" in body["time"] or body["time"].endswith("Z")


@pytest.mark.parametrize("token", ["1e999", "-1e999", '"\\ud800"', '"a\\udfffb"'])
def test_numbers_json_cannot_hold_and_lone_surrogates_are_400_not_5xx(kiosk, token):
    envelope = {"batch_id": new_id(), "schema_version": 1,
                "ops": [make_op(1, "ticket", dict(ticket_payload(), number="__X__"))]}
    body = json.dumps(envelope).replace('"__X__"', token).encode()
    response = kiosk.request("POST", OPS, body=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_json"
    assert high_water(kiosk) == 0


def test_a_surrogate_pair_is_ordinary_text(kiosk):
    envelope = {"batch_id": new_id(), "schema_version": 1,
                "ops": [make_op(1, "ticket", dict(ticket_payload(), number="__X__"))]}
    body = json.dumps(envelope).replace('"__X__"', '"A\\ud83d\\ude00"').encode()
    response = kiosk.request("POST", OPS, body=body)
    assert response.status_code != 400 or response.json()["error"] != "bad_json", response.text
