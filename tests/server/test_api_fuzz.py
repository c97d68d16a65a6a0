"""Property-based test of the whole REST API against its own ``/openapi.json`` (schemathesis).

For an administrator and for a deputy (a role with few rights), every operation goes through
schemathesis's phases as its own runner does them: the coverage phase (boundary and invalid values
derived from the schema: missing fields, wrong types, values just past each limit) and a bounded
fuzzing phase (``EXAMPLES`` generated requests per operation, valid and invalid). The test fails on any
5xx answer, any status code the schema does not declare for the operation, and any body or content type
that does not match the declaration. The examples run and the answers by class are printed (``-s``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers.live_server import LiveServer, start_live_server

# Fuzzing examples per operation (the coverage phase adds its own); RENDA_API_FUZZ_EXAMPLES raises it.
EXAMPLES = int(os.environ.get("RENDA_API_FUZZ_EXAMPLES", "5"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api(tmp_path: Path) -> Iterator[LiveServer]:
    with start_live_server(tmp_path) as live:
        yield live


def _fuzz(server: LiveServer, username: str) -> tuple[Counter[str], list[str]]:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json", timeout=30)
    token = server.token_for(username)
    stats: Counter[str] = Counter()
    problems: list[str] = []
    with requests.Session() as http:
        for result in schema.get_all_operations():
            operation = result.ok()

            def run(case: Any) -> None:
                # Signing out or changing the password must not end the session of the next examples.
                own = server.token_for(username) if case.operation.path.startswith("/api/auth/") else token
                headers = {"Authorization": f"Bearer {own}"}
                response = case.call(session=http, headers=headers, timeout=30)
                stats["examples"] += 1
                stats[f"{response.status_code // 100}xx"] += 1
                case.validate_response(response, checks=CHECKS, headers=headers)

            test = build_operation_test(config=schema.config, operation=operation, test_func=run, given_kwargs={},
                                        feedback=FeedbackSources(), explicit_settings=SETTINGS)
            try:
                test()
            except (Exception, BaseExceptionGroup) as exc:  # one finding per operation; the others still run
                problems.append(f"{operation.label}: {str(exc)[:1500]}")
    return stats, problems


@pytest.mark.parametrize("username", ["admin", "deputy"])
def test_no_input_gives_a_server_error_or_an_undeclared_answer(api: LiveServer, username: str) -> None:
    stats, problems = _fuzz(api, username)
    print(f"\nAPI fuzz as {username}: {stats['examples']} examples, "
          f"{', '.join(f'{k} {v}' for k, v in sorted(stats.items()) if k != 'examples')}")
    assert not problems, "\n\n".join(problems)
    assert stats["examples"] >= 20 * EXAMPLES
    assert stats["5xx"] == 0


def test_openapi_declares_one_error_model_for_every_refusal(api: LiveServer) -> None:
    spec = requests.get(f"{api.url}/openapi.json", timeout=30).json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    declared = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = {int(c) for c in operation["responses"]}
            assert any(200 <= c < 300 for c in codes), (method, path)
            if operation.get("security") or path.startswith("/api/admin"):
                assert 401 in codes, (method, path)
            for code in (c for c in codes if c >= 400):
                declared += 1
                body = operation["responses"][str(code)]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, code)
    assert declared >= 90  # 97 today, against 0 declared correctly before
