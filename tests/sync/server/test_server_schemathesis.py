"""Property-based requests generated from /openapi.json (schemathesis), signed like a kiosk: never 5xx."""

import json
from urllib.parse import urlencode

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core import NotSet

KIOSK_ID = "YT-XZ-01"
NEGATIVE_PATHS = {"/v1/enrol", "/v1/kiosks/{kiosk_id}/ops", "/v1/kiosks/{kiosk_id}/changes",
                  "/v1/kiosks/{kiosk_id}/reconcile"}


def send(kiosk, case):
    path_parameters = dict(case.path_parameters or {})
    if "kiosk_id" in path_parameters:
        path_parameters["kiosk_id"] = KIOSK_ID
    path = case.path.format(**path_parameters)
    query = case.query or {}
    target = path + ("?" + urlencode(query, doseq=True) if query else "")
    if isinstance(case.body, NotSet):
        body = None
    elif isinstance(case.body, bytes):
        body = case.body
    else:
        body = json.dumps(case.body).encode()
    return kiosk.request(case.method.upper(), target, body=body)


def test_generated_requests_never_get_5xx(server, kiosk):
    schema = schemathesis.openapi.from_dict(server.get("/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/v1/enrol", "/v1/kiosks/{kiosk_id}/ops", "/v1/health",
                                              "/v1/kiosks/{kiosk_id}/changes", "/v1/kiosks/{kiosk_id}/snapshot",
                                              "/v1/kiosks/{kiosk_id}/reconcile"}
    seen = []
    for operation in operations:
        # Negative data needs something to break: a body or a query parameter.
        modes = [GenerationMode.POSITIVE]
        if operation.path in NEGATIVE_PATHS:
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=12, database=None, deadline=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def check(case):
                response = send(kiosk, case)
                seen.append(response.status_code)
                assert response.status_code < 500, (case.method, case.path, case.body, response.text)
                if response.status_code >= 400:
                    assert set(response.json()) == {"error", "detail"}, response.text

            check()
    assert 200 in seen and 422 in seen
