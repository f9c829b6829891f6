"""Keep the class closed: generated requests against the API's own OpenAPI schema never get a 5xx, and every
answer matches the documented status codes, headers and bodies (schemathesis, a bounded budget)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="the schema fuzz needs the dev extra")
# ruff: noqa: E402 - the imports below need schemathesis

from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tidings.serve import create_app

from .conftest import AUTH, TOKEN, Fixture, config

EXAMPLES = int(os.environ.get("TIDINGS_FUZZ_EXAMPLES", "25"))  # per operation; CI keeps the default


def _schema_app() -> FastAPI:
    """An app on an empty archive, for its schema only (the schema does not depend on the data)."""
    return create_app(Path(tempfile.mkdtemp(prefix="tidings-schema-")) / "schema.db", config(), TOKEN)


schema = schemathesis.openapi.from_asgi("/openapi.json", _schema_app())


@pytest.fixture(scope="module")
def app(built_archive: Fixture, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app the requests go to: a private copy of the test archive, shared by the whole run."""
    path = tmp_path_factory.mktemp("fuzz") / "archive.db"
    shutil.copyfile(built_archive.path, path)
    return create_app(path, config(), TOKEN)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, app: FastAPI):
    # Schema-valid but unusable content (a two-word article, a feed URL that does not resolve) is rightly a
    # 4xx with a reason, so the "schema-valid request accepted" check does not apply; every other check does.
    case.call_and_validate(app=app, headers=AUTH, excluded_checks=[positive_data_acceptance])
