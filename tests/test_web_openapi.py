"""Schemathesis against the JSON API's OpenAPI description: generated requests never get a 5xx.

The real app under uvicorn on a free loopback port, over a SQLite file holding the web test data and
the hostile payloads; a fixed number of examples per operation keeps it CI-sized.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rashomon.store import open_store
from rashomon.web import create_app

from .test_web_hostile import SETTINGS, fill_hostile
from .web_data import fake_compare, make_db, served

# Examples per API operation: 9 operations x 50 examples take ~20 s on loopback.
SCHEMA_EXAMPLES = 50


@pytest.mark.slow
def test_openapi_operations_never_answer_5xx(tmp_path: Path) -> None:
    """Generated requests (path ids, query values, limits) for every operation: 2xx/4xx, never 5xx."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    db = make_db(str(tmp_path / "api.db"))
    with open_store(db) as store:
        fill_hostile(store)
    app = create_app(db=db, settings=SETTINGS)
    app.state.compare_story = fake_compare
    failures: list[str] = []
    with served(app) as base:
        schema = schemathesis.openapi.from_url(base + "/api/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 9
        for operation in operations:

            @settings(max_examples=SCHEMA_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def check(case: Any) -> None:
                response = case.call(base_url=base)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {response.request.url}: {response.status_code}")

            check()
    assert failures == [], "\n".join(failures)
