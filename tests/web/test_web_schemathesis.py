"""Schema-driven fuzzing (schemathesis) of the live OpenAPI of a real server: no 5xx for any input the
schema allows or forbids, and every response matches what the schema documents (status, type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 40


@pytest.fixture(scope="module")
def operations(live_server):
    schema = schemathesis.openapi.from_url(live_server.url + "/openapi.json")
    # A forbidden body may also be refused for its size (413, before validation): that is a rejection too.
    rejection = schema.config.checks.negative_data_rejection
    schema.config.checks.negative_data_rejection = type(rejection)(
        expected_statuses=[*rejection.expected_statuses, 413]
    )
    ops = [r.ok() for r in schema.get_all_operations()]
    assert {f"{o.method.upper()} {o.path}" for o in ops} >= {
        "POST /api/ask",
        "GET /api/search",
        "POST /api/calc",
        "GET /api/policies",
        "GET /api/clauses/{policy_id}/{clause_id}",
        "POST /api/feedback",
        "GET /healthz",
    }
    return ops


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["allowed", "forbidden"])
def test_every_operation_conforms_to_its_schema(operations, mode):
    checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])
    tested = 0
    for op in operations:

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case):
            response = case.call_and_validate(checks=checks, timeout=60)
            assert "Traceback" not in response.text

        try:
            run()
            tested += 1
        except Unsatisfiable:  # no input of this operation can break its schema (e.g. GET /healthz)
            assert mode == GenerationMode.NEGATIVE
    assert tested >= 4  # ask, search, calc, feedback at least
