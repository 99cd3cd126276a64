import pytest
from django.db import DatabaseError, OperationalError
from django.test import RequestFactory
from psycopg_pool import PoolTimeout

from portal.errors import server_error


def answer_to(error: Exception):
    try:
        raise error
    except Exception:  # noqa: BLE001 - Django calls the handler while the exception is handled
        return server_error(RequestFactory().get("/ko/"))


@pytest.mark.parametrize(
    "error", [OperationalError("connection refused"), PoolTimeout("no connection in 5 s"), DatabaseError("x")]
)
def test_a_database_that_cannot_be_reached_is_a_503_to_come_back_to(error):
    response = answer_to(error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "잠시 후 다시 시도해 주세요" in response.content.decode()


def test_any_other_failure_is_a_500():
    response = answer_to(KeyError("bug"))
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
