"""The page for a request that failed on our side."""

import sys

from django.db import Error as DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views import defaults
from psycopg_pool import PoolTimeout

RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, but 503 with Retry-After when the database could not be reached (a restart
    or an outage): the resident is told to come back shortly, and a balancer does not count it as
    a fault of this process."""
    response = defaults.server_error(request)
    if isinstance(sys.exc_info()[1], DatabaseError | PoolTimeout):
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
