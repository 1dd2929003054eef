"""Requests generated from the API's own OpenAPI document never get a server error.

Schemathesis draws valid and invalid requests for every operation the document describes;
with a live token, half the paths name a real incident so that bodies reach the findings
code. The run is bounded (examples per operation, a deadline) so the suite stays fast.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from tests.web.test_api import REF
from tests.web.test_api import setup  # noqa: F401  (a fixture)

pytestmark = pytest.mark.freeze_time("2026-11-20 12:00:00")

EXAMPLES = 30  # per operation and mode: 5 operations x 2 modes x 30 = 300 requests at most
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


def test_generated_requests_never_get_a_server_error(app, setup):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    statuses: Counter[int] = Counter()
    headers = {"Authorization": f"Bearer {setup['ian']}"}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @settings(
                max_examples=EXAMPLES,
                deadline=2000,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
            def send(case, real):
                if real and "reference" in (case.path_parameters or {}):
                    case.path_parameters["reference"] = REF
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                assert response.status_code < 500, (case.method, case.path, case.body)

            try:
                send()
            except Unsatisfiable:
                # An operation with nothing to get wrong (no parameters, no body) has no
                # invalid requests to draw: only its valid ones are sent.
                assert mode is schemathesis.GenerationMode.NEGATIVE
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    print(f"fuzzed {sum(statuses.values())} requests: {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) >= 150
    assert server_errors == 0
