"""Schemathesis against the committed schema, calling the application through WSGI in-process:
as a Banyuasin officer with a token, and anonymously. No response may be a server error, have a
status code the schema does not list, or a body that breaks the schema.

Bounded for the suite: deterministic generation (the same cases every run), at most
MAX_EXAMPLES fuzzed cases per operation, plus the schema's own examples.
"""

from collections.abc import Iterator

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance, status_code_conformance,
)

from naikkelas.accounts.services import create_api_token
from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.wsgi import application

MAX_EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Hypothesis' own caches go to var/ (ignored by git), not to a .hypothesis/ in the checkout.
set_hypothesis_home_dir(str(settings.PROJECT_DIR / "var" / "hypothesis"))
CONFIG = schemathesis.Config.from_dict({
    "cache": {"enabled": False},
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True,
                   "database": "none"},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_path(settings.PROJECT_DIR / "openapi.yaml", config=CONFIG)

# Records that exist (Banyuasin's, and one in Banjarmasin), so generated paths reach them too.
MONA, SASIRANGAN = 4242, 4243
KNOWN = {"id": [MONA, SASIRANGAN], "year": [2023, 2024], "kode": ["16.07", "16.07.01", "10750"]}


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict | None) -> st.SearchStrategy:
    """Half the cases keep the generated values, half use a record that exists."""
    if not path_parameters:
        return st.just(path_parameters)
    known = {name: st.sampled_from(KNOWN[name]) if name in KNOWN else st.just(value)
             for name, value in path_parameters.items()}
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(known))


@pytest.fixture
def wsgi_app(db) -> Iterator:
    """The real WSGI application, inside the test's transaction: like Django's test client, keep
    the end of a request from closing the connection (and with it the transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def registry(personas) -> None:
    """Banyuasin enterprises with figures the officer sees, and one elsewhere."""
    mona = make_enterprise("16.07.01", id=MONA, nib="1607000000011", owner_nik="1607014508900042",
                           owner_phone="081234565678", owner_gender="P", kbli_id="10750",
                           latitude="-2.976074", longitude="104.775431")
    make_report(mona, 2023, capacity="1500.50", capacity_unit="kg")
    make_report(mona, 2024, workers_male=8, sales=3_000_000_000)
    make_report(make_enterprise("63.71.01", id=SASIRANGAN), 2024)


@pytest.fixture
def kab_token(personas, registry) -> str:
    return create_api_token(actor=personas.kab, name="schemathesis")[1]


HYPOTHESIS = hypothesis.settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None,
                                 database=None, suppress_health_check=list(hypothesis.HealthCheck))


@schema.parametrize()
@HYPOTHESIS
def test_as_banyuasin_officer(case, wsgi_app, kab_token):
    response = case.call(app=wsgi_app, headers={"Authorization": f"Bearer {kab_token}"})
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@HYPOTHESIS
def test_anonymously(case, wsgi_app, registry):
    response = case.call(app=wsgi_app)
    assert response.status_code == 401
    case.validate_response(response, checks=CHECKS)
