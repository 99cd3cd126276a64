"""Schemathesis against /api/schema/: every documented operation, sent valid and invalid input
(schemathesis' boundary cases, then random ones), must never answer 5xx, and must answer only with
status codes the schema documents, in the documented shape.

Time-boxed: a few random cases per operation on top of the boundary ones, derandomised so a CI run
is repeatable. Runs in-process through the WSGI application, so it sees the test database. The
schema is generated when the module is imported (no database then), and a test checks that
/api/schema/ serves that same schema."""

import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from apps.complaints import services
from apps.complaints.models import ApiClient, Category
from apps.opendata.models import Resource
from tests.opendata.test_row_api import publish_table

CONFIG = schemathesis.Config.from_dict(
    {"generation": {"mode": "all", "max-examples": 10, "deterministic": True, "database": "none"}}
)
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

RAW_SCHEMA = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(RAW_SCHEMA, config=CONFIG)
schema.app = get_wsgi_application()


def test_the_fuzzed_schema_is_the_one_served(client, city):
    served = client.get("/api/schema/", {"format": "json"}).json()

    assert served["paths"] == RAW_SCHEMA["paths"] and served["components"] == RAW_SCHEMA["components"]


def test_callers_without_credentials_get_documented_statuses(client, city):
    """The fuzzing below always sends credentials; here every operation is called without any and
    with a wrong key."""
    wrong_key = {"Authorization": "Token wrong"}
    for path, operations in RAW_SCHEMA["paths"].items():
        url = re.sub(r"\{\w+\}", "0", path)
        for method, operation in operations.items():
            for headers in ({}, wrong_key):
                response = getattr(client, method)(url, headers=headers)
                assert str(response.status_code) in operation["responses"], (
                    method,
                    path,
                    headers,
                    response.status_code,
                )


@pytest.fixture
def test_transaction_kept():
    """Requests go to the WSGI application directly, so, as Django's test client does, neither the
    start nor the end of a request may close the connection that holds the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def known(test_transaction_kept, city, make_dataset, django_user_model) -> dict:
    """Data for the valid cases to find: a published table, a dataset without one, a public case,
    an API key that may look up by phone, and a signed-in member of staff."""
    table = publish_table(make_dataset("public-parking", keywords=("주차",)))
    Resource.objects.create(dataset=make_dataset("bus-stops"), name_ko="정류장", format="JSON")
    case = services.complaint_submit(
        category=Category.objects.get(code="streetlight"),
        description="보안등이 꺼졌어요",
        channel="web",
        latitude=37.7381,
        longitude=127.0337,
    ).complaint
    client, key = services.api_client_create(municipality=city, name="fuzz")
    ApiClient.objects.filter(pk=client.pk).update(can_look_up_by_phone=True)
    browser = Client()
    browser.force_login(django_user_model.objects.create_superuser("fuzz", password="x"))
    return {
        "path": {"resource_id": str(table.pk), "slug": "public-parking", "number": case.number, "id": case.pk},
        "headers": {"Authorization": f"Token {key}"},
        "cookies": {name: morsel.value for name, morsel in browser.cookies.items()},
    }


@pytest.mark.fuzz
@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_keeps_to_its_schema(case, known):
    if case.path_parameters and case.meta.generation.mode == GenerationMode.POSITIVE:
        # Valid input reaches a real object; invalid input keeps its odd identifiers.
        case.path_parameters = {name: known["path"].get(name, value) for name, value in case.path_parameters.items()}
    case.call_and_validate(headers=known["headers"], cookies=known["cookies"], checks=CHECKS)
